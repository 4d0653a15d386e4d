// bench/search: the console's search latency (p50, p99) over 100,000 consignments in real PostGIS,
// with the trigram indexes against the same queries without them, in the same run. One JSON line.
import { freshDatabase } from '../db/testing';
import { search } from '../server/queries/search';
import { seedWorld } from '../server/sim/seed';
import { benchPostgis } from './postgis';

const CONSIGNMENTS = Number(process.env.BENCH_CONSIGNMENTS ?? 100_000);
const TRUCKS = 20_000;
const QUERIES = 300;

function pct(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!.toFixed(2));
}

async function main() {
  const postgis = await benchPostgis();
  const db = await freshDatabase();
  const pool = db.pool;
  await seedWorld(pool);
  console.error(`generating ${CONSIGNMENTS} consignments…`);
  await pool.query(
    `INSERT INTO assets (key, kind, label, plate, terminal)
     SELECT 'tel:0139' || lpad(i::text, 8, '0'), 'vehicle', p, p, '0139' || lpad(i::text, 8, '0')
     FROM (SELECT i, (ARRAY['沪','浙','苏','粤'])[1 + i % 4] || chr(65 + i % 26) || '·' || lpad((i::bigint * 7919 % 100000)::text, 5, '0') AS p
           FROM generate_series(1, $1) i) s`,
    [TRUCKS],
  );
  await pool.query(
    `INSERT INTO consignments (reference, seal_id, asset_id, origin_site, dest_site, route_id, departure, deadline, status, districts)
     SELECT 'ZG' || (ARRAY['2200','2900','3100','5300','2300'])[1 + i % 5] || '2026' || lpad((i::bigint * 104729 % 1000000000)::text, 9, '0'),
            'SL' || lpad((i::bigint * 15485863 % 10000000000)::text, 10, '0'),
            (SELECT min(id) FROM assets) + (i % $2), r.from_site, r.to_site, r.id,
            now() - (i % 1000) * interval '1 h', now() - (i % 1000) * interval '1 h' + interval '5 h',
            CASE WHEN i % 5 = 0 THEN 'in_transit' ELSE 'arrived' END, r.d
     FROM generate_series(1, $1) i
     JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, from_site, to_site, touched_districts(from_site, to_site, id) AS d FROM routes) r
       ON r.k = i % (SELECT count(*) FROM routes)`,
    [CONSIGNMENTS, TRUCKS],
  );
  await pool.query('ANALYZE');

  // Queries as officers type them: pieces of real references, seals and plates.
  const sample = (await pool.query(`SELECT c.reference, c.seal_id, a.plate FROM consignments c JOIN assets a ON a.id = c.asset_id ORDER BY random() LIMIT $1`, [QUERIES])).rows;
  const queries = sample.map((r, i) => (i % 3 === 0 ? r.reference.slice(6, 16) : i % 3 === 1 ? r.seal_id.slice(2, 10) : r.plate.slice(1)));
  const run = async () => {
    const ms: number[] = [];
    for (const [i, q] of queries.entries()) {
      const t = performance.now();
      await search(pool, i % 2 ? '2200' : '0000', { q, limit: 20 });
      ms.push(performance.now() - t);
    }
    return ms.sort((a, b) => a - b);
  };
  await run(); // warm the cache
  const indexed = await run();
  await pool.query('DROP INDEX consignments_reference_trgm, consignments_seal_trgm, assets_search_trgm');
  const scanned = await run();
  console.log(
    JSON.stringify({
      bench: 'search',
      database: postgis.database,
      consignments: CONSIGNMENTS,
      queries: QUERIES,
      trigram_p50_ms: pct(indexed, 50),
      trigram_p99_ms: pct(indexed, 99),
      baseline_no_index_p50_ms: pct(scanned, 50),
      baseline_no_index_p99_ms: pct(scanned, 99),
      p50_speedup: Number((pct(scanned, 50) / pct(indexed, 50)).toFixed(1)),
    }),
  );
  await db.drop();
  await postgis.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
