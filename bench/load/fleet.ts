// N JT/T 808 terminals over real TCP: each registers (0x0100 with its vehicle's plate → code in
// 0x8100), authenticates (0x0102), then sends 0x0200 location reports. Each keeps a send window:
// at most `window` reports not yet answered (0x8001), as a terminal waits for its platform; that
// is the back-pressure the "max" step runs against. After log-in, replies are only counted
// (every frame is two 0x7E flags: escaping keeps them out of the content), not parsed.
import net from 'node:net';
import { encodeFrame, parseFrame } from '../../server/ingest/jt808/codec';
import { Jt808Framer } from '../../server/ingest/jt808/framer';
import { MSG, decodeGeneralResponse, decodeRegistrationResponse, encodeAuthBody, encodeRegistrationBody } from '../../server/ingest/jt808/messages';
import { SendLog, e6, jt808FixFrame } from '../../server/tools/loadFrames';
import type { Terminal } from './provision';
import { Track } from './track';
import { alarmSet } from '../../lib/deviceAlarms';

const SPEED_KMH = 50;
/**
 * One terminal in ten opens its seal (JT/T 808 "illegal door open") some seconds into each step, each
 * at its own second over the first 20, so SEAL_ALARM episodes are raised all through a step, around a
 * kill too: the figures then show that none is raised twice.
 */
const SEAL_OPEN = alarmSet('illegal_door_open');
const sealOpensAfterMs = (index: number) => (index % 10 === 0 ? ((index / 10) % 20) * 1000 : undefined);
const FLAG = 0x7e;

class LoggedInTerminal {
  serial = 1;
  sent = 0;
  flags = 0;
  private chunks: Buffer[] = [];
  private second = 0;
  private inSecond = 0;
  private secondAt: [latE6: number, lonE6: number] = [0, 0];
  readonly log = new SendLog();
  readonly track: Track;

  readonly sealOpensAfterMs: number | undefined;

  constructor(
    readonly t: Terminal,
    readonly socket: net.Socket,
    index: number,
  ) {
    this.track = new Track(t.path);
    this.sealOpensAfterMs = sealOpensAfterMs(index);
  }

  get inFlight(): number {
    return this.sent - (this.flags >> 1);
  }

  /** Queues one fix at `now` (written with flush). */
  fix(now: number, t0: number): void {
    const p = this.track.at(Math.min(this.t.startM + ((now - t0) / 3600) * SPEED_KMH, this.track.length * 0.85));
    const sec = Math.floor(now / 1000);
    if (sec !== this.second) {
      this.second = sec;
      this.inSecond = 0;
      this.secondAt = [e6(p.lat), e6(p.lon)];
    }
    // JT/T 808 keeps whole seconds: the n-th fix of a second sits n micro-degrees north of where the
    // truck was when the second began, so no two fixes of a terminal are the same fix (and the send
    // log tells them apart).
    const latE6 = this.secondAt[0] + this.inSecond++;
    const lonE6 = this.secondAt[1];
    this.log.record(now, latE6, lonE6, now);
    const alarm = this.sealOpensAfterMs !== undefined && now - t0 >= this.sealOpensAfterMs ? SEAL_OPEN : 0;
    this.chunks.push(jt808FixFrame(this.t.phone, this.serial++, { lon: lonE6 / 1e6, lat: latE6 / 1e6, time: now, speed: SPEED_KMH, course: p.course, alarm }));
    this.sent++;
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    this.socket.write(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks));
    this.chunks = [];
  }
}

/** Connects and logs one terminal in; throws with the step that failed. */
async function logIn(port: number, t: Terminal, index: number, plateColor: number): Promise<LoggedInTerminal> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  socket.setNoDelay(true);
  const replies: { msgId: number; body: Uint8Array }[] = [];
  let wake: (() => void) | undefined;
  const framer = new Jt808Framer({
    frame: (content) => {
      const p = parseFrame(content);
      if (p.ok) replies.push({ msgId: p.frame.header.msgId, body: p.frame.body.slice() });
      wake?.();
    },
    reject: () => {},
    garbage: () => {},
  });
  const onData = (chunk: Buffer) => framer.push(chunk);
  socket.on('data', onData);
  const next = async (what: string) => {
    const deadline = Date.now() + 30_000;
    while (replies.length === 0) {
      if (Date.now() > deadline || socket.destroyed) throw new Error(`terminal ${t.phone}: no ${what}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 200);
      });
    }
    return replies.shift()!;
  };
  socket.write(encodeFrame({ msgId: MSG.REGISTER, phone: t.phone, serial: 0, body: encodeRegistrationBody({ plate: t.plate, plateColor }) }));
  const reg = await next('0x8100');
  const r = reg.msgId === MSG.REGISTER_RESPONSE ? decodeRegistrationResponse(reg.body) : null;
  if (!r || r.result !== 0 || !r.authCode) throw new Error(`terminal ${t.phone}: 0x0100 refused (${JSON.stringify(r)})`);
  socket.write(encodeFrame({ msgId: MSG.AUTH, phone: t.phone, serial: 1, body: encodeAuthBody(r.authCode) }));
  const auth = await next('0x8001 to 0x0102');
  const a = auth.msgId === MSG.SERVER_RESPONSE ? decodeGeneralResponse(auth.body) : null;
  if (!a || a.result !== 0) throw new Error(`terminal ${t.phone}: 0x0102 refused (${JSON.stringify(a)})`);
  socket.off('data', onData);
  const lt = new LoggedInTerminal(t, socket, index);
  lt.serial = 2;
  socket.on('data', (chunk: Buffer) => {
    let n = 0;
    for (let i = chunk.indexOf(FLAG); i !== -1; i = chunk.indexOf(FLAG, i + 1)) n++;
    lt.flags += n;
  });
  socket.on('error', () => {});
  return lt;
}

export class Fleet {
  readonly terminals: LoggedInTerminal[] = [];
  /** Send logs by asset key, for the live clients. */
  readonly logs = new Map<string, SendLog>();

  static async connect(port: number, terminals: Terminal[], plateColor: number, say: (m: string) => void): Promise<Fleet> {
    const fleet = new Fleet();
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < terminals.length) {
          const index = next++;
          const t = terminals[index]!;
          const lt = await logIn(port, t, index, plateColor);
          fleet.terminals.push(lt);
          fleet.logs.set(t.assetKey, lt.log);
          if (fleet.terminals.length % 500 === 0)
            say(`${fleet.terminals.length} of ${terminals.length} terminals registered and authenticated (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        }
      }),
    );
    return fleet;
  }

  /** Terminals whose seal opened within `ms` of a step's start (each raises one SEAL_ALARM episode). */
  sealsOpenedBy(ms: number): number {
    return this.terminals.filter((t) => t.sealOpensAfterMs !== undefined && t.sealOpensAfterMs <= ms).length;
  }

  get sent(): number {
    let n = 0;
    for (const t of this.terminals) n += t.sent;
    return n;
  }

  get acked(): number {
    let n = 0;
    for (const t of this.terminals) n += t.flags >> 1;
    return n;
  }

  /** Closed by the node (idle, slow reader): such a terminal no longer counts as sending. */
  get closed(): number {
    return this.terminals.filter((t) => t.socket.destroyed).length;
  }

  close(): void {
    for (const t of this.terminals) t.socket.destroy();
  }
}

export type { LoggedInTerminal };
