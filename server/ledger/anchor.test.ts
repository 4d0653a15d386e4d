// The ledger against its anchors (issue 14): attacks by someone who can write the database
// (the append-only trigger turned off first, as a table owner could), found through the signed
// anchor log outside it. Each attack is first shown to pass the database-only verification
// where it does, so the anchors are what finds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { PositionWriter, type PositionRow } from '../pipeline/positionWriter';
import { LedgerAnchorer } from './anchorer';
import { loadAnchorPublicKey, loadOrCreateAnchorKey } from './anchorKey';
import { FileAnchorLog } from './anchorLog';
import { checkpoint } from './checkpoint';
import { MerkleBuilder } from './merkle';
import { verifyLedger, type VerifyResult } from './verify';

interface Ctx {
  db: TestDatabase;
  dir: string;
  keyFile: string;
  anchorFile: string;
  anchorer: LedgerAnchorer;
  /** A checkpoint over what was stored since the last one, anchored at once (as the server does). */
  seal(): Promise<number>;
  /** The chain checked against the anchors. */
  verify(): Promise<VerifyResult>;
  /** The database alone, as before anchors. */
  verifyDbOnly(): Promise<VerifyResult>;
  /** Stores `n` batches of 10 positions; returns their seqs. */
  store(n: number): Promise<number[]>;
}

async function withLedger(fn: (c: Ctx) => Promise<void>): Promise<void> {
  const db = await freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'tw-anchor-'));
  const keyFile = join(dir, 'ledger', 'anchor-key.pem');
  const anchorFile = join(dir, 'ledger', 'anchors.jsonl');
  const anchorer = await LedgerAnchorer.open({ keyFile, anchorFile });
  let next = 0;
  const t0 = Date.UTC(2026, 10, 26, 8);
  const c: Ctx = {
    db,
    dir,
    keyFile,
    anchorFile,
    anchorer,
    async seal() {
      const cp = await checkpoint(db.pool);
      assert.ok(cp, 'something to checkpoint');
      const anchored = await anchorer.anchorPending(db.pool);
      assert.deepEqual(
        anchored.map((a) => a.checkpoint),
        [cp.seq],
      );
      return cp.seq;
    },
    verify: () => verifyLedger(db.pool, { anchors: { file: anchorFile, key: loadAnchorPublicKey(keyFile) } }),
    verifyDbOnly: () => verifyLedger(db.pool),
    async store(n) {
      const writer = new PositionWriter(db.pool, { batchRows: 10, flushMs: 60_000 });
      const rows: PositionRow[] = Array.from({ length: n * 10 }, () => {
        const i = next++;
        return { assetId: 1 + (i % 3), time: t0 + i * 1000, lon: 121 + i * 1e-4, lat: 31 - i * 1e-4, speed: 30 + (i % 7), source: 'jt808' };
      });
      const before = Number((await db.pool.query('SELECT coalesce(max(seq), 0) AS s FROM ledger')).rows[0].s);
      for (const r of rows) writer.add(r);
      await writer.flush();
      const { rows: seqs } = await db.pool.query(`SELECT seq FROM ledger WHERE seq > $1 ORDER BY seq`, [before]);
      assert.equal(seqs.length, n);
      return seqs.map((r) => Number(r.seq));
    },
  };
  try {
    await fn(c);
  } finally {
    await anchorer.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bypassAppendOnly = (db: TestDatabase) => db.pool.query('ALTER TABLE ledger DISABLE TRIGGER ledger_append_only');

/** The attacker's re-hash: every entry from seq 1 relinked and rehashed, every checkpoint root recomputed. */
async function rehashEverything(db: TestDatabase): Promise<void> {
  const { rows } = await db.pool.query(`SELECT seq, kind FROM ledger ORDER BY seq`);
  let prev = Buffer.alloc(32);
  let tree = new MerkleBuilder();
  for (const r of rows) {
    let res;
    if (r.kind === 'checkpoint') {
      res = await db.pool.query(
        `UPDATE ledger SET payload = jsonb_set(payload, '{root}', to_jsonb($2::text)), prev_hash = $3,
                hash = ledger_entry_hash($3, seq, time, kind, jsonb_set(payload, '{root}', to_jsonb($2::text)))
         WHERE seq = $1 RETURNING hash`,
        [r.seq, tree.root(), prev],
      );
      tree = new MerkleBuilder();
    } else {
      res = await db.pool.query(`UPDATE ledger SET prev_hash = $2, hash = ledger_entry_hash($2, seq, time, kind, payload) WHERE seq = $1 RETURNING hash`, [r.seq, prev]);
      tree.add(res.rows[0].hash);
    }
    prev = res.rows[0].hash;
  }
}

/** Moves one fix of a batch by ~1 km and rewrites the batch's digest to match. */
async function moveFix(db: TestDatabase, batch: number): Promise<void> {
  await db.pool.query(`UPDATE positions SET geom = ST_Translate(geom, 0.01, 0) WHERE batch = $1 AND time = (SELECT min(time) FROM positions WHERE batch = $1)`, [batch]);
  await db.pool.query(
    `UPDATE ledger SET payload = jsonb_set(payload, '{digest}', to_jsonb((
       SELECT encode(ledger_lines_digest(array_agg(ledger_position_line(asset_id, time, geom, speed, course, heading, source, alarm))), 'hex')
       FROM positions WHERE batch = $1))) WHERE seq = $1`,
    [batch],
  );
}

const checks = (v: VerifyResult) => v.findings.map((f) => `${f.seq}:${f.check}`);

test('a valid, untouched ledger verifies against its anchors; the log lines are signed and chained', () =>
  withLedger(async (c) => {
    await c.store(3);
    const cp1 = await c.seal();
    await c.store(2);
    const cp2 = await c.seal();
    const [tail] = await c.store(1);
    const v = await c.verify();
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    assert.deepEqual([cp1, cp2, tail], [4, 7, 8]);
    assert.equal(v.anchors?.anchored, 2);
    assert.equal(v.anchors?.lastCheckpoint, cp2);
    const {
      rows: [t8],
    } = await c.db.pool.query(`SELECT ledger_iso(time) AS t FROM ledger WHERE seq = 8`);
    assert.deepEqual(v.unanchored, { entries: 1, since: t8.t });
    assert.deepEqual(v.lastEntry, { seq: 8, time: t8.t });

    // The log, read independently: each line's signature with the public key file, each prev the
    // SHA-256 of the line before, each root the one in the database.
    const lines = readFileSync(c.anchorFile, 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'each line ends with a newline');
    assert.equal(lines.length, 2);
    const pub = createPublicKey(readFileSync(c.keyFile.replace(/\.pem$/, '.pub.pem')));
    let prev = '0'.repeat(64);
    for (const [i, line] of lines.entries()) {
      const { sig, ...fields } = JSON.parse(line);
      assert.equal(fields.prev, prev);
      assert.ok(edVerify(null, Buffer.from(JSON.stringify(fields)), pub, Buffer.from(sig, 'base64')), `line ${i + 1} signature`);
      const {
        rows: [cp],
      } = await c.db.pool.query(`SELECT payload->>'root' AS root, encode(hash, 'hex') AS hash FROM ledger WHERE seq = $1`, [fields.checkpoint]);
      assert.deepEqual([fields.root, fields.hash], [cp.root, cp.hash]);
      prev = createHash('sha256').update(line).digest('hex');
    }
    assert.equal(statSync(c.anchorFile).mode & 0o777, 0o600);
    assert.equal(statSync(c.keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(c.dir, 'ledger')).mode & 0o777, 0o700);
  }));

test('attack: a position moved in place (row edit) is named at its batch', () =>
  withLedger(async (c) => {
    const seqs = await c.store(3);
    await c.seal();
    await c.db.pool.query(`UPDATE positions SET geom = ST_Translate(geom, 0.01, 0) WHERE batch = $1 AND time = (SELECT min(time) FROM positions WHERE batch = $1)`, [seqs[1]]);
    const v = await c.verify();
    assert.equal(v.ok, false);
    assert.deepEqual(v.firstBad, { seq: seqs[1], kind: 'positions', check: 'positions', reason: 'the stored rows do not match the batch digest (10 rows, one or more changed)' });
  }));

test('attack: re-hash of the chain after moving a fix, with the database checkpoints recomputed, is found through the anchors', () =>
  withLedger(async (c) => {
    const seqs = await c.store(3);
    const cp1 = await c.seal();
    await c.store(2);
    const cp2 = await c.seal();
    await c.store(1);
    await bypassAppendOnly(c.db);
    await moveFix(c.db, seqs[1]!);
    await rehashEverything(c.db);
    const dbOnly = await c.verifyDbOnly();
    assert.equal(dbOnly.ok, true, `the rewrite is consistent inside the database: ${JSON.stringify(dbOnly.findings)}`);

    const v = await c.verify();
    assert.equal(v.ok, false);
    assert.equal(v.firstBad?.seq, cp1);
    assert.equal(v.firstBad?.check, 'anchor-checkpoint');
    assert.match(v.firstBad!.reason, /checkpoint 4 does not match its anchor \(line 1\): root [0-9a-f]{64} over entries 1…3, anchored [0-9a-f]{64} over 1…3/);
    assert.deepEqual(checks(v), [`${cp1}:anchor-checkpoint`, `${cp2}:anchor-checkpoint`], 'every later checkpoint differs too');
  }));

test('attack: the newest entries cut together with their positions (truncation with rows) are found', () =>
  withLedger(async (c) => {
    await c.store(3);
    await c.seal();
    const cut = await c.store(2);
    const cp2 = await c.seal();
    await c.store(1);
    await bypassAppendOnly(c.db);
    await c.db.pool.query(`DELETE FROM positions WHERE batch >= $1`, [cut[0]]);
    await c.db.pool.query(`DELETE FROM ledger WHERE seq >= $1`, [cut[0]]);
    assert.equal((await c.verifyDbOnly()).ok, true, 'the database alone shows no gap and no missing checkpoint');

    const v = await c.verify();
    assert.equal(v.ok, false);
    assert.deepEqual(checks(v), [`${cut[0]}:truncated`]);
    const {
      rows: [t],
    } = await c.db.pool.query(`SELECT ledger_iso(time) AS t FROM ledger WHERE seq = 4`);
    assert.equal(v.firstBad!.reason, `entries cut from the end: the anchor log (line 2) has checkpoint ${cp2} of ${v.anchors!.lastTime}, but the ledger ends at seq 4 of ${t.t}`);
  }));

test('attack: entries cut from the end with their positions left (truncation of entries only) are found', () =>
  withLedger(async (c) => {
    await c.store(3);
    await c.seal();
    const cut = await c.store(2);
    await c.seal();
    await bypassAppendOnly(c.db);
    await c.db.pool.query(`DELETE FROM ledger WHERE seq >= $1`, [cut[0]]);
    const v = await c.verify();
    assert.equal(v.ok, false);
    assert.deepEqual(checks(v), [`${cut[0]}:positions`, `${cut[0]}:truncated`, `${cut[1]}:positions`]);
    assert.match(v.findings[0]!.reason, /10 position rows carry batch 5, which is no positions entry/);
  }));

test('attack: an entry removed from the middle and the chain relinked is named as a missing seq', () =>
  withLedger(async (c) => {
    const seqs = await c.store(4);
    await bypassAppendOnly(c.db);
    await c.db.pool.query(`DELETE FROM positions WHERE batch = $1`, [seqs[1]]);
    await c.db.pool.query(`DELETE FROM ledger WHERE seq = $1`, [seqs[1]]);
    await rehashEverything(c.db);
    const v = await c.verify();
    assert.deepEqual(v.findings, [{ seq: seqs[2], kind: 'positions', check: 'seq-gap', reason: `seq ${seqs[1]} is missing (an entry was removed)` }]);
  }));

test('attack: an anchor log line removed or edited is found', () =>
  withLedger(async (c) => {
    for (let i = 0; i < 3; i++) {
      await c.store(1);
      await c.seal();
    }
    assert.equal((await c.verify()).ok, true);
    const original = readFileSync(c.anchorFile, 'utf8');
    const lines = original.split('\n').slice(0, 3);
    const rewrite = (ls: string[]) => writeFileSync(c.anchorFile, ls.map((l) => `${l}\n`).join(''));

    // The middle line removed: the next line does not follow, and its checkpoint is not anchored.
    rewrite([lines[0]!, lines[2]!]);
    let v = await c.verify();
    assert.deepEqual(checks(v), ['4:anchor-missing', '6:anchor-log']);
    assert.match(v.findings[1]!.reason, /anchor line 2 \(checkpoint 6\) does not follow line 1/);

    // The last line's root edited: its signature fails.
    const last = JSON.parse(lines[2]!);
    last.root = last.root.replace(/^./, (ch: string) => (ch === '0' ? '1' : '0'));
    rewrite([lines[0]!, lines[1]!, JSON.stringify(last)]);
    v = await c.verify();
    assert.deepEqual(checks(v), ['6:anchor-log']);
    assert.match(v.firstBad!.reason, /anchor line 3 \(checkpoint 6\) has a bad signature/);

    // The first line re-signed with another key: named, and the next line no longer follows it.
    const other = loadOrCreateAnchorKey(join(c.dir, 'other.pem'));
    const forged = new LedgerAnchorer(other, await FileAnchorLog.open(join(c.dir, 'forged.jsonl')));
    await forged.anchorPending(c.db.pool);
    await forged.close();
    const forgedFirst = readFileSync(join(c.dir, 'forged.jsonl'), 'utf8').split('\n')[0]!;
    rewrite([forgedFirst, lines[1]!, lines[2]!]);
    v = await c.verify();
    assert.deepEqual(checks(v), ['2:anchor-log', '2:anchor-missing', '4:anchor-log'], 'a line under another key anchors nothing');
    assert.match(v.findings[0]!.reason, /signed by key [0-9a-f]{16}, not by the ledger key/);

    // A line that is not JSON.
    rewrite([lines[0]!, 'not json', lines[1]!, lines[2]!]);
    v = await c.verify();
    assert.deepEqual(checks(v), ['0:anchor-log', '4:anchor-log']);

    rewrite(lines);
    assert.equal((await c.verify()).ok, true, 'restored');
  }));

test('the anchor log is appended after a stop mid-write; a key others can read is refused', () =>
  withLedger(async (c) => {
    await c.store(1);
    await c.seal();
    await c.store(1);
    await checkpoint(c.db.pool);
    await c.anchorer.close();
    // A torn write: half a line, no newline. Reopening cuts it and anchors that checkpoint again.
    const whole = readFileSync(c.anchorFile, 'utf8');
    writeFileSync(c.anchorFile, `${whole}{"v":1,"checkpoint":4,"fr`);
    const again = await LedgerAnchorer.open({ keyFile: c.keyFile, anchorFile: c.anchorFile });
    assert.deepEqual(
      (await again.anchorPending(c.db.pool)).map((a) => a.checkpoint),
      [4],
    );
    await again.close();
    c.anchorer = again;
    const v = await c.verify();
    assert.equal(v.ok, true, JSON.stringify(v.findings));
    assert.equal(v.anchors?.anchored, 2);

    chmodSync(c.keyFile, 0o644);
    assert.throws(() => loadOrCreateAnchorKey(c.keyFile), /readable or writable by others \(mode 644\)/);
  }));

test('attack: UPDATE, DELETE and TRUNCATE of ledger entries and checkpoints are refused, for a superuser too', () =>
  withLedger(async (c) => {
    await c.store(2);
    await c.seal();
    const before = (await c.db.pool.query(`SELECT seq, encode(hash, 'hex') AS h FROM ledger ORDER BY seq`)).rows;
    for (const sql of [
      `UPDATE ledger SET payload = '{}' WHERE seq = 1`,
      `UPDATE ledger SET payload = jsonb_set(payload, '{root}', '"0"') WHERE kind = 'checkpoint'`,
      `DELETE FROM ledger WHERE seq = 3`,
      `TRUNCATE ledger`,
    ]) {
      const client = await c.db.pool.connect();
      try {
        await assert.rejects(client.query(sql), /ledger: entries are append-only/, sql);
      } finally {
        client.release(true);
      }
    }
    assert.deepEqual((await c.db.pool.query(`SELECT seq, encode(hash, 'hex') AS h FROM ledger ORDER BY seq`)).rows, before);
    assert.equal((await c.verify()).ok, true);
  }));
