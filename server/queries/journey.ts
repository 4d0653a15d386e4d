// A consignment's journey for the console (lib/journey.ts): the movement, its route and sites,
// its track with each fix's distance off route, its events and alerts as a timeline, and where it
// stands now. Visibility comes from visible_consignments / visible_alerts like every query.
import type pg from 'pg';
import { z } from 'zod';
import { TimeMsParam } from '@/lib/params';
import type { Journey, JourneyConsignment, JourneyFix, JourneyProgress, TimelineEntry } from '../../lib/journey';
import { getConsignment } from './consignments';
import { MAX_WINDOW_MS, fixWindowsSql, loadTrack, type Track } from './track';
import { movementActions, movementLegs, type Leg } from './movementHistory';

export const JourneyQuery = z
  .object({
    from: TimeMsParam.optional(),
    to: TimeMsParam.optional(),
    zoom: z.coerce.number().min(0).max(22).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to > q.from, { message: 'to must be after from', path: ['to'] })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= MAX_WINDOW_MS, { message: 'the window may be at most 7 days', path: ['to'] });
export type JourneyQuery = z.infer<typeof JourneyQuery>;

const MARGIN_MS = 15 * 60_000;
const RECENT_MS = 30 * 60_000;
/** Below this mean speed a carrier is standing, and an ETA from it would be meaningless. */
const MOVING_KMH = 5;

/** The default window: the whole movement with a margin either side, its last 7 days at most. */
export function journeyWindow(c: Pick<JourneyConsignment, 'departure' | 'arrivedAt'>, q: JourneyQuery, now: number) {
  const end = c.arrivedAt ? Date.parse(c.arrivedAt) + MARGIN_MS : now;
  const to = q.to ?? Math.min(end, now);
  const from = q.from ?? Math.max(Date.parse(c.departure) - MARGIN_MS, to - MAX_WINDOW_MS);
  return { from, to: Math.max(to, from + 1) };
}

export async function loadJourney(pool: pg.Pool, userDistrict: string, id: number, q: JourneyQuery, now = Date.now()): Promise<Journey | null> {
  const consignment = (await getConsignment(pool, userDistrict, id)) as JourneyConsignment | null;
  if (!consignment) return null;
  const window = journeyWindow(consignment, q, now);
  const keys = (await pool.query('SELECT route_id, origin_site, dest_site FROM consignments WHERE id = $1', [id])).rows[0];
  const legs = await movementLegs(pool, id, consignment.asset.id);
  const [route, sites, history, actions] = await Promise.all([
    keys.route_id === null
      ? null
      : pool
          .query(
            `SELECT code, name_zh AS name, name_en AS "nameEn", corridor_m::float8 AS "corridorM",
              ST_Length(path::geography) AS "lengthM", ST_AsGeoJSON(path, 6)::json AS path, ST_AsGeoJSON(corridor, 6)::json AS corridor
       FROM routes WHERE id = $1`,
            [keys.route_id],
          )
          .then((r) => r.rows[0] ?? null),
    pool
      .query(
        `SELECT id, json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(area, 6)::json,
              'properties', json_build_object('code', code, 'name', name_zh, 'nameEn', name_en)) AS f
       FROM sites WHERE id IN ($1, $2)`,
        [keys.origin_site, keys.dest_site],
      )
      .then((r) => new Map(r.rows.map((s) => [s.id, s.f]))),
    loadHistory(pool, userDistrict, consignment.asset.id, window, q.zoom, { consignment, routeId: keys.route_id, originSite: keys.origin_site, legs }, now),
    movementActions(pool, id),
  ]);
  if (!history) return null;
  const timeline: TimelineEntry[] = [
    { time: Date.parse(consignment.departure), kind: 'departure' as const, site: consignment.origin.name, siteEn: consignment.origin.nameEn },
    ...history.timeline,
    ...actions,
    consignment.arrivedAt
      ? { time: Date.parse(consignment.arrivedAt), kind: 'arrived' as const, site: consignment.destination.name, siteEn: consignment.destination.nameEn }
      : { time: Date.parse(consignment.deadline), kind: 'deadline' as const, site: consignment.destination.name, siteEn: consignment.destination.nameEn },
  ].sort((a, b) => a.time - b.time);
  return {
    asset: consignment.asset,
    consignment,
    route,
    sites: { origin: sites.get(keys.origin_site), destination: sites.get(keys.dest_site) },
    window,
    track: history.track,
    timeline,
    progress: history.progress,
  };
}

/** A carrier's own history, for one with no movement (a vessel under AIS): the last 24 h by default. */
export async function loadAssetJourney(pool: pg.Pool, userDistrict: string, assetId: number, q: JourneyQuery, now = Date.now()): Promise<Journey | null> {
  const asset = (await pool.query('SELECT id, key, kind, label, plate, mmsi FROM visible_assets($1) WHERE id = $2', [userDistrict, assetId])).rows[0];
  if (!asset) return null;
  const to = q.to ?? now;
  const window = { from: q.from ?? to - 86_400_000, to };
  const history = await loadHistory(pool, userDistrict, assetId, window, q.zoom, null, now);
  if (!history) return null;
  return { asset, consignment: null, route: null, sites: null, window, ...history };
}

/**
 * Track (with distance off route when there is one), events and alerts, and progress. Events and
 * alerts are the movement's own, plus the carrier's in the window that belong to no movement
 * (an AIS gap, a gate read without a reference), never those of its previous trip. A carrier
 * alone gets all of its own in the window.
 */
async function loadHistory(
  pool: pg.Pool,
  userDistrict: string,
  assetId: number,
  window: { from: number; to: number },
  zoom: number | undefined,
  movement: Movement | null,
  now: number,
) {
  const cid = movement?.consignment.id ?? null;
  const [track, events, alerts, progress] = await Promise.all([
    loadLegTracks(pool, userDistrict, movement?.legs ?? [{ assetId, from: -Infinity, to: Infinity }], window, zoom, movement?.routeId ?? undefined),
    // The carrier's own events (no movement) only inside the spans the user may see its fixes.
    pool.query(
      `WITH w AS MATERIALIZED (${fixWindowsSql('$5', '$2')})
       SELECT extract(epoch FROM e.time) * 1000 AS time, e.kind, s.name_zh AS site, s.name_en AS "siteEn"
       FROM events e LEFT JOIN sites s ON s.id = e.site_id
       WHERE e.consignment_id = $1 OR (($1::int IS NULL OR e.consignment_id IS NULL) AND e.asset_id = $2 AND e.time >= to_timestamp($3 / 1000.0) AND e.time < to_timestamp($4 / 1000.0)
                                       AND EXISTS (SELECT 1 FROM w WHERE e.time >= w.lo AND e.time <= w.hi))
       ORDER BY e.time LIMIT 500`,
      [cid, assetId, window.from, window.to, userDistrict],
    ),
    pool.query(
      `SELECT al.id, extract(epoch FROM al.time) * 1000 AS time, al.type, al.severity, al.state, ST_X(al.geom) AS lon, ST_Y(al.geom) AS lat
       FROM visible_alerts($1) al
       WHERE al.consignment_id = $2 OR (($2::int IS NULL OR al.consignment_id IS NULL) AND al.asset_id = $3 AND al.time >= to_timestamp($4 / 1000.0) AND al.time < to_timestamp($5 / 1000.0))
       ORDER BY al.time LIMIT 500`,
      [userDistrict, cid, assetId, window.from, window.to],
    ),
    loadProgress(pool, userDistrict, assetId, movement, now),
  ]);
  if (!track) return null;
  const timeline: TimelineEntry[] = [
    ...events.rows.map((e): TimelineEntry => ({ time: Number(e.time), kind: 'event', code: e.kind, site: e.site, siteEn: e.siteEn })),
    ...alerts.rows.map((a): TimelineEntry => ({
      time: Number(a.time),
      kind: 'alert',
      code: a.type,
      severity: a.severity,
      state: a.state,
      alertId: Number(a.id),
      lon: a.lon,
      lat: a.lat,
    })),
  ].sort((a, b) => a.time - b.time);
  const fixes: JourneyFix[] = track.points.map((p) => [p.lon, p.lat, p.time, p.speed ?? NaN, p.offRouteM ?? NaN]);
  return { track: { fixes, simplified: track.simplified, total: track.total }, timeline, progress };
}

/**
 * A movement's keys for its journey: a route is approved both ways, so a movement from its to_site
 * runs it backwards; its carriers' legs split the track at each hand-over (movementHistory.ts).
 */
type Movement = { consignment: JourneyConsignment; routeId: number | null; originSite: number; legs: Leg[] };

/**
 * The track of a movement handed over between vehicles: each carrier's fixes within its leg (and
 * the window), one after the other. Null when the user may see none of the carrier now (as for
 * one carrier); an earlier carrier the user may not see adds nothing.
 */
async function loadLegTracks(
  pool: pg.Pool,
  userDistrict: string,
  legs: Leg[],
  window: { from: number; to: number },
  zoom: number | undefined,
  routeId?: number,
): Promise<Track | null> {
  const parts = await Promise.all(
    legs.map((leg) => {
      const from = Math.max(window.from, leg.from);
      const to = Math.min(window.to, leg.to);
      // The carrier now is always asked (its answer says whether the user may see it); an earlier leg outside the window is skipped.
      if (leg !== legs.at(-1) && to <= from) return null;
      return loadTrack(pool, userDistrict, leg.assetId, { from, to: Math.max(to, from + 1), format: 'geojson', zoom }, routeId);
    }),
  );
  const now = parts.at(-1);
  if (!now) return null;
  if (parts.length === 1) return now;
  const got = parts.filter((p): p is Track => p !== null);
  return { ...now, points: got.flatMap((p) => p.points), simplified: got.some((p) => p.simplified), total: got.reduce((n, p) => n + p.total, 0) };
}

/** Where the carrier stands now (its last fix the user may see: fixWindowsSql): its last fix, how far off route, how much route is left, and an ETA. */
async function loadProgress(pool: pg.Pool, userDistrict: string, assetId: number, movement: Movement | null, now: number): Promise<JourneyProgress | null> {
  const { rows } = await pool.query(
    `WITH w AS MATERIALIZED (${fixWindowsSql('$4', '$1')}),
          last AS (SELECT p.time, p.geom FROM positions p WHERE p.asset_id = $1 AND p.time <= to_timestamp($3 / 1000.0)
                     AND EXISTS (SELECT 1 FROM w WHERE p.time >= w.lo AND p.time <= w.hi) ORDER BY p.time DESC LIMIT 1),
          r AS (SELECT path, corridor_m, (to_site = $5 AND from_site <> $5) AS reversed FROM routes WHERE id = $2)
     SELECT extract(epoch FROM last.time) * 1000 AS at, ST_X(last.geom) AS lon, ST_Y(last.geom) AS lat,
            ST_Distance(last.geom::geography, r.path::geography, false) AS off,
            -- Measured in the direction of travel: on a return trip what is left lies before the point on the line.
            ST_Length(r.path::geography) * CASE WHEN r.reversed THEN ST_LineLocatePoint(r.path, last.geom) ELSE 1 - ST_LineLocatePoint(r.path, last.geom) END AS remaining,
            (SELECT avg(coalesce(p.speed, 0)) FROM positions p
              WHERE p.asset_id = $1 AND p.time > last.time - interval '${RECENT_MS / 60_000} minutes' AND p.time <= last.time) AS speed
     FROM last LEFT JOIN r ON true`,
    [assetId, movement?.routeId ?? null, now, userDistrict, movement?.originSite ?? null],
  );
  const r = rows[0];
  if (!r) return null;
  const remainingM = r.remaining === null ? null : Math.round(r.remaining);
  const recentSpeedKmh = r.speed === null ? null : Number(r.speed);
  const status = movement?.consignment.status;
  const open = status === 'in_transit' || status === 'overdue' || status === 'diverted';
  const eta = open && remainingM !== null && recentSpeedKmh !== null && recentSpeedKmh >= MOVING_KMH ? Number(r.at) + (remainingM / 1000 / recentSpeedKmh) * 3_600_000 : null;
  return { at: Number(r.at), lon: r.lon, lat: r.lat, offRouteM: r.off === null ? null : Math.round(r.off), remainingM, recentSpeedKmh, eta };
}
