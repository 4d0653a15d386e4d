// bench/positions100m: the positions table at 100,000,000 rows (issue 12, part 4). Builds its own
// database on the PostGIS server DATABASE_URL names (default the local one): ~1,160 trucks
// reporting every 30 s for 30 days, one native daily partition per day (the schema's own
// partitioning; pg_partman is not used). Each day is loaded as a plain table with no index
// (INSERT … SELECT over generate_series, all in the server), then indexed, then ATTACHed, so the
// parent's indexes adopt the partition's instead of building them row by row. Then EXPLAIN
// (ANALYZE, BUFFERS) of the app's track query (server/queries/track.ts, captured as loadTrack sends
// it) and of a bbox/time query, and p50/p95/p99 of loadTrack over ≥1,000 random (asset, window)
// pairs beside the same calls on a 1,000,000-row database built the same way, in the same run
// (interleaved, so both see the same load on the box). One JSON line on stdout; progress and plans
// on stderr.
//
//   npm run bench:positions100m -- [--rows N] [--days D] [--fresh] [--samples K]
//
// A loaded database is reused (a re-run only measures) unless --fresh; a load cut short resumes
// at the first day not yet attached.
import { execFile } from 'node:child_process';
import pg from 'pg';
import { migrate } from '../db/migrate';
import { seedDistrictTree } from '../server/auth/districtSeed';
import { loadTrack } from '../server/queries/track';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const ROWS = Number(arg('rows') ?? 100_000_000);
const DAYS = Number(arg('days') ?? 30);
const SAMPLES = Number(arg('samples') ?? 1000);
const FRESH = process.argv.includes('--fresh');
const BASELINE_ROWS = 1_000_000;
const SLOT_S = 30; // one fix per truck every 30 s (JT/T 808's usual interval while moving)
const SLOTS = 86_400 / SLOT_S;
const BATCH_ROWS = 5000; // the PositionWriter's batch: rows of one batch share its ledger seq
const DAY_MS = 86_400_000;
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const say = (m: string) => console.error(`[bench:positions100m] ${m}`);
const round = (x: number, d = 2) => Number(x.toFixed(d));

const urlFor = (name: string) => {
  const u = new URL(SERVER);
  u.pathname = `/${name}`;
  return u.toString();
};

/** On this machine's server, the backend runs at nice 10 like the bench (the box is shared). */
async function niceBackend(c: pg.PoolClient | pg.Client) {
  if (!['127.0.0.1', 'localhost'].includes(new URL(SERVER).hostname)) return;
  const pid = (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  await new Promise((r) => execFile('renice', ['-n', '10', '-p', String(pid)], () => r(undefined)));
}

interface Meta {
  rows: number;
  days: number;
  start: string; // first day, YYYY-MM-DD (UTC)
  assets: number;
  load_s: number;
  complete: boolean;
}

/**
 * One day's rows, in the order the writer stores them (time-major: every truck's fix of one 30-s
 * slot, then the next slot), as one INSERT … SELECT. Each truck shuttles along its own leg (100–500
 * km, a bearing, 50–90 km/h) with a slight weave, parked six hours a day (speed 0, fixes still
 * sent); the batch is the writer's 5,000-row batch number.
 */
const DAY_SQL = (table: string) => `
  INSERT INTO ${table} (asset_id, time, geom, speed, course, heading, source, alarm, batch)
  SELECT a, $1::timestamptz + sec * interval '1 second',
         ST_SetSRID(ST_MakePoint(lon0 + s * sin(th) / (111.32 * cos(radians(lat0))), lat0 + s * cos(th) / 110.57 + 0.003 * sin(d / 2)), 4326),
         CASE WHEN parked THEN 0 ELSE round(v + 6 * sin(i / 7.0::float8 + a)) END,
         c, c, CASE a % 10 WHEN 0 THEN 'jt809' WHEN 1 THEN 'osmand' ELSE 'jt808' END, NULL,
         $4::bigint + (i * $2::bigint + a - 1) / ${BATCH_ROWS}
  FROM generate_series(0, ${SLOTS - 1}) i
  CROSS JOIN LATERAL generate_series(1, least($2::bigint, $3::bigint - i * $2::bigint)) a
  -- float8 throughout: numeric arithmetic (what a bare 0.618 literal gives) costs several times more.
  CROSS JOIN LATERAL (SELECT (i * ${SLOT_S} + a % ${SLOT_S})::float8 AS sec, a * 0.6180339887::float8 AS f1, a * 0.4142135624::float8 AS f2,
                             a * 0.7548776662::float8 AS f3, a * 0.5698402910::float8 AS f4, a * 0.3247179572::float8 AS f5) f
  CROSS JOIN LATERAL (SELECT 113 + 9 * (f1 - floor(f1)) AS lon0, 22 + 10 * (f2 - floor(f2)) AS lat0, 2 * pi() * (f3 - floor(f3)) AS th,
                             100 + 400 * (f4 - floor(f4)) AS len, 50 + 40 * (f5 - floor(f5)) AS v, $5::float8 + sec / 3600 + a % 24 AS hh) p
  CROSS JOIN LATERAL (SELECT hh - 24 * floor(hh / 24) < 6 AS parked, v * (floor(hh / 24) * 18 + greatest(0, hh - 24 * floor(hh / 24) - 6)) AS d) m
  CROSS JOIN LATERAL (SELECT d - 2 * len * floor(d / (2 * len)) AS ph) ph
  CROSS JOIN LATERAL (SELECT least(ph, 2 * len - ph) AS s, (degrees(th) + CASE WHEN ph < len THEN 0 ELSE 180 END)::real AS c0) q
  CROSS JOIN LATERAL (SELECT CASE WHEN c0 >= 360 THEN c0 - 360 ELSE c0 END AS c) cc
  WHERE i * $2::bigint < $3::bigint`;

/** Creates (or reuses, or resumes) a database of `rows` positions over `days` daily partitions. */
async function build(name: string, rows: number, days: number, fresh: boolean): Promise<Meta> {
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  if (fresh) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const pool = new pg.Pool({ connectionString: urlFor(name), max: 1 });
  await migrate(pool, say);
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_meta (rows bigint, days int, start date, assets int, load_s float8, complete boolean)`);
  let meta: Meta | undefined = (await pool.query(`SELECT rows::float8 AS rows, days, start::text, assets, load_s, complete FROM bench_meta`)).rows[0];
  if (meta && (meta.rows !== rows || meta.days !== days)) {
    say(`${name} holds ${meta.rows} rows over ${meta.days} days, not ${rows} over ${days}: loading it afresh`);
    await pool.end();
    return build(name, rows, days, true);
  }
  if (meta?.complete) {
    say(`${name}: reusing ${rows.toLocaleString('en')} rows (loaded in ${round(meta.load_s, 1)} s); --fresh to reload`);
    await pool.end();
    return meta;
  }
  const perDay = Math.ceil(rows / days);
  const assets = Math.ceil(perDay / SLOTS);
  if (!meta) {
    const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS).toISOString().slice(0, 10);
    meta = { rows, days, start, assets, load_s: 0, complete: false };
    await pool.query(`INSERT INTO bench_meta VALUES ($1, $2, $3, $4, 0, false)`, [rows, days, start, assets]);
    await seedDistrictTree(pool);
    await pool.query(
      `INSERT INTO assets (id, key, kind, label, plate, district)
       SELECT i, 'bench:' || i, 'vehicle', '沪B·' || lpad(i::text, 5, '0'), '沪B·' || lpad(i::text, 5, '0'), (SELECT code FROM districts WHERE level = 'hq')
       FROM generate_series(1, $1) i`,
      [assets],
    );
    await pool.query(`SELECT setval(pg_get_serial_sequence('assets', 'id'), $1)`, [assets]);
  }

  const c = await pool.connect();
  await niceBackend(c);
  await c.query(`SET maintenance_work_mem = '512MB'`);
  await c.query(`SET synchronous_commit = off`);
  const t0 = performance.now();
  let loaded = 0;
  for (let k = 0; k < days; k++) {
    const day = new Date(Date.parse(meta.start) + k * DAY_MS);
    const table = `positions_${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
    const dayRows = Math.min(perDay, rows - k * perDay);
    if (dayRows <= 0) break;
    const attached = (await c.query(`SELECT c.relispartition AS p FROM pg_class c WHERE c.oid = to_regclass($1)`, [table])).rows[0]?.p;
    if (attached) continue;
    const from = day.toISOString();
    const to = new Date(day.getTime() + DAY_MS).toISOString();
    const step = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
      const t = performance.now();
      const r = await f();
      return [r, (performance.now() - t) / 1000];
    };
    const dayT0 = performance.now();
    await c.query(`DROP TABLE IF EXISTS ${table}`);
    await c.query(`CREATE TABLE ${table} (LIKE positions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    const [ins, insS] = await step(() => c.query(DAY_SQL(table), [from, assets, dayRows, k * Math.ceil(perDay / BATCH_ROWS) + 1, day.getTime() / 3_600_000]));
    // The parent's three indexes, built once over the whole day; ATTACH adopts them.
    const [, btS] = await step(() => c.query(`CREATE INDEX ON ${table} (asset_id, time)`));
    const [, gistS] = await step(() => c.query(`CREATE INDEX ON ${table} USING gist (geom)`));
    const [, brinS] = await step(() => c.query(`CREATE INDEX ON ${table} USING brin (batch) WITH (autosummarize = on)`));
    const [, attS] = await step(() => c.query(`ALTER TABLE positions ATTACH PARTITION ${table} FOR VALUES FROM ('${from}') TO ('${to}')`));
    // Autovacuum analyzes it some time later; until then the planner guesses (server/ledger/verify.ts).
    const [, anS] = await step(() => c.query(`ANALYZE ${table}`));
    loaded += ins.rowCount ?? 0;
    const el = (performance.now() - t0) / 1000;
    say(
      `${table}: ${ins.rowCount?.toLocaleString('en')} rows — insert ${round(insS, 1)} s (${Math.round((ins.rowCount ?? 0) / insS).toLocaleString('en')} rows/s), ` +
        `btree ${round(btS, 1)} s, gist ${round(gistS, 1)} s, brin ${round(brinS, 1)} s, attach ${round(attS, 1)} s, analyze ${round(anS, 1)} s; ` +
        `${loaded.toLocaleString('en')} rows in ${round(el, 0)} s (${Math.round(loaded / el).toLocaleString('en')} rows/s overall)`,
    );
    // Kept per day, so a load resumed after an interruption still reports its whole time.
    meta.load_s = (await c.query(`UPDATE bench_meta SET load_s = load_s + $1 RETURNING load_s`, [(performance.now() - dayT0) / 1000])).rows[0].load_s;
  }
  // The parent's own statistics: autovacuum never analyzes a partitioned table.
  await c.query(`ANALYZE positions`);
  // Every partition index attached to the parent's (none left to build on the parent).
  const unattached = (
    await c.query(`SELECT count(*)::int AS n FROM pg_partition_tree('positions') t JOIN pg_index i ON i.indrelid = t.relid
                   WHERE t.isleaf AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)`)
  ).rows[0].n;
  if (unattached) throw new Error(`${unattached} partition indexes are not attached to the parent's`);
  await c.query(`UPDATE bench_meta SET complete = true`);
  meta.complete = true;
  c.release();
  await pool.end();
  return meta;
}

/** A deterministic PRNG (mulberry32), so both databases get the same windows. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!);
};

interface Target {
  name: string;
  meta: Meta;
  pool: pg.Pool;
  hq: string;
}

async function open(name: string, meta: Meta): Promise<Target> {
  const pool = new pg.Pool({ connectionString: urlFor(name), max: 1 });
  const c = await pool.connect();
  await niceBackend(c);
  c.release();
  const hq = (await pool.query(`SELECT code FROM districts WHERE level = 'hq'`)).rows[0].code;
  return { name, meta, pool, hq };
}

/** A window of 1–24 h on a random truck, inside the loaded days. */
const window = (r: () => number, meta: Meta) => {
  const len = (1 + 23 * r()) * 3_600_000;
  const span = meta.days * DAY_MS;
  const from = Date.parse(meta.start) + Math.floor(r() * (span - len));
  return { pick: r(), from, to: from + len };
};

/** The SQL loadTrack sends for its fixes, with its parameters (the second of its queries). */
async function trackSql(t: Target, assetId: number, from: number, to: number) {
  const seen: { text: string; values: unknown[] }[] = [];
  const spy = { query: (text: string, values: unknown[]) => (seen.push({ text, values }), t.pool.query(text, values)) } as unknown as pg.Pool;
  await loadTrack(spy, t.hq, assetId, { from, to, format: 'geojson' });
  return seen[1]!;
}

async function explain(t: Target, title: string, sql: string, values: unknown[]) {
  const { rows } = await t.pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values);
  console.error(`\n--- ${t.name}: ${title}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
}

// Where were trucks in a 0.2° box (~20 km) over two hours: the GiST index of each partition the
// window prunes to, against the time range. (No app query reads positions by area today; this is
// the one an area search or a heat map would send.)
const BBOX_SQL = `SELECT count(*) AS fixes, count(DISTINCT asset_id) AS trucks FROM positions
  WHERE geom && ST_MakeEnvelope($1::float8, $2::float8, $1::float8 + 0.2, $2::float8 + 0.2, 4326) AND time >= $3::timestamptz AND time < $3::timestamptz + interval '2 hours'`;

async function main() {
  const t0 = performance.now();
  const big = await build('tw_bench_100m', ROWS, DAYS, FRESH);
  const base = await build('tw_bench_1m', BASELINE_ROWS, DAYS, false);
  const targets = [await open('tw_bench_1m', base), await open('tw_bench_100m', big)];
  const [small, large] = targets as [Target, Target];
  const sizes = (
    await large.pool.query(`SELECT sum(pg_table_size(relid))::float8 AS heap, sum(pg_indexes_size(relid))::float8 AS idx, count(*)::int AS parts
    FROM pg_partition_tree('positions') WHERE isleaf`)
  ).rows[0];

  // Plans: a 6-hour track in the middle of the month across midnight (two partitions of all), and
  // the bbox query around that truck.
  const mid = Date.parse(large.meta.start) + Math.floor(large.meta.days / 2) * DAY_MS + 21 * 3_600_000;
  for (const t of targets) {
    const q = await trackSql(t, 7, mid, mid + 6 * 3_600_000);
    await explain(t, 'track query (loadTrack, 6 h of asset 7, 21:00–03:00 UTC)', q.text, q.values);
    const at = (await t.pool.query(`SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM positions WHERE asset_id = 7 AND time >= to_timestamp($1 / 1000.0) ORDER BY time LIMIT 1`, [mid]))
      .rows[0];
    await explain(t, 'bbox/time query (0.2° box, 2 h)', BBOX_SQL, [at.x - 0.1, at.y - 0.1, new Date(mid).toISOString()]);
  }

  // loadTrack over random windows, the 1M and the big database alternating call by call.
  const r = rng(12);
  const times: Record<string, number[]> = { small: [], large: [] };
  const fixes: Record<string, number> = { small: 0, large: 0 };
  for (let i = 0; i < 20; i++) for (const t of targets) await loadTrack(t.pool, t.hq, 1 + (i % t.meta.assets), { from: mid, to: mid + 3_600_000, format: 'geojson' }); // warm-up
  for (let i = 0; i < SAMPLES; i++) {
    const w = window(r, large.meta);
    for (const [key, t] of [
      ['small', small],
      ['large', large],
    ] as const) {
      const asset = 1 + Math.floor(w.pick * t.meta.assets);
      const s = performance.now();
      const track = await loadTrack(t.pool, t.hq, asset, { from: w.from, to: w.to, format: 'geojson' });
      times[key]!.push(performance.now() - s);
      fixes[key]! += track?.total ?? 0;
    }
  }
  for (const t of targets) await t.pool.end();

  const stat = (k: string) => ({ p50: pct(times[k]!, 50), p95: pct(times[k]!, 95), p99: pct(times[k]!, 99), mean_fixes: Math.round(fixes[k]! / SAMPLES) });
  const s = stat('small');
  const l = stat('large');
  console.log(
    JSON.stringify({
      bench: 'positions100m',
      database: 'PostGIS server',
      rows: ROWS,
      partitions: sizes.parts,
      trucks: large.meta.assets,
      load_s: round(large.meta.load_s, 1),
      load_rows_per_s: Math.round(ROWS / large.meta.load_s),
      heap_gb: round(sizes.heap / 1e9),
      index_gb: round(sizes.idx / 1e9),
      samples: SAMPLES,
      track_ms: l,
      baseline_rows: BASELINE_ROWS,
      baseline_trucks: small.meta.assets,
      baseline_track_ms: s,
      ratio_p50: round(l.p50 / s.p50),
      ratio_p95: round(l.p95 / s.p95),
      ratio_p99: round(l.p99 / s.p99),
      wall_s: round((performance.now() - t0) / 1000, 1),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
