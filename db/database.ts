// Opens the database the configuration names: a PostGIS server (DATABASE_URL) or the
// embedded PostGIS under DATA_DIR (served on a Unix socket only the app's user can reach,
// db/embedded.ts). Either way the rest of the code sees one pg.Pool.
import pg from 'pg';
import { startEmbeddedPostgis, type EmbeddedPostgis } from './embedded';
import { migrate } from './migrate';

export interface Database {
  pool: pg.Pool;
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  url?: string;
  dataDir: string;
  poolMax?: number;
  say?: (msg: string) => void;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const say = opts.say ?? (() => {});
  let embedded: EmbeddedPostgis | undefined;
  let url = opts.url;
  if (!url) {
    embedded = await startEmbeddedPostgis(opts.dataDir, 0, say);
    url = embedded.url;
  }
  // PGlite serves one session, so the embedded pool holds a single connection.
  const pool = new pg.Pool({ connectionString: url, max: embedded ? 1 : (opts.poolMax ?? 10), idleTimeoutMillis: 0 });
  pool.on('error', (err) => say(`database connection error: ${err.message}`));
  await migrate(pool, say);
  return {
    pool,
    embedded: !!embedded,
    async close() {
      await pool.end();
      await embedded?.stop();
    },
  };
}
