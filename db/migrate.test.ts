import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from './testing';
import { migrate } from './migrate';

test('migrations apply to an empty database, and a second run changes nothing', async () => {
  const db = await freshDatabase({ migrate: false });
  try {
    const first = await migrate(db.pool);
    assert.ok(first.length >= 1, 'the first run applies the schema');
    const second = await migrate(db.pool);
    assert.deepEqual(second, [], 'the second run applies nothing');
    const { rows } = await db.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    const tables = rows.map((r) => r.table_name);
    for (const t of ['alerts', 'assets', 'consignments', 'districts', 'ledger', 'positions', 'routes', 'sites', 'users']) {
      assert.ok(tables.includes(t), `table ${t} exists`);
    }
    const part = await db.pool.query(`SELECT relkind FROM pg_class WHERE relname = 'positions'`);
    assert.equal(part.rows[0].relkind, 'p', 'positions is partitioned');
    const gist = await db.pool.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'positions_geom_gist'`);
    assert.match(gist.rows[0].indexdef, /USING gist/);
  } finally {
    await db.drop();
  }
});

test('retention drops whole daily partitions older than the limit and keeps the rest', async () => {
  const db = await freshDatabase();
  try {
    for (const daysAgo of [0, 5, 40]) {
      await db.pool.query(`SELECT ensure_positions_partition((now() AT TIME ZONE 'UTC')::date - $1::int)`, [daysAgo]);
    }
    const { rows } = await db.pool.query('SELECT drop_old_positions_partitions(30) AS n');
    assert.equal(rows[0].n, 1);
    const left = await db.pool.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'positions'::regclass`);
    assert.equal(left.rows[0].n, 2);
  } finally {
    await db.drop();
  }
});
