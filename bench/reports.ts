// bench/reports: the report (server/queries/reports.ts) over 1,000,000 positions, 100,000 movements
// and ~30,000 alerts in a fresh PostGIS, as HQ and as a direct customs (2200), against the "plain
// query": the same aggregates with the jurisdiction functions replaced by the bare tables
// (unscopedForBench), in the same run. A day and the whole month, by district and by route; each
// the median of BENCH_RUNS runs (after one warm-up). Prints one JSON line. BENCH_KEEP=1 keeps the
// database (for EXPLAIN).
//
// The data: the customs district tree and the demo world (its routes and districts); 5,000 trucks;
// movements departing over November 2026 (CST) on the demo routes, their districts as the server
// stores them (touched_districts); 85 % arrived (two thirds of those by the deadline), the rest
// closed without arrival or still open; alerts of several types, the route deviations placed
// beside their route; positions spread over the month's daily partitions. Positions are there so
// the database has the size of a real one; the report reads movements and alerts, not positions.
import { freshDatabase } from '../db/testing';
import { seedDistrictTree } from '../server/auth/districtSeed';
import { seedWorld } from '../server/sim/seed';
import { buildReport, unscopedForBench, type ReportInput } from '../server/queries/reports';
import { benchPostgis } from './postgis';

const POSITIONS = Number(process.env.BENCH_POSITIONS ?? 1_000_000);
const MOVEMENTS = Number(process.env.BENCH_MOVEMENTS ?? 100_000);
const ALERTS_PER_MOVEMENT = 0.3;
const TRUCKS = 5_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MONTH_START = `'2026-11-01 00:00+08'::timestamptz`;
const say = (m: string) => console.error(`[bench:reports] ${m}`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.floor(s.length / 2)]!.toFixed(2));
};

async function main() {
  const postgis = await benchPostgis();
  const db = await freshDatabase();
  const pool = db.pool;
  const t0 = performance.now();
  await seedDistrictTree(pool);
  await seedWorld(pool);
  await pool.query(`INSERT INTO assets (key, kind, label, plate, district) SELECT 'bench:' || i, 'vehicle', 'B' || i, 'B' || i, '2200' FROM generate_series(1, $1) i`, [TRUCKS]);
  say(`generating ${MOVEMENTS} movements…`);
  // Departures spread evenly over the month; transit 2–8 h; deadline 6 h after departure.
  await pool.query(
    `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, status, arrived_at, districts)
     SELECT 'BENCH' || lpad(i::text, 8, '0'), (SELECT min(id) FROM assets WHERE key LIKE 'bench:%') + i % $2,
            r.from_site, r.to_site, r.id, dep, dep + interval '6 h',
            CASE WHEN i % 20 < 17 THEN 'arrived' WHEN i % 20 < 19 THEN 'closed' ELSE 'in_transit' END,
            CASE WHEN i % 20 < 17 THEN dep + (2 + (i * 7919) % 7) * interval '1 h' END,
            r.d
     FROM generate_series(1, $1) i
     CROSS JOIN LATERAL (SELECT ${MONTH_START} + (((i - 1)::bigint * 2592000) / $1) * interval '1 s' AS dep) t
     JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, from_site, to_site, touched_districts(from_site, to_site, id) AS d FROM routes) r
       ON r.k = i % (SELECT count(*) FROM routes)`,
    [MOVEMENTS, TRUCKS],
  );
  const alerts = Math.round(MOVEMENTS * ALERTS_PER_MOVEMENT);
  say(`generating ${alerts} alerts…`);
  // Three alerts on every tenth movement: deviations (3 in 7, beside the route), stops, overdue, seal alarms, arrivals.
  await pool.query(
    `INSERT INTO alerts (type, severity, asset_id, consignment_id, time, geom, districts, state)
     SELECT t.type, t.sev, c.asset_id, c.id, c.departure + (j * 20) * interval '1 min',
            CASE WHEN t.type = 'ROUTE_DEVIATION'
                 THEN ST_Translate(ST_LineInterpolatePoint(r.path, ((c.id * 31 + j) % 100) / 100.0), 0.01, 0.01) END,
            c.districts, 'resolved'
     FROM (SELECT c.*, row_number() OVER (ORDER BY c.id) AS n FROM consignments c) c
     JOIN routes r ON r.id = c.route_id
     CROSS JOIN generate_series(0, 2) j
     CROSS JOIN LATERAL (SELECT (ARRAY['ROUTE_DEVIATION', 'ROUTE_DEVIATION', 'ROUTE_DEVIATION', 'UNSCHEDULED_STOP', 'OVERDUE', 'SEAL_ALARM', 'ARRIVED'])[1 + (c.id + j) % 7] AS type) tt
     CROSS JOIN LATERAL (SELECT tt.type, CASE tt.type WHEN 'ARRIVED' THEN 'info' WHEN 'OVERDUE' THEN 'warning' WHEN 'UNSCHEDULED_STOP' THEN 'warning' ELSE 'critical' END AS sev) t
     WHERE c.n % 10 = 0
     LIMIT $1`,
    [alerts],
  );
  say(`generating ${POSITIONS} positions…`);
  await pool.query(`SELECT ensure_positions_partition(d::date) FROM generate_series(date '2026-10-31', date '2026-11-30', interval '1 day') d`);
  await pool.query(
    `INSERT INTO positions (asset_id, time, geom, speed, course, source)
     SELECT (SELECT min(id) FROM assets WHERE key LIKE 'bench:%') + i % $2,
            ${MONTH_START} + (((i - 1)::bigint * 2592000) / $1) * interval '1 s',
            ST_SetSRID(ST_MakePoint(120 + (i::bigint * 7919 % 30000) / 10000.0, 30 + (i::bigint * 104729 % 20000) / 10000.0), 4326),
            (i % 90)::real, (i % 360)::real, 'bench'
     FROM generate_series(1, $1) i`,
    [POSITIONS, TRUCKS],
  );
  await pool.query('ANALYZE');
  const counts = (
    await pool.query(
      `SELECT (SELECT count(*) FROM positions)::int AS positions, (SELECT count(*) FROM consignments)::int AS movements, (SELECT count(*) FROM alerts)::int AS alerts,
              (SELECT count(*) FROM alerts WHERE type = 'ROUTE_DEVIATION')::int AS deviations`,
    )
  ).rows[0];
  const generateS = Number(((performance.now() - t0) / 1000).toFixed(1));
  say(`generated in ${generateS} s: ${JSON.stringify(counts)}`);

  // The three sides alternate within each round, so that a busy moment of the machine hits all of them.
  const sides = [
    { name: 'plain', district: '0000', rewrite: unscopedForBench },
    { name: 'hq', district: '0000', rewrite: undefined },
    { name: 'direct_2200', district: '2200', rewrite: undefined },
  ] as const;
  const cases: Record<string, unknown> = {};
  for (const [name, input] of [
    ['day_by_district', { period: 'day', date: '2026-11-15', by: 'district' }],
    ['day_by_route', { period: 'day', date: '2026-11-15', by: 'route' }],
    ['month_by_district', { period: 'month', date: '2026-11', by: 'district' }],
    ['month_by_route', { period: 'month', date: '2026-11', by: 'route' }],
  ] as const satisfies [string, ReportInput][]) {
    const ms: Record<string, number[]> = { plain: [], hq: [], direct_2200: [] };
    const movements: Record<string, number> = {};
    for (let round = 0; round <= RUNS; round++) {
      for (const side of sides) {
        const t = performance.now();
        const r = await buildReport(pool, side.district, input, side.rewrite);
        if (round > 0) ms[side.name]!.push(performance.now() - t); // round 0 warms up
        movements[side.name] = r.total.movements;
      }
    }
    const [plain, hq, direct] = [median(ms.plain!), median(ms.hq!), median(ms.direct_2200!)];
    cases[name] = {
      plain_ms: plain,
      hq_ms: hq,
      direct_2200_ms: direct,
      hq_over_plain: Number((hq / plain).toFixed(2)),
      direct_over_plain: Number((direct / plain).toFixed(2)),
      movements,
    };
    say(`${name}: ${JSON.stringify(cases[name])}`);
  }
  console.log(JSON.stringify({ bench: 'reports', database: postgis.database, runs: RUNS, generate_s: generateS, ...counts, cases }));
  if (process.env.BENCH_KEEP) say(`kept the database: ${db.url}`);
  else await db.drop();
  await postgis.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
