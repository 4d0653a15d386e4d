// An asset's track from PostGIS over a time window, for the console's map, replay and export:
// GeoJSON (a LineString of the fixes, with their times), GPX 1.1 or KML 2.2. A long track is
// simplified for the zoom it is drawn at (Douglas–Peucker in degrees, ~ one pixel).
import type pg from 'pg';
import { z } from 'zod';
import { TimeMsParam } from '@/lib/params';

export const MAX_WINDOW_MS = 7 * 86_400_000;

export const TrackQuery = z
  .object({
    from: TimeMsParam,
    to: TimeMsParam,
    format: z.enum(['geojson', 'gpx', 'kml']).default('geojson'),
    zoom: z.coerce.number().min(0).max(22).optional(),
  })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] })
  .refine((q) => q.to - q.from <= MAX_WINDOW_MS, { message: 'the window may be at most 7 days', path: ['to'] });
export type TrackQuery = z.infer<typeof TrackQuery>;

export interface TrackPoint {
  lon: number;
  lat: number;
  time: number;
  speed: number | null;
  course: number | null;
  /** Metres from the route's centre line (only when a route is given). */
  offRouteM?: number;
}

export interface Track {
  assetId: number;
  label: string | null;
  points: TrackPoint[];
  simplified: boolean;
  total: number;
}

/**
 * The spans of time in which a user may see an asset's fixes (SQL rows of lo, hi), given the SQL
 * placeholders of the user's district and the asset id. An asset of a district the user sees (or
 * any, for HQ): all of its history. One the user sees only through movements: each visible
 * movement's window, from departure to arrival, closure or cancellation, or on while it is open. Fixes outside
 * are someone else's business (the truck's previous or next trip). A movement handed over to another
 * vehicle (consignment_handovers) gives each carrier only its own leg: the old one until the
 * hand-over, the new one from it (greatest() skips a null handed_over_at).
 */
export const fixWindowsSql = (user: string, asset: string) => `
  SELECT '-infinity'::timestamptz AS lo, 'infinity'::timestamptz AS hi FROM assets a
  WHERE a.id = ${asset} AND ((SELECT is_hq(${user})) OR a.district IN (SELECT unnest(visible_districts(${user}))))
  UNION ALL
  SELECT greatest(c.departure, c.handed_over_at), coalesce(c.arrived_at, CASE WHEN c.status IN ('closed', 'cancelled') THEN c.updated_at END, 'infinity')
  FROM visible_consignments(${user}) c WHERE c.asset_id = ${asset}
  UNION ALL
  SELECT greatest(c.departure, h.leg_start), least(h.time, coalesce(c.arrived_at, CASE WHEN c.status IN ('closed', 'cancelled') THEN c.updated_at END, 'infinity'))
  FROM consignment_handovers h JOIN visible_consignments(${user}) c ON c.id = h.consignment_id WHERE h.from_asset = ${asset}`;

/** Degrees per pixel at a zoom (256-px tiles); half of it keeps what the eye can tell apart. */
const toleranceFor = (zoom: number) => 360 / (256 * 2 ** zoom) / 2;

/**
 * The fixes of an asset in a window that the user may see (see fixWindowsSql), or null when the
 * user may see none of the asset. With `routeId` each fix also carries its distance from that
 * route's centre line, measured in PostGIS.
 */
export async function loadTrack(pool: pg.Pool, userDistrict: string, assetId: number, q: TrackQuery, routeId?: number): Promise<Track | null> {
  const asset = (await pool.query(`SELECT a.id, a.label FROM assets a WHERE a.id = $2 AND EXISTS (${fixWindowsSql('$1', '$2')})`, [userDistrict, assetId])).rows[0];
  if (!asset) return null;
  const { rows } = await pool.query(
    `WITH r AS MATERIALIZED (SELECT path::geography AS g FROM routes WHERE id = $4),
          w AS MATERIALIZED (${fixWindowsSql('$5', '$1')})
     SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat, extract(epoch FROM p.time) * 1000 AS time, p.speed, p.course,
            ST_Distance(p.geom::geography, r.g, false) AS off
     FROM positions p LEFT JOIN r ON true
     WHERE p.asset_id = $1 AND p.time >= to_timestamp($2 / 1000.0) AND p.time < to_timestamp($3 / 1000.0)
       AND EXISTS (SELECT 1 FROM w WHERE p.time >= w.lo AND p.time <= w.hi)
     ORDER BY p.time`,
    [assetId, q.from, q.to, routeId ?? null, userDistrict],
  );
  let points: TrackPoint[] = rows.map((r) => {
    const p: TrackPoint = { lon: r.lon, lat: r.lat, time: Number(r.time), speed: r.speed, course: r.course };
    if (r.off !== null) p.offRouteM = Math.round(r.off);
    return p;
  });
  const total = points.length;
  let simplified = false;
  if (q.zoom !== undefined && points.length > 2000) {
    // Simplify in PostGIS with the time as M, so each kept vertex names its fix.
    const kept = await pool.query(
      `WITH w AS MATERIALIZED (${fixWindowsSql('$5', '$1')})
       SELECT ST_M((dp).geom) AS t FROM (
         SELECT ST_DumpPoints(ST_Simplify(ST_MakeLine(ST_MakePointM(ST_X(p.geom), ST_Y(p.geom), extract(epoch FROM p.time) * 1000) ORDER BY p.time), $4)) AS dp
         FROM positions p WHERE p.asset_id = $1 AND p.time >= to_timestamp($2 / 1000.0) AND p.time < to_timestamp($3 / 1000.0)
           AND EXISTS (SELECT 1 FROM w WHERE p.time >= w.lo AND p.time <= w.hi)) d`,
      [assetId, q.from, q.to, toleranceFor(q.zoom), userDistrict],
    );
    const keep = new Set(kept.rows.map((r) => Math.round(Number(r.t))));
    points = points.filter((p) => keep.has(Math.round(p.time)));
    simplified = true;
  }
  return { assetId, label: asset.label, points, simplified, total };
}

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function trackAsGeoJson(t: Track) {
  return {
    type: 'Feature' as const,
    geometry: { type: 'LineString' as const, coordinates: t.points.map((p) => [p.lon, p.lat]) },
    properties: { assetId: t.assetId, label: t.label, times: t.points.map((p) => p.time), speeds: t.points.map((p) => p.speed), simplified: t.simplified, total: t.total },
  };
}

export function trackAsGpx(t: Track): string {
  const pts = t.points.map((p) => `<trkpt lat="${p.lat}" lon="${p.lon}"><time>${new Date(p.time).toISOString()}</time></trkpt>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="TransitWatch" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>${esc(t.label ?? String(t.assetId))}</name><trkseg>${pts}</trkseg></trk></gpx>\n`;
}

export function trackAsKml(t: Track): string {
  const when = t.points.map((p) => `<when>${new Date(p.time).toISOString()}</when>`).join('');
  const coords = t.points.map((p) => `<gx:coord>${p.lon} ${p.lat} 0</gx:coord>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document><Placemark><name>${esc(t.label ?? String(t.assetId))}</name><gx:Track>${when}${coords}</gx:Track></Placemark></Document></kml>\n`;
}
