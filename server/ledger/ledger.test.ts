import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { runner } from 'node-pg-migrate';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { migrate } from '../../db/migrate';
import { PositionWriter, type PositionRow } from '../pipeline/positionWriter';
import { appendLedgerEntry, appendRowEntry } from './ledger';
import { checkpoint, LedgerCheckpointer } from './checkpoint';
import { verifyLedger } from './verify';
import { setContext, type ServerContext } from '../context';
import { GET as verifyRoute } from '../../app/api/ledger/verify/route';
import { Sessions } from '../auth/sessions';
import { createTestUser, sessionCookie } from '../auth/testing';

// Each test gets its own database: they tamper with it.
async function withDb(fn: (db: TestDatabase) => Promise<void>, opts?: { migrate?: boolean }): Promise<void> {
  const db = await freshDatabase(opts);
  try {
    await fn(db);
  } finally {
    await db.drop();
  }
}

const T0 = Date.UTC(2026, 10, 26, 23, 58, 0); // batches span midnight: two partitions

function rows(n: number, from = 0, t0 = T0): PositionRow[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      assetId: 1 + (i % 7),
      time: t0 + i * 1000 + (i % 3) * 0.25,
      lon: 121.4 + i * 1e-4,
      lat: 31.2 - i * 1e-4,
      speed: i % 5 === 0 ? undefined : 40 + i / 3,
      course: (i * 7) % 360,
      heading: i % 2 ? 90.5 : undefined,
      source: i % 4 === 0 ? 'ais|x\n"q"' : i % 4 === 1 ? '模拟' : 'jt808',
      alarm: i % 9 === 0 ? 0x4000 : i % 11 === 0 ? 0x80000001 : undefined,
    };
  });
}

/** Stores `batches` batches of `size` rows through a real PositionWriter; returns their seqs. */
async function store(db: TestDatabase, batches: number, size = 50, from = 0, t0 = T0): Promise<number[]> {
  const writer = new PositionWriter(db.pool, { batchRows: size, flushMs: 60_000 });
  const before = await db.pool.query(`SELECT coalesce(max(seq), 0) AS s FROM ledger WHERE kind = 'positions'`);
  for (const r of rows(batches * size, from, t0)) writer.add(r);
  await writer.flush();
  const { rows: seqs } = await db.pool.query(`SELECT seq FROM ledger WHERE kind = 'positions' AND seq > $1 ORDER BY seq`, [before.rows[0].s]);
  assert.equal(seqs.length, batches);
  return seqs.map((r) => Number(r.seq));
}

/** What an attacker with the table owner's rights does before rewriting entries (the migration's trigger refuses UPDATE and DELETE). */
const bypassAppendOnly = (db: TestDatabase) => db.pool.query('ALTER TABLE ledger DISABLE TRIGGER ledger_append_only');

const oneRowOf = async (db: TestDatabase, batch: number, offset = 3) =>
  (await db.pool.query(`SELECT ctid, tableoid::regclass::text AS part FROM positions WHERE batch = $1 ORDER BY time OFFSET $2 LIMIT 1`, [batch, offset])).rows[0];

test('position batches written through the PositionWriter form a chain that verifies', () =>
  withDb(async (db) => {
    const seqs = await store(db, 4, 50);
    const { rows: ledger } = await db.pool.query(`SELECT seq, kind, payload, prev_hash, hash FROM ledger ORDER BY seq`);
    assert.equal(ledger.length, 4);
    assert.deepEqual(ledger[0].prev_hash, Buffer.alloc(32), 'the first entry links to the genesis hash');
    for (let i = 1; i < ledger.length; i++) assert.deepEqual(ledger[i].prev_hash, ledger[i - 1].hash);
    assert.equal(ledger[0].payload.count, 50);
    assert.match(ledger[0].payload.digest, /^[0-9a-f]{64}$/);
    assert.equal(ledger[0].payload.from, new Date(T0).toISOString().replace('Z', '000Z'));
    const { rows: perBatch } = await db.pool.query(`SELECT batch, count(*)::int AS n FROM positions GROUP BY batch ORDER BY batch`);
    assert.deepEqual(
      perBatch.map((r) => [Number(r.batch), r.n]),
      seqs.map((s) => [s, 50]),
      'each row carries its batch seq',
    );
    const { rows: alarms } = await db.pool.query(`SELECT DISTINCT alarm::bigint & 4294967295 AS a FROM positions WHERE alarm IS NOT NULL ORDER BY 1`);
    assert.deepEqual(
      alarms.map((r) => Number(r.a)),
      [0x4000, 0x80000001],
      'JT/T 808 alarm bit 31 is stored',
    );

    const progress: number[] = [];
    const v = await verifyLedger(db.pool, { pageSize: 3, onProgress: (done) => progress.push(done) });
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    assert.equal(v.entries, 4);
    assert.equal(v.positionBatches, 4);
    assert.equal(v.positionRows, 200);
    assert.equal(v.firstBad, undefined);
    assert.deepEqual(progress, [3, 4, 4]);
  }));

test('writers on several connections append one linear chain', () =>
  withDb(async (db) => {
    for (const day of ['2026-11-26', '2026-11-27']) await db.pool.query('SELECT ensure_positions_partition($1)', [day]);
    const writers = [0, 1, 2].map(() => new PositionWriter(db.pool, { batchRows: 20, flushMs: 60_000 }));
    writers.forEach((w, k) => rows(200, k * 1000).forEach((r) => w.add(r)));
    await Promise.all(writers.map((w) => w.flush()));
    const v = await verifyLedger(db.pool);
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    assert.equal(v.entries, 30);
    assert.equal(v.positionRows, 600);
  }));

test('altering one stored position row directly is found, and the named entry is its batch', () =>
  withDb(async (db) => {
    const seqs = await store(db, 5, 40);
    const target = seqs[2]!;
    const row = await oneRowOf(db, target);
    const cols = 'asset_id, time, geom, speed, course, heading, source, alarm';
    // The original stays in SQL: a JavaScript Date would lose the microseconds.
    await db.pool.query(`CREATE TABLE original AS SELECT ${cols} FROM positions WHERE tableoid = '${row.part}'::regclass AND ctid = $1`, [row.ctid]);
    let ctid = row.ctid;
    for (const change of [
      'geom = ST_Translate(geom, 0.00001, 0)',
      `time = time + interval '1 microsecond'`,
      'speed = speed + 0.001',
      `source = source || ' '`,
      'asset_id = asset_id + 100',
      'alarm = 1',
    ]) {
      ctid = (await db.pool.query(`UPDATE positions SET ${change} WHERE tableoid = '${row.part}'::regclass AND ctid = $1 RETURNING ctid`, [ctid])).rows[0].ctid;
      const v = await verifyLedger(db.pool);
      assert.equal(v.ok, false, change);
      assert.deepEqual(
        v.firstBad,
        { seq: target, kind: 'positions', reason: 'the stored rows do not match the batch digest (40 rows, one or more changed)', check: 'positions' },
        change,
      );
      assert.equal(v.findingsTotal, 1, change);
      ctid = (await db.pool.query(`UPDATE positions SET (${cols}) = (SELECT ${cols} FROM original) WHERE tableoid = '${row.part}'::regclass AND ctid = $1 RETURNING ctid`, [ctid]))
        .rows[0].ctid;
      assert.equal((await verifyLedger(db.pool)).ok, true, `restored after ${change}`);
    }
  }));

test('a deleted row and rows inserted behind the ledger are found', () =>
  withDb(async (db) => {
    const seqs = await store(db, 3, 30);
    const row = await oneRowOf(db, seqs[1]!);
    await db.pool.query(`DELETE FROM positions WHERE tableoid = '${row.part}'::regclass AND ctid = '${row.ctid}'`);
    let v = await verifyLedger(db.pool);
    assert.equal(v.firstBad?.seq, seqs[1]);
    assert.match(v.firstBad!.reason, /29 rows stored where the batch had 30/);

    await withDb(async (db2) => {
      const seqs2 = await store(db2, 3, 30);
      const insert = (batch: number | null) =>
        db2.pool.query(`INSERT INTO positions (asset_id, time, geom, source, batch) VALUES (3, $1, ST_SetSRID(ST_MakePoint(121, 31), 4326), 'x', $2)`, [
          new Date(T0 + 5000),
          batch,
        ]);
      await insert(999_999);
      v = await verifyLedger(db2.pool);
      assert.equal(v.ok, false);
      assert.deepEqual(
        v.findings.map((f) => f.seq),
        [999_999],
      );
      assert.match(v.firstBad!.reason, /1 position rows carry batch 999999, which is no positions entry/);
      await insert(null);
      v = await verifyLedger(db2.pool);
      assert.deepEqual(
        v.findings.map((f) => f.seq),
        [0, 999_999],
      );
      assert.match(v.firstBad!.reason, /1 position rows have no batch/);
      await insert(seqs2[2]!);
      v = await verifyLedger(db2.pool);
      assert.deepEqual(
        v.findings.map((f) => f.seq),
        [0, seqs2[2], 999_999],
      );
    });
  }));

test("tampering with an entry's payload or hash, or removing an entry, is found at that entry", () =>
  withDb(async (db) => {
    const seqs = await store(db, 5, 10);
    const [, s1, s2, s3] = seqs as [number, number, number, number];
    await bypassAppendOnly(db);
    await db.pool.query(`UPDATE ledger SET payload = jsonb_set(payload, '{count}', '11') WHERE seq = $1`, [s2]);
    let v = await verifyLedger(db.pool);
    assert.equal(v.firstBad?.seq, s2);
    assert.match(v.firstBad!.reason, /stored hash does not match/);
    // The attacker recomputes that entry's hash: the next entry's link names the break.
    await db.pool.query(`UPDATE ledger SET hash = ledger_entry_hash(prev_hash, seq, time, kind, payload) WHERE seq = $1`, [s2]);
    v = await verifyLedger(db.pool);
    assert.equal(v.firstBad?.seq, s2, 'the rows no longer match the forged count');
    assert.match(v.firstBad!.reason, /10 rows stored where the batch had 11/);
    assert.ok(v.findings.some((f) => f.seq === s3 && /prev_hash is not the hash of entry/.test(f.reason)));

    await withDb(async (db2) => {
      const t = await store(db2, 4, 10);
      await bypassAppendOnly(db2);
      await db2.pool.query(`UPDATE ledger SET hash = sha256(hash) WHERE seq = $1`, [t[1]]);
      v = await verifyLedger(db2.pool);
      assert.equal(v.firstBad?.seq, t[1]);
      assert.match(v.firstBad!.reason, /stored hash does not match/);
      await db2.pool.query(`UPDATE ledger SET hash = ledger_entry_hash(prev_hash, seq, time, kind, payload) WHERE seq = $1`, [t[1]]);
      assert.equal((await verifyLedger(db2.pool)).ok, true);
      await db2.pool.query(`DELETE FROM positions WHERE batch = $1`, [t[1]]);
      await db2.pool.query(`DELETE FROM ledger WHERE seq = $1`, [t[1]]);
      v = await verifyLedger(db2.pool);
      assert.equal(v.firstBad?.seq, t[2]);
      assert.match(v.firstBad!.reason, new RegExp(`prev_hash is not the hash of entry ${t[0]}`));
    });
    void s1;
  }));

test('checkpoints hold a Merkle root that verifies; a tampered checkpoint is found', () =>
  withDb(async (db) => {
    await store(db, 3, 10);
    const cp1 = await checkpoint(db.pool);
    assert.ok(cp1);
    assert.deepEqual([cp1.from, cp1.to, cp1.count], [1, 3, 3]);
    assert.equal(await checkpoint(db.pool), null, 'nothing new: no checkpoint');
    await store(db, 2, 10, 100);
    const checkpointer = new LedgerCheckpointer(db.pool, { everyMs: 60_000 });
    const cp2 = await checkpointer.tick();
    await checkpointer.stop();
    assert.ok(cp2);
    assert.deepEqual([cp2.from, cp2.to, cp2.count], [cp1.seq + 1, cp1.seq + 2, 2]);
    await store(db, 1, 10, 200);
    let v = await verifyLedger(db.pool);
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    assert.equal(v.checkpoints, 2);
    assert.equal(v.entries, 8);

    // A forged root with a consistent entry hash: the root check names the checkpoint.
    await bypassAppendOnly(db);
    await db.pool.query(`UPDATE ledger SET payload = jsonb_set(payload, '{root}', to_jsonb(repeat('0', 64))) WHERE seq = $1`, [cp1.seq]);
    await db.pool.query(`UPDATE ledger SET hash = ledger_entry_hash(prev_hash, seq, time, kind, payload) WHERE seq = $1`, [cp1.seq]);
    v = await verifyLedger(db.pool);
    assert.equal(v.firstBad?.seq, cp1.seq);
    assert.equal(v.firstBad?.kind, 'checkpoint');
    assert.match(v.firstBad!.reason, /checkpoint does not match the 3 entries before it \(1…3\)/);
  }));

test('chained rows: a change behind the ledger is found; a change chained again verifies', () =>
  withDb(async (db) => {
    await db.pool.query(`CREATE TABLE t_alerts (id bigserial PRIMARY KEY, state text NOT NULL, score real, at timestamptz, detail jsonb, note text)`);
    const client = await db.pool.connect();
    try {
      // Session settings that change text forms must not change the digests.
      await client.query(`SET TimeZone = 'Asia/Shanghai'; SET extra_float_digits = 0`);
      await client.query('BEGIN');
      const {
        rows: [a],
      } = await client.query(`INSERT INTO t_alerts (state, score, at, detail) VALUES ('open', 0.1, now(), '{"k": [1, 2.5]}') RETURNING id`);
      const e1 = await appendRowEntry(client, 'alert', 't_alerts', a.id);
      await client.query(`INSERT INTO t_alerts (state, score) VALUES ('open', 1)`);
      await appendRowEntry(client, 'alert', 't_alerts', 2);
      await client.query('COMMIT');
      assert.match(e1.hash, /^[0-9a-f]{64}$/);
      await assert.rejects(appendRowEntry(client, 'alert', 't_alerts', 99), /no row with id 99/);
    } finally {
      client.release();
    }
    await store(db, 2, 10);
    let v = await verifyLedger(db.pool);
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    assert.equal(v.rows, 2);

    await db.pool.query(`UPDATE t_alerts SET state = 'acknowledged' WHERE id = 1`);
    v = await verifyLedger(db.pool);
    assert.deepEqual(v.firstBad, { seq: 1, kind: 'alert', reason: 't_alerts row 1 does not match its latest ledger entry (changed behind the ledger)', check: 'row' });

    // The legitimate way: change and chain again in one transaction. Entry 1 becomes history.
    const c2 = await db.pool.connect();
    try {
      await c2.query('BEGIN');
      await c2.query(`UPDATE t_alerts SET note = 'checked', state = 'acknowledged' WHERE id = 1`);
      await appendRowEntry(c2, 'alert.ack', 't_alerts', 1);
      await c2.query('COMMIT');
    } finally {
      c2.release();
    }
    v = await verifyLedger(db.pool);
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    assert.equal(v.rows, 2);

    await db.pool.query(`DELETE FROM t_alerts WHERE id = 2`);
    v = await verifyLedger(db.pool);
    assert.equal(v.firstBad?.seq, 2);
    assert.match(v.firstBad!.reason, /t_alerts row 2 is gone/);
    await db.pool.query(`DROP TABLE t_alerts`);
    v = await verifyLedger(db.pool);
    assert.equal(v.firstBad?.seq, 1);
    assert.match(v.firstBad!.reason, /cannot check the chained rows of t_alerts: there is no such table/);
  }));

test('appends refuse bad kinds, non-object payloads and REPEATABLE READ transactions', () =>
  withDb(async (db) => {
    // Each failure on a connection of its own, closed after: the embedded PostGIS's socket server
    // can get out of step with the client after an error (electric-sql/pglite#958).
    const fails = async (fn: (c: pg.PoolClient) => Promise<unknown>, re: RegExp) => {
      const c = await db.pool.connect();
      try {
        await assert.rejects(fn(c), re);
      } finally {
        c.release(true);
      }
    };
    await fails((c) => appendLedgerEntry(c, 'Bad Kind', {}), /bad entry kind/);
    await fails((c) => appendLedgerEntry(c, 'note', [1, 2]), /must be a JSON object/);
    await fails(async (c) => {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await appendLedgerEntry(c, 'note', { a: 1 });
    }, /READ COMMITTED/);
    const e = await appendLedgerEntry(db.pool, 'note', { text: '关区 2248', n: 1.5 });
    assert.equal(e.seq, 1);
    assert.equal((await verifyLedger(db.pool)).ok, true);
  }));

test('retention drops old batches with a ledger entry, and the verifier expects them gone', () =>
  withDb(async (db) => {
    const day = 86_400_000;
    const today = Math.floor(Date.now() / day) * day;
    const old = await store(db, 2, 10, 0, today - 40 * day);
    const recent = await store(db, 2, 10, 0, today - 2 * day);
    const {
      rows: [d],
    } = await db.pool.query('SELECT drop_old_positions_partitions(30) AS n');
    assert.equal(d.n, 1);
    const {
      rows: [r],
    } = await db.pool.query(`SELECT seq, payload FROM ledger WHERE kind = 'retention'`);
    assert.equal(Number(r.seq), recent[1]! + 1);
    assert.equal(r.payload.partitions.length, 1);
    let v = await verifyLedger(db.pool);
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    assert.equal(v.expiredBatches, 2);
    assert.equal(v.positionBatches, 2);
    // Rows brought back into a dropped day are found.
    await db.pool.query(`SELECT ensure_positions_partition(($1::timestamptz AT TIME ZONE 'UTC')::date)`, [new Date(today - 40 * day)]);
    await db.pool.query(`INSERT INTO positions (asset_id, time, geom, source, batch) VALUES (1, $1, ST_SetSRID(ST_MakePoint(121, 31), 4326), 'x', $2)`, [
      new Date(today - 40 * day + 1000),
      old[0],
    ]);
    v = await verifyLedger(db.pool);
    assert.equal(v.firstBad?.seq, old[0]);
    assert.match(v.firstBad!.reason, /older than the retention horizon/);
  }));

test('positions stored before the ledger existed are recorded as legacy and accepted, no more', () =>
  withDb(
    async (db) => {
      // Only the base schema first, some positions without the ledger, then the rest of the migrations.
      const client = await db.pool.connect();
      try {
        await runner({ dbClient: client, dir: 'db/migrations', migrationsTable: 'pgmigrations', direction: 'up', count: 1, log: () => {} });
      } finally {
        client.release();
      }
      await db.pool.query(`SELECT ensure_positions_partition('2026-11-20')`);
      await db.pool.query(
        `INSERT INTO positions (asset_id, time, geom, source) SELECT i, '2026-11-20T10:00:00Z', ST_SetSRID(ST_MakePoint(121, 31), 4326), 'old' FROM generate_series(1, 5) i`,
      );
      await migrate(db.pool);
      const {
        rows: [l],
      } = await db.pool.query(`SELECT seq, kind, payload FROM ledger`);
      assert.deepEqual([Number(l.seq), l.kind, l.payload], [1, 'legacy', { rows: 5, to: '2026-11-20T10:00:00.000000Z' }]);
      await store(db, 1, 10);
      assert.equal((await verifyLedger(db.pool)).ok, true);
      await db.pool.query(`INSERT INTO positions (asset_id, time, geom, source) VALUES (9, '2026-11-20T11:00:00Z', ST_SetSRID(ST_MakePoint(121, 31), 4326), 'new')`);
      const v = await verifyLedger(db.pool);
      assert.deepEqual(v.firstBad, { seq: 1, kind: 'legacy', reason: '6 position rows have no batch (stored without the ledger); 5 predate the ledger', check: 'positions' });
    },
    { migrate: false },
  ));

test('GET /api/ledger/verify returns the verification as JSON to a supervisor, 200 either way', () =>
  withDb(async (db) => {
    const seqs = await store(db, 2, 10);
    const sessions = new Sessions(db.pool, { idleMs: 60_000, absoluteMs: 3_600_000 });
    setContext({ pool: db.pool, sessions } as unknown as ServerContext);
    const as = async (role: 'viewer' | 'supervisor') => {
      const cookie = await sessionCookie(sessions, await createTestUser(db.pool, { username: role, role }));
      return new Request('http://localhost/api/ledger/verify', { headers: { cookie } });
    };
    assert.equal((await verifyRoute(await as('viewer'))).status, 403, 'a viewer may not run it');
    const supervisor = await as('supervisor');
    let res = await verifyRoute(supervisor);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const ok = await res.json();
    assert.equal(ok.ok, true);
    assert.equal(ok.entries, 2);
    await db.pool.query(`DELETE FROM positions WHERE batch = $1`, [seqs[1]]);
    res = await verifyRoute(supervisor);
    assert.equal(res.status, 200);
    const bad = await res.json();
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.firstBad, { seq: seqs[1], kind: 'positions', reason: '0 rows stored where the batch had 10', check: 'positions' });
  }));
