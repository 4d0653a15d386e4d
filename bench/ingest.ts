// bench/ingest: end to end, position reports per second from a TCP replay of an AIS NMEA capture
// to rows in PostGIS (listener → decoder → pipeline → batched store), against the same reports
// handed to the pipeline directly (no wire, no decoding), in the same run. One JSON line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchPostgis } from './postgis';
import { freshDatabase, testPoolMax } from '../db/testing';
import { startApp } from '../server/app';
import { loadConfig } from '../server/config';
import { encodeType1, nmeaChecksum } from '../server/sim/wire/aisEncode';
import { replayCommand } from '../server/tools/replay';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 100_000);
const VESSELS = 1000;

async function countRows(pool: import('pg').Pool, source: string): Promise<number> {
  return (await pool.query('SELECT count(*)::int AS n FROM positions WHERE source = $1', [source])).rows[0].n;
}

async function waitFor(pool: import('pg').Pool, source: string, n: number): Promise<void> {
  while ((await countRows(pool, source)) < n) await new Promise((r) => setTimeout(r, 50));
}

async function main() {
  const postgis = await benchPostgis();
  const db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    AIS_PORT: '0',
    JT808_PORT: '-1',
    JT809_PORT: '-1',
    OSMAND_PORT: '-1',
    STORE_BATCH_ROWS: '5000',
    STORE_FLUSH_MS: '200',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
  });
  const app = await startApp(config, { say: () => {}, ingest: true });

  // The capture: REPORTS class A position reports from 1,000 vessels, each with its fix time in a tag block.
  const t0 = Date.now() - REPORTS * 10;
  const fixes = Array.from({ length: REPORTS }, (_, i) => ({
    mmsi: String(413_000_000 + (i % VESSELS)),
    lat: 30 + (i % 997) / 1000,
    lon: 122 + (i % 991) / 1000,
    sogKn: 10,
    cog: 90,
    time: t0 + i * 10,
  }));
  const lines = fixes.map((f) => {
    const tag = `c:${f.time}`;
    return `\\${tag}*${nmeaChecksum(tag)}\\${encodeType1({ ...f, navStatus: 0 })[0]}`;
  });
  const file = join(mkdtempSync(join(tmpdir(), 'tw-bench-')), 'capture.nmea');
  writeFileSync(file, lines.join('\n'));

  // Warm up: register the vessels (first sight creates the asset rows).
  for (let i = 0; i < VESSELS; i++) app.pipeline.ingest({ assetKey: `mmsi:${413_000_000 + i}`, kind: 'vessel', source: 'replay', time: t0 - 1000, lon: 122, lat: 30 });
  await waitFor(db.pool, 'replay', VESSELS);

  let t = performance.now();
  await replayCommand([file, '--to', `tcp://127.0.0.1:${app.listeners!.ports.ais}`, '--rate', '0'], () => {});
  await waitFor(db.pool, 'ais', REPORTS);
  const wireS = (performance.now() - t) / 1000;

  // Baseline: the same fixes straight into the pipeline.
  t = performance.now();
  for (const f of fixes) app.pipeline.ingest({ assetKey: `mmsi:${f.mmsi}`, kind: 'vessel', source: 'http', time: f.time + 1, lon: f.lon, lat: f.lat, speed: 18.52, course: 90 });
  await waitFor(db.pool, 'http', REPORTS);
  const directS = (performance.now() - t) / 1000;

  console.log(
    JSON.stringify({
      bench: 'ingest',
      reports: REPORTS,
      database: postgis.database,
      tcp_replay_to_postgis_per_s: Math.round(REPORTS / wireS),
      baseline_direct_pipeline_per_s: Math.round(REPORTS / directS),
      wire_cost_ratio: Number((directS / wireS).toFixed(2)),
    }),
  );
  await app.close();
  await db.drop();
  await postgis.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
