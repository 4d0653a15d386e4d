// The video wall's figures, computed in SQL through the jurisdiction functions (visible_assets,
// visible_consignments, visible_alerts) for the signed-in user. Days are China Standard Time days.
//
// Definitions (the wall shows these words):
// - assets live: visible assets with a stored fix in the last 5 min (vehicles) or 10 min (vessels),
//   the same limits after which the map greys a marker out as stale;
// - in transit: visible movements that have left and not ended (in_transit, overdue, diverted);
// - arrived today: visible movements with arrived_at since 00:00 CST today;
// - on-time rate: among those, the share with arrived_at <= deadline (null when none arrived yet);
// - open alerts: visible alerts still open (not acknowledged), severity warning or critical
//   (ARRIVED is information, not something to act on); by type, by district, per hour for 24 h.
// By district: the districts one level below the user's (the user's own when it has none); a
// movement counts in each of them it touches (itself or any district under it).
import type pg from 'pg';
import type { AlertType } from '../../lib/domain';

export interface DistrictKpi {
  code: string;
  name: string;
  nameEn: string;
  inTransit: number;
  openAlerts: number;
  /** [west, south, east, north] of the district's area, for the tour; null for a district with no drawn area (the seeded tree, an office added at run time). */
  bbox: [number, number, number, number] | null;
}

export interface WallKpis {
  at: number;
  assetsLive: number;
  inTransit: number;
  arrivedToday: number;
  onTimeToday: number;
  onTimeRate: number | null;
  openAlerts: number;
  openByType: { type: AlertType; count: number; severity: 'critical' | 'warning' }[];
  /** 24 hourly buckets, oldest first; `hour` is the bucket's start (ms). */
  alertsPerHour: { hour: number; count: number }[];
  districts: DistrictKpi[];
}

const IN_TRANSIT = `('in_transit', 'overdue', 'diverted')`;
const TODAY_CST = `(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;
const OPEN_ALERT = `al.state = 'open' AND al.severity <> 'info'`;

export async function wallKpis(pool: pg.Pool, district: string): Promise<WallKpis> {
  const [assets, movements, byType, perHour, districts] = await Promise.all([
    pool.query(
      `SELECT count(*)::int AS n FROM visible_assets($1) a
       WHERE EXISTS (SELECT 1 FROM positions p WHERE p.asset_id = a.id
                     AND p.time > now() - CASE a.kind WHEN 'vessel' THEN interval '10 minutes' ELSE interval '5 minutes' END)`,
      [district],
    ),
    pool.query(
      `SELECT count(*) FILTER (WHERE c.status IN ${IN_TRANSIT})::int AS in_transit,
              count(*) FILTER (WHERE c.arrived_at >= ${TODAY_CST})::int AS arrived,
              count(*) FILTER (WHERE c.arrived_at >= ${TODAY_CST} AND c.arrived_at <= c.deadline)::int AS on_time
       FROM visible_consignments($1) c`,
      [district],
    ),
    pool.query(
      `SELECT al.type, count(*)::int AS n, CASE WHEN bool_or(al.severity = 'critical') THEN 'critical' ELSE 'warning' END AS severity
       FROM visible_alerts($1) al WHERE ${OPEN_ALERT} GROUP BY al.type ORDER BY n DESC, al.type`,
      [district],
    ),
    pool.query(
      `SELECT (extract(epoch FROM h) * 1000)::float8 AS hour, count(al.id)::int AS n
       FROM generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()), interval '1 hour') h
       LEFT JOIN (SELECT al.id, al.time FROM visible_alerts($1) al
                  WHERE al.severity <> 'info' AND al.time >= date_trunc('hour', now()) - interval '23 hours') al
         ON al.time >= h AND al.time < h + interval '1 hour'
       GROUP BY h ORDER BY h`,
      [district],
    ),
    pool.query(
      `WITH shown AS (
         SELECT d.* FROM districts d WHERE d.parent = $1
         UNION ALL SELECT d.* FROM districts d WHERE d.code = $1 AND NOT EXISTS (SELECT 1 FROM districts c WHERE c.parent = $1))
       SELECT * FROM (
         SELECT s.code, s.name_zh AS name, s.name_en AS "nameEn",
                (SELECT count(*)::int FROM visible_consignments($1) c WHERE c.status IN ${IN_TRANSIT} AND c.districts && visible_districts(s.code)) AS "inTransit",
                (SELECT count(*)::int FROM visible_alerts($1) al WHERE ${OPEN_ALERT} AND al.districts && visible_districts(s.code)) AS "openAlerts",
                CASE WHEN s.area IS NULL THEN NULL ELSE json_build_array(ST_XMin(s.area), ST_YMin(s.area), ST_XMax(s.area), ST_YMax(s.area)) END AS bbox
         FROM shown s) k
       -- The seeded tree holds every direct customs: a wall lists those with a drawn area or with something going on.
       WHERE k.bbox IS NOT NULL OR k."inTransit" > 0 OR k."openAlerts" > 0
       ORDER BY k.code`,
      [district],
    ),
  ]);
  const m = movements.rows[0];
  const openByType = byType.rows.map((r) => ({ type: r.type as AlertType, count: r.n as number, severity: r.severity }));
  return {
    at: Date.now(),
    assetsLive: assets.rows[0].n,
    inTransit: m.in_transit,
    arrivedToday: m.arrived,
    onTimeToday: m.on_time,
    onTimeRate: m.arrived ? m.on_time / m.arrived : null,
    openAlerts: openByType.reduce((a, r) => a + r.count, 0),
    openByType,
    alertsPerHour: perHour.rows.map((r) => ({ hour: r.hour, count: r.n })),
    districts: districts.rows,
  };
}
