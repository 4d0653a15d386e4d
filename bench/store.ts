// bench/store: position reports stored per second through the pipeline's batch path, against
// one INSERT per report, in the same run on the same PostGIS. Prints one JSON line.
// DATABASE_URL names a PostGIS server (a scratch database is made on it); without it, the
// embedded PostGIS is used.
import { benchPostgis } from './postgis';
import { freshDatabase } from '../db/testing';
import { AssetRegistry } from '../server/pipeline/assetRegistry';
import { LatestState } from '../server/pipeline/latestState';
import { Pipeline } from '../server/pipeline/pipeline';
import { PositionWriter } from '../server/pipeline/positionWriter';

const BATCH_REPORTS = Number(process.env.BENCH_REPORTS ?? 100_000);
const SINGLE_REPORTS = Number(process.env.BENCH_SINGLE_REPORTS ?? 5_000);
const ASSETS = 1000;

async function main() {
  const postgis = await benchPostgis();
  const db = await freshDatabase();
  const pool = db.pool;
  await pool.query(`INSERT INTO assets (key, kind) SELECT 'tel:0139' || lpad(i::text, 8, '0'), 'vehicle' FROM generate_series(1, $1) i`, [ASSETS]);
  const registry = new AssetRegistry(pool);
  await registry.load();
  const now = Date.now();
  const report = (i: number) => ({
    assetKey: `tel:0139${String((i % ASSETS) + 1).padStart(8, '0')}`,
    kind: 'vehicle' as const,
    source: 'sim' as const,
    time: now - 600_000 + i,
    lon: 121 + (i % 1000) / 1000,
    lat: 31 + (i % 777) / 1000,
    speed: 60,
    course: i % 360,
  });
  for (const ms of [now - 600_000, now]) await pool.query('SELECT ensure_positions_partition($1::date)', [new Date(ms).toISOString().slice(0, 10)]);

  // Baseline: one INSERT per report, awaited in turn.
  let t = performance.now();
  for (let i = 0; i < SINGLE_REPORTS; i++) {
    const r = report(i);
    await pool.query(
      `INSERT INTO positions (asset_id, time, geom, speed, course, source) VALUES ($1, to_timestamp($2 / 1000.0), ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6, $7)`,
      [registry.get(r.assetKey)!.id, r.time, r.lon, r.lat, r.speed, r.course, r.source],
    );
  }
  const singleS = (performance.now() - t) / 1000;

  // The pipeline's batch path: validate, latest state, batched INSERT … SELECT FROM unnest.
  const writer = new PositionWriter(pool, { batchRows: 5000, flushMs: 1000 });
  const pipeline = new Pipeline(registry, new LatestState(20), writer);
  t = performance.now();
  for (let i = 0; i < BATCH_REPORTS; i++) pipeline.ingest(report(SINGLE_REPORTS + i));
  await writer.flush();
  const batchS = (performance.now() - t) / 1000;
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM positions');
  if (rows[0].n !== BATCH_REPORTS + SINGLE_REPORTS) throw new Error(`stored ${rows[0].n} rows, expected ${BATCH_REPORTS + SINGLE_REPORTS}`);

  const batchRate = BATCH_REPORTS / batchS;
  const singleRate = SINGLE_REPORTS / singleS;
  console.log(
    JSON.stringify({
      bench: 'store',
      database: postgis.database,
      batch_reports: BATCH_REPORTS,
      batch_reports_per_s: Math.round(batchRate),
      baseline_single_insert_reports: SINGLE_REPORTS,
      baseline_reports_per_s: Math.round(singleRate),
      speedup: Number((batchRate / singleRate).toFixed(1)),
    }),
  );
  await db.drop();
  await postgis.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
