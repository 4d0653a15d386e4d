// M AIS vessels as NMEA AIVDM type 1 lines over a few TCP connections (as relays feed a platform),
// each line stamped with its send time in ms (tag block c:), which becomes the fix time. A
// connection whose socket buffer is full is skipped until it drains (TCP back-pressure).
import net from 'node:net';
import { aisFixLine } from '../../server/tools/loadFrames';
import type { Vessel } from './provision';

const CONNECTIONS = 4;
const SPEED_KN = 10;
const DEG_PER_MS = (SPEED_KN * 1852) / 3_600_000 / 111_320;

export class AisFeed {
  sent = 0;
  private readonly lines: string[][];
  private cursor = 0;

  private constructor(
    private readonly sockets: net.Socket[],
    private readonly vessels: Vessel[],
    private readonly t0: number,
  ) {
    this.lines = sockets.map(() => []);
  }

  static async connect(port: number, vessels: Vessel[]): Promise<AisFeed> {
    const sockets = await Promise.all(
      Array.from(
        { length: Math.min(CONNECTIONS, Math.max(1, vessels.length)) },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
            s.once('error', reject);
          }),
      ),
    );
    for (const s of sockets) s.on('error', () => {});
    return new AisFeed(sockets, vessels, Date.now());
  }

  private lastNow = 0;

  /**
   * Queues up to `n` fixes, vessel after vessel, each vessel once at most (a second fix at the same
   * instant would be the same fix twice); returns how many (fewer when every connection is full).
   */
  fixes(n: number, now: number): number {
    // Twice in one millisecond would send some vessels the same fix twice (the tag block time is in ms).
    if (this.vessels.length === 0 || now === this.lastNow) return 0;
    this.lastNow = now;
    let queued = 0;
    let tries = 0;
    while (queued < n && queued < this.vessels.length && tries < this.vessels.length) {
      const i = this.cursor;
      this.cursor = (this.cursor + 1) % this.vessels.length;
      const c = i % this.sockets.length;
      if (this.sockets[c]!.writableNeedDrain) {
        tries++;
        continue;
      }
      const v = this.vessels[i]!;
      // Heading east at 10 kn.
      this.lines[c]!.push(aisFixLine(v.mmsi, { lon: v.lon + (now - this.t0) * DEG_PER_MS, lat: v.lat, time: now, speed: SPEED_KN * 1.852, course: 90 }, now));
      queued++;
      tries = 0;
    }
    this.sent += queued;
    return queued;
  }

  flush(): void {
    this.sockets.forEach((s, c) => {
      const lines = this.lines[c]!;
      if (lines.length === 0) return;
      s.write(lines.join(''));
      this.lines[c] = [];
    });
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
  }
}
