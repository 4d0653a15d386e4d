// The pool that openDatabase makes survives the server going away under a connection it has lent
// out: a restart of PostgreSQL ends every session, and one held between two statements of a
// transaction must fail its next statement, not end the process (it did, under `npm run load`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { freshDatabase, type TestDatabase } from './testing';
import { openDatabase } from './database';

const embedded = process.env.TW_TEST_EMBEDDED === '1';
let db: TestDatabase;
before(async () => {
  if (!embedded) db = await freshDatabase({ migrate: false });
});
after(async () => {
  await db?.drop();
});

test('a lent connection whose session the server ends fails its next statement; the process and the pool go on', { skip: embedded && 'needs a PostgreSQL server' }, async () => {
  const opened = await openDatabase({ url: db.url, dataDir: 'data', poolMax: 1, say: () => {} });
  const admin = new pg.Pool({ connectionString: db.url, max: 1 });
  try {
    const client = await opened.pool.connect();
    await client.query('BEGIN');
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    // As a restart does: the server ends the session while no statement of ours is running.
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(client.query('SELECT 1'));
    client.release(true);
    const { rows } = await opened.pool.query('SELECT 2 AS n');
    assert.equal(rows[0].n, 2, 'the pool opens a new session');
  } finally {
    await admin.end();
    await opened.close();
  }
});
