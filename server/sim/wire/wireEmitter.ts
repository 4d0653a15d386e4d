// Makes the demo run the real ingest path: the simulator's vessel fixes go out as AIS NMEA over
// UDP to the AIS listener, its truck fixes as JT/T 808 over TCP to the JT/T 808 listener.
import { createSocket, type Socket } from 'node:dgram';
import type { PositionReport } from '../../../lib/domain';
import { kmhToKnots } from '../../../lib/units';
import { DEMO_PLATE_COLOR } from '../../devices/demo';
import { Jt808Terminal } from '../../ingest/jt808';
import type { Fleet, Vessel } from '../fleet';
import { encodeType1, encodeType18, encodeType24, encodeType5, nmeaChecksum } from './aisEncode';

const SHIP_TYPE_CODE: Record<string, number> = { cargo: 70, container: 71, tanker: 80, fishing: 30, tug: 52 };
const STATIC_EVERY_MS = 6 * 60_000; // AIS class A static data interval

export class AisUdpEmitter {
  private socket: Socket = createSocket('udp4');
  private vessels: Map<string, Vessel>;
  private staticSentAt = new Map<string, number>();

  constructor(
    fleet: Fleet,
    private port: number,
    private host = '127.0.0.1',
  ) {
    this.vessels = new Map(fleet.vessels.map((v) => [v.assetKey, v]));
    this.socket.unref();
  }

  send(r: PositionReport): void {
    const v = this.vessels.get(r.assetKey);
    if (!v) return;
    const position = {
      mmsi: v.mmsi,
      lat: r.lat,
      lon: r.lon,
      sogKn: r.speed === undefined ? undefined : kmhToKnots(r.speed),
      cog: r.course,
      heading: r.heading,
      second: new Date(r.time).getUTCSeconds(),
    };
    const lines = v.cls === 'A' ? encodeType1({ ...position, navStatus: (r.speed ?? 0) < 1 ? 1 : 0 }) : encodeType18(position);
    if (r.time - (this.staticSentAt.get(v.mmsi) ?? 0) > STATIC_EVERY_MS) {
      this.staticSentAt.set(v.mmsi, r.time);
      const s = {
        mmsi: v.mmsi,
        imo: v.imo,
        callSign: v.callSign,
        name: v.name,
        shipType: SHIP_TYPE_CODE[v.shipType] ?? 70,
        lengthM: v.cls === 'A' ? 180 : 25,
        beamM: v.cls === 'A' ? 30 : 7,
      };
      lines.push(...(v.cls === 'A' ? encodeType5(s) : encodeType24(s)));
    }
    // An NMEA 4.0 tag block carries the fix time (AIS itself only carries the second).
    const tag = `s:sim,c:${Math.floor(r.time / 1000)}`;
    const stamped = lines.map((l) => `\\${tag}*${nmeaChecksum(tag)}\\${l}`);
    this.socket.send(stamped.join('\r\n') + '\r\n', this.port, this.host);
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Each simulated truck is a JT/T 808 terminal with its own TCP connection, behaving like a real
 * one: the first time it registers (0x0100, with its plate) and keeps the authentication code the
 * platform issues; on every connection it authenticates (0x0102) with that code, and registers
 * again only when the platform refuses it (after a supervisor's reset). Then it reports its fixes
 * as 0x0200. A dropped connection (the server's idle timeout closes a silent truck's) is re-opened
 * on the truck's next fix. The demo provisions these terminals (server/devices/demo.ts).
 */
export class Jt808Emitter {
  private terminals = new Map<string, Promise<Jt808Terminal | null>>();
  private plates: Map<string, string>;
  /** The codes the platform issued, per asset key (a real terminal keeps its code in flash). */
  private codes = new Map<string, string>();
  private closed = false;

  constructor(
    fleet: Fleet,
    private port: number,
    private host = '127.0.0.1',
  ) {
    this.plates = new Map(fleet.trucks.map((t) => [t.assetKey, t.plate]));
  }

  send(r: PositionReport): void {
    if (this.closed || !r.assetKey.startsWith('tel:')) return;
    let t = this.terminals.get(r.assetKey);
    if (!t) this.terminals.set(r.assetKey, (t = this.open(r.assetKey)));
    void t
      .then(async (terminal) => {
        if (!terminal || terminal.closed) {
          this.terminals.delete(r.assetKey);
          return;
        }
        await terminal.sendLocation({ lat: r.lat, lon: r.lon, time: r.time, speed: r.speed, course: r.course, alarm: r.alarm });
      })
      .catch(() => this.terminals.delete(r.assetKey));
  }

  private async open(assetKey: string): Promise<Jt808Terminal | null> {
    let terminal: Jt808Terminal | undefined;
    try {
      terminal = await Jt808Terminal.connect({ port: this.port, host: this.host, phone: assetKey.slice(4) });
      const kept = this.codes.get(assetKey);
      if (kept && (await terminal.authenticate(kept)) === 0) return terminal;
      const reg = await terminal.register({ plate: (this.plates.get(assetKey) ?? '').replace('·', ''), plateColor: DEMO_PLATE_COLOR, maker: 'TWSIM', model: 'SIM-808' });
      if (reg.result !== 0 || !reg.authCode) throw new Error(`registration refused: result ${reg.result}`);
      this.codes.set(assetKey, reg.authCode);
      if ((await terminal.authenticate(reg.authCode)) !== 0) throw new Error('authentication refused');
      return terminal;
    } catch {
      await terminal?.close();
      return null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = await Promise.all(this.terminals.values());
    await Promise.all(all.map((t) => t?.close()));
  }
}
