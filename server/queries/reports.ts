// Daily and monthly reports, computed in SQL through the jurisdiction functions
// (visible_consignments, visible_alerts, visible_districts) for the signed-in user's district.
//
// The period is a China Standard Time (Asia/Shanghai) day or calendar month, [from, to).
// Which rows belong to it:
// - a movement belongs to the period its DEPARTURE falls in (a movement that left on the 31st and
//   arrived on the 1st is the 31st's); a cancelled movement (declaration withdrawn) is left out;
// - arrived: those of them with an arrival time; on time: arrived_at <= deadline; the on-time rate
//   is on time / arrived (null when none arrived); still open, closed without arrival, overdue
//   ones count as movements but not in the rate;
// - mean transit time: mean of arrived_at − departure over the arrived ones, in seconds;
// - alerts: alerts RAISED in the period (their own time), information events (ARRIVED) left out,
//   since they are normal business and not something that went wrong;
// - deviation spots: ROUTE_DEVIATION alerts of the period with a position, snapped to a grid of
//   SPOT_CELL_DEG degrees (ST_SnapToGrid: the cell is the square around its grid point), the
//   SPOT_LIMIT busiest cells with their count and centre.
// By district: the districts one level below the user's (the user's own when it has none), as the
// wall does; a movement or alert counts in each of them it touches (itself or any district under
// it), so rows may add up to more than the total. Only rows with something in them are listed.
// By route: the movement's route (an alert by its movement's route); none is its own row.
// The total is over everything the user may see in the period, counted once.
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';

export type ReportPeriod = 'day' | 'month';
export type ReportBy = 'district' | 'route';

export interface ReportFigures {
  movements: number;
  arrived: number;
  onTime: number;
  onTimeRate: number | null;
  /** Mean of arrived_at − departure over arrived movements, seconds; null when none arrived. */
  meanTransitS: number | null;
  alerts: number;
  alertsByType: { type: string; count: number }[];
}

export interface ReportRow extends ReportFigures {
  /** District code or route code; '' for movements with no route. */
  key: string;
  nameZh: string;
  nameEn: string;
}

export interface DeviationSpot {
  /** The cell's centre (its grid point). */
  lon: number;
  lat: number;
  count: number;
}

export interface Report {
  period: ReportPeriod;
  date: string;
  by: ReportBy;
  timeZone: 'Asia/Shanghai';
  /** ISO times, [from, to). */
  from: string;
  to: string;
  rows: ReportRow[];
  total: ReportFigures;
  cellDeg: number;
  spots: DeviationSpot[];
}

export const SPOT_CELL_DEG = 0.05;
export const SPOT_LIMIT = 20;

/** The period's bounds: a CST day (date YYYY-MM-DD) or month (YYYY-MM). */
export async function periodBounds(pool: pg.Pool, period: ReportPeriod, date: string): Promise<{ from: Date; to: Date }> {
  const first = period === 'day' ? date : `${date}-01`;
  const { rows } = await pool.query(
    `SELECT ($1::date::timestamp AT TIME ZONE 'Asia/Shanghai') AS "from",
            (($1::date + $2::interval)::timestamp AT TIME ZONE 'Asia/Shanghai') AS "to"`,
    [first, period === 'day' ? '1 day' : '1 month'],
  );
  return rows[0];
}

// $1 user district, $2 from, $3 to. The period's movements and alerts the user may see.
const MOVEMENTS = `mv AS (
  SELECT c.id, c.route_id, c.districts, c.departure, c.deadline, c.arrived_at
  FROM visible_consignments($1) c
  WHERE c.departure >= $2 AND c.departure < $3 AND c.status <> 'cancelled')`;
const ALERTS = `al AS (
  SELECT a.id, a.type, a.consignment_id, a.districts
  FROM visible_alerts($1) a
  WHERE a.time >= $2 AND a.time < $3 AND a.severity <> 'info')`;
// The report's rows for `by=district`, and each district code under one of them.
const SHOWN = `shown AS (
  SELECT d.code, d.name_zh, d.name_en FROM districts d WHERE d.parent = $1
  UNION ALL
  SELECT d.code, d.name_zh, d.name_en FROM districts d WHERE d.code = $1 AND NOT EXISTS (SELECT 1 FROM districts x WHERE x.parent = $1)),
under AS (SELECT s.code AS key, u.code FROM shown s, unnest(visible_districts(s.code)) AS u(code))`;

const FIGURES = `count(*)::int AS movements,
  count(*) FILTER (WHERE m.arrived_at IS NOT NULL)::int AS arrived,
  count(*) FILTER (WHERE m.arrived_at <= m.deadline)::int AS on_time,
  avg(extract(epoch FROM m.arrived_at - m.departure)) FILTER (WHERE m.arrived_at IS NOT NULL)::float8 AS mean_transit_s`;

/** Movement figures per row key ('' for the total). */
export function movementSql(by: ReportBy | 'total'): string {
  if (by === 'total') return `WITH ${MOVEMENTS} SELECT '' AS key, ${FIGURES} FROM mv m`;
  if (by === 'route') return `WITH ${MOVEMENTS} SELECT coalesce(r.code, '') AS key, ${FIGURES} FROM mv m LEFT JOIN routes r ON r.id = m.route_id GROUP BY 1`;
  return `WITH ${MOVEMENTS}, ${SHOWN},
    keyed AS (SELECT DISTINCT u.key, m.id, m.departure, m.deadline, m.arrived_at FROM mv m, unnest(m.districts) AS t(code) JOIN under u ON u.code = t.code)
    SELECT m.key, ${FIGURES} FROM keyed m GROUP BY m.key`;
}

/** Alert counts per row key and type ('' for the total). */
export function alertSql(by: ReportBy | 'total'): string {
  if (by === 'total') return `WITH ${ALERTS} SELECT '' AS key, al.type, count(*)::int AS n FROM al GROUP BY al.type`;
  if (by === 'route')
    return `WITH ${ALERTS} SELECT coalesce(r.code, '') AS key, al.type, count(*)::int AS n
      FROM al LEFT JOIN consignments c ON c.id = al.consignment_id LEFT JOIN routes r ON r.id = c.route_id GROUP BY 1, 2`;
  return `WITH ${ALERTS}, ${SHOWN},
    keyed AS (SELECT DISTINCT u.key, al.id, al.type FROM al, unnest(al.districts) AS t(code) JOIN under u ON u.code = t.code)
    SELECT key, type, count(*)::int AS n FROM keyed GROUP BY key, type`;
}

export const SPOTS_SQL = `SELECT ST_X(g.cell)::float8 AS lon, ST_Y(g.cell)::float8 AS lat, g.n AS count FROM (
    SELECT ST_SnapToGrid(a.geom, $4) AS cell, count(*)::int AS n
    FROM visible_alerts($1) a
    WHERE a.type = 'ROUTE_DEVIATION' AND a.geom IS NOT NULL AND a.time >= $2 AND a.time < $3
    GROUP BY 1) g
  ORDER BY g.n DESC, lon, lat LIMIT $5`;

/** The names of the row keys: districts (those under the user) or routes. */
function namesSql(by: ReportBy): string {
  if (by === 'route') return `SELECT r.code AS key, r.name_zh, r.name_en FROM routes r`;
  return `WITH ${SHOWN} SELECT code AS key, name_zh, name_en FROM shown`;
}

interface FigureRow {
  key: string;
  movements: number;
  arrived: number;
  on_time: number;
  mean_transit_s: number | null;
}

function figures(m: FigureRow | undefined, alerts: { type: string; n: number }[]): ReportFigures {
  const byType = alerts.map((a) => ({ type: a.type, count: a.n })).sort((x, y) => y.count - x.count || x.type.localeCompare(y.type));
  const arrived = m?.arrived ?? 0;
  const onTime = m?.on_time ?? 0;
  return {
    movements: m?.movements ?? 0,
    arrived,
    onTime,
    onTimeRate: arrived ? onTime / arrived : null,
    meanTransitS: m?.mean_transit_s ?? null,
    alerts: byType.reduce((s, a) => s + a.count, 0),
    alertsByType: byType,
  };
}

export interface ReportInput {
  period: ReportPeriod;
  date: string;
  by: ReportBy;
}

/**
 * The same aggregates with the jurisdiction functions replaced by the bare tables: what the report
 * would cost unscoped. For bench/reports.ts only; never answer a user with it.
 */
export const unscopedForBench = (sql: string): string =>
  sql
    .replaceAll('visible_consignments($1)', '(SELECT * FROM consignments WHERE $1::text IS NOT NULL)')
    .replaceAll('visible_alerts($1)', '(SELECT * FROM alerts WHERE $1::text IS NOT NULL)');

export async function buildReport(pool: pg.Pool, district: string, input: ReportInput, rewrite: (sql: string) => string = (s) => s): Promise<Report> {
  const { from, to } = await periodBounds(pool, input.period, input.date);
  const p = [district, from, to];
  // One snapshot, so that the rows, the total and the spots agree. JIT off: unnest() of the
  // district arrays is estimated at 10 rows each, which lifts a month's estimate over
  // jit_above_cost, and compiling then took ~0.4 s of a ~0.9 s month by district (bench/reports.ts).
  const [moves, alerts, totalMoves, totalAlerts, spots, names] = await withTransaction(pool, async (c) => {
    await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await c.query('SET LOCAL jit = off');
    return [
      await c.query<FigureRow>(rewrite(movementSql(input.by)), p),
      await c.query<{ key: string; type: string; n: number }>(rewrite(alertSql(input.by)), p),
      await c.query<FigureRow>(rewrite(movementSql('total')), p),
      await c.query<{ key: string; type: string; n: number }>(rewrite(alertSql('total')), p),
      await c.query<DeviationSpot>(rewrite(SPOTS_SQL), [...p, SPOT_CELL_DEG, SPOT_LIMIT]),
      await c.query<{ key: string; name_zh: string; name_en: string }>(namesSql(input.by), input.by === 'district' ? [district] : []),
    ] as const;
  });
  const nameOf = new Map(names.rows.map((n) => [n.key, n]));
  const keys = [...new Set([...moves.rows.map((r) => r.key), ...alerts.rows.map((r) => r.key)])].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  const rows = keys.map((key): ReportRow => {
    const name = nameOf.get(key);
    return {
      key,
      nameZh: name?.name_zh ?? (key === '' ? '无路线' : key),
      nameEn: name?.name_en ?? (key === '' ? 'No route' : key),
      ...figures(
        moves.rows.find((r) => r.key === key),
        alerts.rows.filter((r) => r.key === key),
      ),
    };
  });
  return {
    period: input.period,
    date: input.date,
    by: input.by,
    timeZone: 'Asia/Shanghai',
    from: from.toISOString(),
    to: to.toISOString(),
    rows,
    total: figures(totalMoves.rows[0], totalAlerts.rows),
    cellDeg: SPOT_CELL_DEG,
    spots: spots.rows,
  };
}
