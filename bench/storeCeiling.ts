// bench/storeCeiling: the embedded default's ceiling (issue 12, part 6). The real PositionWriter
// (batched INSERT … SELECT FROM unnest, each batch chained into the ledger in its transaction)
// with the server's default batch and flush settings, writing the same rows into the embedded
// PGlite+PostGIS (opened as the app opens it: db/database.ts with no DATABASE_URL, a fresh
// DATA_DIR) and into a PostgreSQL server (DATABASE_URL, default the local one; a scratch database
// is made there), in the same run. Prints sustained rows/s for each and their ratio, and the latency
// of a small read sent meanwhile through the same pool: one JSON line.
//
//   BENCH_ROWS=200000 npm run bench:ceiling
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database';
import { PositionWriter, type PositionRow } from '../server/pipeline/positionWriter';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const WARMUP_ROWS = 10_000;
const TRUCKS = 1000;
const BATCH_ROWS = 2000; // server/config.ts STORE_BATCH_ROWS default
const FLUSH_MS = 1000; // STORE_FLUSH_MS default
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const say = (m: string) => console.error(`[bench:ceiling] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Row i of the run: trucks in turn, each with a fix every 30 s, ending about now. */
const row = (i: number, t0: number): PositionRow => {
  const a = (i % TRUCKS) + 1;
  const k = Math.floor(i / TRUCKS);
  return {
    assetId: a,
    time: t0 + k * 30_000 + (a % 30) * 1000,
    lon: 113 + (a % 90) / 10 + k * 0.002,
    lat: 22 + (a % 100) / 10 + k * 0.001,
    speed: 60,
    course: 45,
    source: 'jt808',
  };
};

/**
 * Feeds `n` rows from `from` through the writer as an ingest would (add as they come, the writer
 * flushing each full batch), holding back while more than a few batches wait, so the figure is
 * what the store sustains and not how fast an array grows. Returns rows/s.
 */
async function feed(db: Database, from: number, n: number, t0: number, probe?: number[]): Promise<number> {
  const writer = new PositionWriter(db.pool, { batchRows: BATCH_ROWS, flushMs: FLUSH_MS });
  writer.start();
  const started = performance.now();
  let writing = true;
  // A read the console sends while fixes are stored (one truck's latest fix), every 50 ms on the
  // app's own pool: on PGlite it queues behind the batches (one session), on PostgreSQL it does not.
  const reads = (async () => {
    while (probe && writing) {
      const t = performance.now();
      await db.pool.query('SELECT time FROM positions WHERE asset_id = 7 ORDER BY time DESC LIMIT 1');
      probe.push(performance.now() - t);
      await sleep(50);
    }
  })();
  for (let i = from; i < from + n; i++) {
    writer.add(row(i, t0));
    if (i % BATCH_ROWS === 0) while (writer.pending > 4 * BATCH_ROWS) await sleep(1);
  }
  await writer.stop();
  const rate = n / ((performance.now() - started) / 1000);
  writing = false;
  await reads;
  return rate;
}

const pct = (xs: number[], p: number) => Number([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(1));

async function measure(db: Database, label: string): Promise<{ rowsPerS: number; ledgerEntries: number; readP50: number; readP99: number }> {
  await db.pool.query(`INSERT INTO assets (id, key, kind) SELECT i, 'bench:' || i, 'vehicle' FROM generate_series(1, $1) i`, [TRUCKS]);
  const t0 = Date.now() - Math.ceil((WARMUP_ROWS + ROWS) / TRUCKS) * 30_000 - 60_000;
  await feed(db, 0, WARMUP_ROWS, t0); // the first partition, plans and caches
  say(`${label}: writing ${ROWS.toLocaleString('en')} rows…`);
  const probe: number[] = [];
  const rowsPerS = await feed(db, WARMUP_ROWS, ROWS, t0, probe);
  const stored = Number((await db.pool.query('SELECT count(*) AS n FROM positions WHERE batch IS NOT NULL')).rows[0].n);
  if (stored !== WARMUP_ROWS + ROWS) throw new Error(`${label}: stored ${stored} rows, expected ${WARMUP_ROWS + ROWS}`);
  const ledgerEntries = Number((await db.pool.query(`SELECT count(*) AS n FROM ledger WHERE kind = 'positions'`)).rows[0].n);
  const readP50 = pct(probe, 50);
  const readP99 = pct(probe, 99);
  say(`${label}: ${Math.round(rowsPerS).toLocaleString('en')} rows/s, ${ledgerEntries} ledger entries; a read meanwhile p50 ${readP50} ms, p99 ${readP99} ms`);
  return { rowsPerS, ledgerEntries, readP50, readP99 };
}

async function main() {
  // PostgreSQL: a scratch database on the server.
  const name = `tw_ceiling_${process.pid}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(SERVER);
  u.pathname = `/${name}`;
  const server = await openDatabase({ url: u.toString(), dataDir: '' });
  const pgResult = await measure(server, 'PostgreSQL');
  await server.close();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();

  // The embedded default, as the app opens it without DATABASE_URL.
  const dataDir = mkdtempSync(join(tmpdir(), 'tw-ceiling-'));
  try {
    let t = performance.now();
    const embedded = await openDatabase({ dataDir, say });
    const startS = (performance.now() - t) / 1000;
    t = performance.now();
    const liteResult = await measure(embedded, 'PGlite');
    await embedded.close();
    console.log(
      JSON.stringify({
        bench: 'ceiling',
        rows: ROWS,
        batch_rows: BATCH_ROWS,
        postgres_rows_per_s: Math.round(pgResult.rowsPerS),
        pglite_rows_per_s: Math.round(liteResult.rowsPerS),
        postgres_over_pglite: Number((pgResult.rowsPerS / liteResult.rowsPerS).toFixed(1)),
        read_while_writing_ms: { postgres_p50: pgResult.readP50, postgres_p99: pgResult.readP99, pglite_p50: liteResult.readP50, pglite_p99: liteResult.readP99 },
        pglite_first_start_and_migrate_s: Number(startS.toFixed(1)),
        pglite_measure_s: Number(((performance.now() - t) / 1000).toFixed(1)),
      }),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
