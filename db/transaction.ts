// One transaction on a pooled connection. A connection that saw an error is discarded rather
// than returned to the pool (the embedded PGlite's socket can be left out of step after an
// error: electric-sql/pglite#958; on a server it costs one reconnect).
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    client.release(err as Error);
    throw err;
  }
}
