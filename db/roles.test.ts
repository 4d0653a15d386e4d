// db/roles.sql on a PostgreSQL server: the app's role is no superuser, runs the migrations and
// the ledger, and cannot UPDATE, DELETE or TRUNCATE ledger entries. Needs a server (not the
// embedded PostGIS, which has no roles to speak of).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { freshDatabase } from './testing';
import { migrate } from './migrate';
import { appendLedgerEntry } from '../server/ledger/ledger';
import { checkpoint } from '../server/ledger/checkpoint';
import { verifyLedger } from '../server/ledger/verify';

const embedded = process.env.TW_TEST_EMBEDDED === '1';

test('attack: the app role of db/roles.sql is no superuser and cannot rewrite the ledger, as its owner either', { skip: embedded && 'needs a PostgreSQL server' }, async () => {
  const db = await freshDatabase({ migrate: false });
  const role = `tw_role_${randomBytes(4).toString('hex')}`;
  const sql = readFileSync(new URL('./roles.sql', import.meta.url), 'utf8').replace(/\btransitwatch\b/g, role);
  let app: pg.Pool | undefined;
  try {
    await db.pool.query(sql);
    const u = new URL(db.url);
    u.username = role;
    app = new pg.Pool({ connectionString: u.toString(), max: 2 });
    app.on('error', () => {});
    const {
      rows: [me],
    } = await app.query(`SELECT current_user AS who, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    assert.deepEqual(me, { who: role, rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false });

    await migrate(app); // as the app does at start
    const {
      rows: [owner],
    } = await app.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'ledger'`);
    assert.equal(owner.tableowner, role, 'the app role owns what it migrated');
    await appendLedgerEntry(app, 'note', { n: 1 });
    await appendLedgerEntry(app, 'note', { n: 2 });
    assert.ok(await checkpoint(app));

    for (const stmt of [`UPDATE ledger SET payload = '{}' WHERE seq = 1`, `DELETE FROM ledger WHERE kind = 'checkpoint'`, 'TRUNCATE ledger']) {
      await assert.rejects(app.query(stmt), /permission denied for table ledger|append-only/, stmt);
    }
    // Even after giving itself the privileges back (it owns the table), the trigger stops it.
    await app.query(`GRANT UPDATE, DELETE ON ledger TO ${role}`);
    await assert.rejects(app.query(`DELETE FROM ledger WHERE seq = 3`), /ledger: entries are append-only \(DELETE refused\)/);
    // And it cannot switch triggers off for its session.
    await assert.rejects(app.query(`SET session_replication_role = replica`), /permission denied/);
    const v = await verifyLedger(app);
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    assert.equal(v.entries, 3);
  } finally {
    await app?.end();
    await db.drop();
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  }
});
