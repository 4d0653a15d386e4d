// The OsmAnd protocol as Traccar Client and OsmAnd speak it: a GET (or form POST) with query
// parameters, or the newer JSON POST of Traccar Client. Decoding only; the listener resolves the
// device to an asset.
// Query: id|deviceid, lat, lon | location=lat,lon, timestamp (s, ms, ISO or "yyyy-MM-dd HH:mm:ss" UTC),
// speed (knots), bearing|heading (deg), altitude, accuracy, batt.
// JSON: { device_id, location: { timestamp, coords: { latitude, longitude, speed (m/s), heading, altitude, accuracy } } }

import { knotsToKmh, msToKmh } from '../../../lib/units';

/** The query (or form) parameter carrying the device's secret (see listener.ts). */
export const OSMAND_SECRET_PARAM = 'secret';

export interface OsmAndFix {
  deviceId: string;
  time?: number; // ms; absent → the receive time
  lat: number;
  lon: number;
  speedKmh?: number;
  course?: number;
}

export type OsmAndDecoded = { ok: true; fixes: OsmAndFix[] } | { ok: false; reason: string };

function parseTime(value: string): number | undefined {
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    return n < 2_147_483_647 ? n * 1000 : n; // seconds or milliseconds, as Traccar reads it
  }
  const iso = value.includes('T') ? value : `${value.replace(' ', 'T')}Z`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function num(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : NaN;
}

export function decodeQuery(params: URLSearchParams): OsmAndDecoded {
  const deviceId = params.get('id') ?? params.get('deviceid');
  if (!deviceId) return { ok: false, reason: 'id: missing' };
  let lat = num(params.get('lat'));
  let lon = num(params.get('lon'));
  const location = params.get('location');
  if (location) [lat, lon] = location.split(',').map((s) => num(s));
  if (lat === undefined || lon === undefined) return { ok: false, reason: 'lat/lon: missing' };
  if (Number.isNaN(lat) || Number.isNaN(lon)) return { ok: false, reason: 'lat/lon: not a number' };
  const ts = params.get('timestamp');
  const time = ts ? parseTime(ts) : undefined;
  if (ts && time === undefined) return { ok: false, reason: `timestamp: cannot read "${ts.slice(0, 40)}"` };
  const speed = num(params.get('speed'));
  const course = num(params.get('bearing') ?? params.get('heading'));
  if (Number.isNaN(speed) || Number.isNaN(course)) return { ok: false, reason: 'speed/bearing: not a number' };
  return { ok: true, fixes: [{ deviceId, time, lat, lon, speedKmh: speed === undefined ? undefined : knotsToKmh(speed), course }] };
}

interface JsonLocation {
  timestamp?: string | number;
  coords?: { latitude?: number; longitude?: number; speed?: number; heading?: number };
}

export function decodeJson(body: unknown): OsmAndDecoded {
  if (typeof body !== 'object' || body === null) return { ok: false, reason: 'body: not a JSON object' };
  const b = body as { device_id?: unknown; location?: JsonLocation | JsonLocation[] };
  if (typeof b.device_id !== 'string' && typeof b.device_id !== 'number') return { ok: false, reason: 'device_id: missing' };
  const list = Array.isArray(b.location) ? b.location : b.location ? [b.location] : [];
  if (list.length === 0) return { ok: false, reason: 'location: missing' };
  const fixes: OsmAndFix[] = [];
  for (const l of list) {
    const c = l.coords;
    if (!c || typeof c.latitude !== 'number' || typeof c.longitude !== 'number') return { ok: false, reason: 'location.coords: latitude/longitude missing' };
    const time = l.timestamp === undefined ? undefined : parseTime(String(l.timestamp));
    if (l.timestamp !== undefined && time === undefined) return { ok: false, reason: 'location.timestamp: cannot read' };
    const speed = typeof c.speed === 'number' && c.speed >= 0 ? msToKmh(c.speed) : undefined; // m/s; -1 means unknown
    const course = typeof c.heading === 'number' && c.heading >= 0 ? c.heading : undefined;
    fixes.push({ deviceId: String(b.device_id), time, lat: c.latitude, lon: c.longitude, speedKmh: speed, course });
  }
  return { ok: true, fixes };
}
