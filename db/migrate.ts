// Applies the SQL migrations in db/migrations with node-pg-migrate. Idempotent.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type pg from 'pg';
import { runner } from 'node-pg-migrate';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function migrate(pool: pg.Pool, say: (msg: string) => void = () => {}): Promise<string[]> {
  const client = await pool.connect();
  try {
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: 'pgmigrations',
      direction: 'up',
      count: Infinity,
      singleTransaction: true,
      log: () => {},
    });
    const names = applied.map((m) => m.name);
    if (names.length) say(`Applied migrations: ${names.join(', ')}`);
    return names;
  } finally {
    client.release();
  }
}
