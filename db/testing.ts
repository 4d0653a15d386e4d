// Test databases: a fresh database per test file on a PostGIS server (DATABASE_URL), or,
// against the embedded PostGIS (TW_TEST_EMBEDDED=1, one database only), a wiped schema.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from './migrate';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('tests need DATABASE_URL (npm test sets it, starting the embedded PostGIS when none is given)');
  return url;
}

/**
 * Empties the one embedded database for the next test file: drops the project's tables and
 * functions but keeps the PostGIS extension, whose operator lookups PGlite's single backend
 * caches (dropping and re-creating it breaks index-assisted ST_Intersects in the same session).
 */
export async function resetSchema(pool: pg.Pool): Promise<void> {
  await pool.query(`DO $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.relname);
      END LOOP;
      FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', r.sig);
      END LOOP;
      FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'S'
                 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
        EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', r.relname);
      END LOOP;
    END $$`);
}

/** Pool size for test pools and servers: one against the embedded PostGIS (one session). */
export const testPoolMax = (): number => (process.env.TW_TEST_EMBEDDED === '1' ? 1 : 5);

export async function freshDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const embedded = process.env.TW_TEST_EMBEDDED === '1';
  let url = serverUrl;
  let name: string | undefined;
  if (embedded) {
    const admin = new pg.Pool({ connectionString: serverUrl, max: 1 });
    await resetSchema(admin);
    await admin.end();
  } else {
    name = `tw_test_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const pool = new pg.Pool({ connectionString: url, max: testPoolMax() });
  // Dropping the database (WITH FORCE) ends connections a test still holds; that is expected.
  pool.on('error', () => {});
  if (opts.migrate !== false) await migrate(pool);
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      if (!name) return;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
