// From decoded AIS messages to what the pipeline takes: position reports (vessels only: types
// 1, 2, 3, 18, 19, 27) and vessel static data (types 5, 19, 24).
import type { PositionReport } from '../../../lib/domain';
import type { VesselStatic } from '../types';
import type { AisEta, AisMessage } from './messages';
import { knotsToKmh } from '../../../lib/units';

/** Types whose position is a vessel's. Base stations (4) and aids to navigation (21) are not assets. */
export const AIS_VESSEL_POSITION_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 18, 19, 27]);

/**
 * A vessel position report from a position-bearing message with a valid lat/lon, or null.
 * `time` is the tag block time when the message came with one, else `receivedAt` (ms).
 * Speed in km/h (sog × 1.852); course and heading in degrees true when given. No label.
 */
export function aisToReport(msg: AisMessage, receivedAt: number): PositionReport | null {
  switch (msg.type) {
    case 1:
    case 2:
    case 3:
    case 18:
    case 19:
    case 27: {
      if (msg.lat === undefined || msg.lon === undefined || msg.mmsi === '000000000') return null;
      const time = Math.round(msg.tagTime ?? receivedAt);
      if (!(time > 0)) return null;
      const report: PositionReport = { assetKey: `mmsi:${msg.mmsi}`, kind: 'vessel', time, lon: msg.lon, lat: msg.lat, source: 'ais' };
      if (msg.sog !== undefined) report.speed = Math.round(knotsToKmh(msg.sog) * 1000) / 1000;
      if (msg.cog !== undefined && msg.cog < 360) report.course = msg.cog;
      if (msg.type !== 27 && msg.heading !== undefined && msg.heading < 360) report.heading = msg.heading;
      return report;
    }
    default:
      return null;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "MM-DDTHH:MM" when month, day, hour and minute are all given; otherwise nothing. */
export function etaText(eta: AisEta | undefined): string | undefined {
  if (!eta || eta.month === undefined || eta.day === undefined || eta.hour === undefined || eta.minute === undefined) return undefined;
  return `${pad2(eta.month)}-${pad2(eta.day)}T${pad2(eta.hour)}:${pad2(eta.minute)}`;
}

function dims(out: VesselStatic, toBow?: number, toStern?: number, toPort?: number, toStarboard?: number): void {
  const length = (toBow ?? 0) + (toStern ?? 0);
  const beam = (toPort ?? 0) + (toStarboard ?? 0);
  if (length > 0) out.lengthM = length;
  if (beam > 0) out.beamM = beam;
}

/**
 * Static data from types 5 (class A), 19 and 24 (class B), with only the fields the message
 * gives (a 24 part A gives the name, part B the rest); null for other types or when nothing is given.
 */
export function aisToStatic(msg: AisMessage): VesselStatic | null {
  if (msg.mmsi === '000000000') return null;
  const out: VesselStatic = { mmsi: msg.mmsi };
  switch (msg.type) {
    case 5: {
      out.aisClass = 'A';
      if (msg.shipname !== undefined) out.name = msg.shipname;
      if (msg.callsign !== undefined) out.callSign = msg.callsign;
      if (msg.imo !== undefined) out.imo = String(msg.imo);
      if (msg.shiptype !== undefined) out.shipType = msg.shiptype;
      dims(out, msg.toBow, msg.toStern, msg.toPort, msg.toStarboard);
      if (msg.draught !== undefined) out.draughtM = msg.draught;
      if (msg.destination !== undefined) out.destination = msg.destination;
      const eta = etaText(msg.eta);
      if (eta !== undefined) out.eta = eta;
      break;
    }
    case 19:
      out.aisClass = 'B';
      if (msg.shipname !== undefined) out.name = msg.shipname;
      if (msg.shiptype !== undefined) out.shipType = msg.shiptype;
      dims(out, msg.toBow, msg.toStern, msg.toPort, msg.toStarboard);
      break;
    case 24:
      out.aisClass = 'B';
      if (msg.shipname !== undefined) out.name = msg.shipname;
      if (msg.callsign !== undefined) out.callSign = msg.callsign;
      if (msg.shiptype !== undefined) out.shipType = msg.shiptype;
      dims(out, msg.toBow, msg.toStern, msg.toPort, msg.toStarboard);
      break;
    default:
      return null;
  }
  return Object.keys(out).length > 2 ? out : null;
}

/** The message as a plain JSON-able object: absent fields left out, type 4's `utc` as ISO text too. */
export function aisToJson(msg: AisMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(msg)) {
    if (v === undefined) continue;
    if (k === 'eta' && typeof v === 'object' && v !== null) {
      const eta: Record<string, number> = {};
      for (const [ek, ev] of Object.entries(v)) if (ev !== undefined) eta[ek] = ev as number;
      out.eta = eta;
      continue;
    }
    out[k] = v;
  }
  if (msg.type === 4 && msg.utc !== undefined) out.utcIso = new Date(msg.utc).toISOString();
  if (msg.tagTime !== undefined) out.tagTimeIso = new Date(msg.tagTime).toISOString();
  return out;
}
