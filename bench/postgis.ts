// Where a benchmark's PostGIS comes from: the server DATABASE_URL names (each bench makes its own
// scratch database on it), or, without one, the embedded PostGIS under ./data/bench.
import { startEmbeddedPostgis } from '../db/embedded';

export interface BenchPostgis {
  /** For the JSON line: which kind of PostGIS the figures come from. */
  database: string;
  stop(): Promise<void>;
}

export async function benchPostgis(): Promise<BenchPostgis> {
  if (process.env.DATABASE_URL) return { database: 'PostGIS server', stop: async () => {} };
  const e = await startEmbeddedPostgis('./data/bench', 0, (m) => console.error(m));
  process.env.DATABASE_URL = e.url;
  process.env.TW_TEST_EMBEDDED = '1';
  return { database: 'embedded PGlite+PostGIS', stop: e.stop };
}
