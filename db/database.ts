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
  /** Fills an empty database (after the migrations, under the same lock). */
  seed?: (pool: pg.Pool) => Promise<void>;
}

/** Held while a node migrates and seeds, so nodes of a cluster that start together take turns. */
const SETUP_LOCK = 7_280_011_530;

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
  // A connection the pool has lent out (a transaction between two statements) has no listener of the
  // pool's: when the server goes away (a restart) its 'error' event would end the process. The
  // statement in flight, or the next, fails and its caller retries; this only keeps the process up.
  pool.on('connect', (client) => client.on('error', () => {}));
  if (embedded || (opts.poolMax ?? 10) < 2) {
    // One connection (the embedded database): one process, nobody to take turns with, and the lock
    // would hold the only connection.
    await migrate(pool, say);
    await opts.seed?.(pool);
  } else {
    const lock = await pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [SETUP_LOCK]);
      await migrate(pool, say);
      await opts.seed?.(pool);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [SETUP_LOCK]).catch(() => undefined);
      lock.release();
    }
  }
  return {
    pool,
    embedded: !!embedded,
    async close() {
      await pool.end();
      await embedded?.stop();
    },
  };
}
