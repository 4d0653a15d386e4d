// bench/ledger: the cost of chaining position batches into the ledger, and verification speed.
// Batches go through the PositionWriter (insert + digest + ledger entry in one transaction)
// and, as the baseline in the same run, through the plain INSERT … SELECT FROM unnest without
// the ledger, alternating in rounds so both see the same table size. Then the baseline rows
// are removed and verifyLedger walks the chain. Prints one JSON line.
// DATABASE_URL names a PostGIS server (a scratch database is made on it); without it, the
// embedded PostGIS is used.
import { benchPostgis } from './postgis';
import { freshDatabase } from '../db/testing';
import { PositionWriter, positionColumns, type PositionRow } from '../server/pipeline/positionWriter';
import { appendLedgerEntry } from '../server/ledger/ledger';
import { checkpoint } from '../server/ledger/checkpoint';
import { verifyLedger } from '../server/ledger/verify';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 200); // each way
const BATCH_ROWS = Number(process.env.BENCH_BATCH_ROWS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const APPENDS = Number(process.env.BENCH_APPENDS ?? 1000);
const CHAIN = Number(process.env.BENCH_CHAIN ?? 100_000); // entries for the chain-only verification
const ASSETS = 5000;

const BASELINE_SQL = `
  INSERT INTO positions (asset_id, time, geom, speed, course, heading, source, alarm)
  SELECT a, to_timestamp(t / 1000.0), ST_SetSRID(ST_MakePoint(x, y), 4326), s, c, h, src, al
  FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::real[], $6::real[], $7::real[], $8::text[], $9::int[])
       AS u(a, t, x, y, s, c, h, src, al)`;

async function main() {
  const postgis = await benchPostgis();
  const db = await freshDatabase();
  const pool = db.pool;
  const t0 = Date.now() - 3_600_000;
  for (const ms of [t0, Date.now()]) await pool.query('SELECT ensure_positions_partition($1::date)', [new Date(ms).toISOString().slice(0, 10)]);
  let next = 0;
  const batch = (): PositionRow[] =>
    Array.from({ length: BATCH_ROWS }, () => {
      const i = next++;
      return { assetId: 1 + (i % ASSETS), time: t0 + i * 10, lon: 100 + (i % 2000) / 100, lat: 25 + (i % 1500) / 100, speed: (i % 900) / 10, course: i % 360, source: 'sim' };
    });

  const writer = new PositionWriter(pool, { batchRows: BATCH_ROWS, flushMs: 3_600_000 });
  let ledgerMs = 0;
  let baselineMs = 0;
  const perRound = Math.ceil(BATCHES / ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    const plain = Array.from({ length: perRound }, batch);
    let t = performance.now();
    for (const rows of plain) await pool.query(BASELINE_SQL, positionColumns(rows).columns);
    baselineMs += performance.now() - t;

    const chained = Array.from({ length: perRound }, batch);
    t = performance.now();
    for (const rows of chained) for (const row of rows) writer.add(row);
    await writer.flush();
    ledgerMs += performance.now() - t;
    if (writer.pending) throw new Error('the writer failed to store a batch');
    await checkpoint(pool);
  }
  const batches = perRound * ROUNDS;

  // Single entries (e.g. an alert or an audit record), each in its own transaction.
  const t = performance.now();
  for (let i = 0; i < APPENDS; i++) await appendLedgerEntry(pool, 'bench', { i, note: 'a small payload' });
  const appendMs = (performance.now() - t) / APPENDS;
  await checkpoint(pool);

  await pool.query('DELETE FROM positions WHERE batch IS NULL');
  await pool.query('VACUUM ANALYZE positions');
  await pool.query('VACUUM ANALYZE ledger');
  const v = await verifyLedger(pool);
  if (!v.ok) throw new Error(`verification failed: ${JSON.stringify(v.firstBad)}`);
  if (v.positionRows !== batches * BATCH_ROWS) throw new Error(`verified ${v.positionRows} rows, expected ${batches * BATCH_ROWS}`);

  // Chain-only verification speed: many small entries (hashes, links, checkpoints), no positions.
  await db.drop();
  const db2 = await freshDatabase();
  for (let done = 0; done < CHAIN; done += 10_000) {
    await db2.pool.query(`SELECT ledger_append('bench', jsonb_build_object('i', i, 'note', 'a small payload')) FROM generate_series($1::int, $2::int) i`, [
      done,
      Math.min(CHAIN, done + 10_000) - 1,
    ]);
    await checkpoint(db2.pool);
  }
  await db2.pool.query('VACUUM ANALYZE ledger');
  const chain = await verifyLedger(db2.pool);
  if (!chain.ok || chain.entries !== CHAIN + Math.ceil(CHAIN / 10_000)) throw new Error(`chain verification: ${JSON.stringify(chain.firstBad ?? chain.entries)}`);
  await db2.drop();

  const withLedger = ledgerMs / batches;
  const baseline = baselineMs / batches;
  console.log(
    JSON.stringify({
      bench: 'ledger',
      database: postgis.database,
      batches_each_way: batches,
      batch_rows: BATCH_ROWS,
      ms_per_batch_with_ledger: Number(withLedger.toFixed(2)),
      baseline_ms_per_batch_plain_insert: Number(baseline.toFixed(2)),
      ledger_overhead_ratio: Number((withLedger / baseline).toFixed(2)),
      ledger_overhead_ms_per_batch: Number((withLedger - baseline).toFixed(2)),
      single_entry_append_ms: Number(appendMs.toFixed(3)),
      verify_entries: v.entries,
      verify_checkpoints: v.checkpoints,
      verify_position_rows: v.positionRows,
      verify_ms: v.ms,
      verify_entries_per_s: Math.round(v.entries / (v.ms / 1000)),
      verify_position_rows_per_s: Math.round(v.positionRows / (v.ms / 1000)),
      chain_only_entries: chain.entries,
      chain_only_verify_ms: chain.ms,
      chain_only_verify_entries_per_s: Math.round(chain.entries / (chain.ms / 1000)),
    }),
  );
  await postgis.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
