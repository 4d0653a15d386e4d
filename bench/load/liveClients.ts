// K Socket.IO clients signed in as viewers of mixed jurisdiction, as a browser on the live map
// connects. Each decodes the frames it receives (lib/wire.ts) and, for every fix shown, writes
// down receive time − send time: a vessel's fix time is its send time (AIS tag block, ms); a
// truck's is found in its terminal's send log by (fix time, lat, lon).
import { io as connect, type Socket } from 'socket.io-client';
import { decodeFrame, type AssetMeta } from '../../lib/wire';
import type { SendLog } from '../../server/tools/loadFrames';
import { Samples } from './samples';

export class LiveClients {
  /** Latency samples (ms) of fixes sent at or after `since`. */
  readonly latency = new Samples();
  since = Infinity;
  until = Infinity;
  frames = 0;
  shown = 0;
  /** Fixes shown that are not in a send log (sent before `since`, or a warm-up fix). */
  unmatched = 0;
  private readonly keyOf = new Map<number, string>();
  private readonly sockets: Socket[] = [];

  constructor(private readonly logs: Map<string, SendLog>) {}

  async connect(port: number, cookies: string[], k: number): Promise<void> {
    await Promise.all(Array.from({ length: k }, (_, j) => this.one(port, cookies[j % cookies.length]!)));
  }

  get connected(): number {
    return this.sockets.filter((s) => s.connected).length;
  }

  private one(port: number, cookie: string): Promise<void> {
    const socket = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
    this.sockets.push(socket);
    const learn = (meta: AssetMeta[]) => {
      for (const m of meta) this.keyOf.set(m.id, m.key);
    };
    socket.on('assets', learn);
    socket.on('delta', (buf: Buffer) => this.onFrame(buf));
    return new Promise<void>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('snapshot', (msg: { meta: AssetMeta[] }) => {
        learn(msg.meta);
        resolve();
      });
    });
  }

  private onFrame(buf: Buffer): void {
    const now = Date.now();
    const f = decodeFrame(buf);
    this.frames++;
    for (let i = 0; i < f.count; i++) {
      this.shown++;
      const key = this.keyOf.get(f.id[i]!);
      let sent: number | undefined;
      if (key?.startsWith('mmsi:')) sent = f.time[i];
      else if (key) sent = this.logs.get(key)?.find(f.time[i]!, f.lat[i]!, f.lon[i]!);
      if (sent === undefined || sent < this.since) {
        this.unmatched++;
        continue;
      }
      if (sent <= this.until) this.latency.add(now - sent);
    }
  }

  close(): void {
    for (const s of this.sockets) s.disconnect();
  }
}
