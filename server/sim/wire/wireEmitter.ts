// Makes the demo run the real ingest path: the simulator's vessel fixes go out as AIS NMEA over
// UDP to the AIS listener, its truck fixes as JT/T 808 over TCP to the JT/T 808 listener.
import { createSocket, type Socket } from 'node:dgram';
import type { PositionReport } from '../../../lib/domain';
import type { Fleet, Vessel } from '../fleet';
import { encodeType1, encodeType18, encodeType24, encodeType5, nmeaChecksum } from './aisEncode';

const SHIP_TYPE_CODE: Record<string, number> = { cargo: 70, container: 71, tanker: 80, fishing: 30, tug: 52 };
const STATIC_EVERY_MS = 6 * 60_000; // AIS class A static data interval

export class AisUdpEmitter {
  private socket: Socket = createSocket('udp4');
  private vessels: Map<string, Vessel>;
  private staticSentAt = new Map<string, number>();

  constructor(fleet: Fleet, private port: number, private host = '127.0.0.1') {
    this.vessels = new Map(fleet.vessels.map((v) => [v.assetKey, v]));
    this.socket.unref();
  }

  send(r: PositionReport): void {
    const v = this.vessels.get(r.assetKey);
    if (!v) return;
    const position = { mmsi: v.mmsi, lat: r.lat, lon: r.lon, sogKn: r.speed === undefined ? undefined : r.speed / 1.852, cog: r.course, heading: r.heading, second: new Date(r.time).getUTCSeconds() };
    const lines = v.cls === 'A' ? encodeType1({ ...position, navStatus: (r.speed ?? 0) < 1 ? 1 : 0 }) : encodeType18(position);
    if (r.time - (this.staticSentAt.get(v.mmsi) ?? 0) > STATIC_EVERY_MS) {
      this.staticSentAt.set(v.mmsi, r.time);
      const s = { mmsi: v.mmsi, imo: v.imo, callSign: v.callSign, name: v.name, shipType: SHIP_TYPE_CODE[v.shipType] ?? 70, lengthM: v.cls === 'A' ? 180 : 25, beamM: v.cls === 'A' ? 30 : 7 };
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
