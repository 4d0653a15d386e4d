import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { freshDatabase, type TestDatabase } from '../db/testing';
import { PositionWriter } from './pipeline/positionWriter';

let db: TestDatabase;
before(async () => {
  db = await freshDatabase();
});
after(async () => {
  await db.drop();
});

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/transitwatch.mjs', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('transitwatch verify-ledger: exit 0 and a JSON line when the ledger matches, 1 naming the entry when not, 2 when it cannot run', async () => {
  const writer = new PositionWriter(db.pool, { batchRows: 10, flushMs: 60_000 });
  const t0 = Date.UTC(2026, 10, 26, 12);
  for (let i = 0; i < 30; i++) writer.add({ assetId: 1, time: t0 + i * 1000, lon: 121 + i / 1000, lat: 31, source: 'sim' });
  await writer.flush();

  let r = await cli(['verify-ledger'], { DATABASE_URL: db.url });
  assert.equal(r.code, 0, r.stderr);
  const ok = JSON.parse(r.stdout.trim());
  assert.equal(ok.ok, true);
  assert.equal(ok.entries, 3);
  assert.match(r.stderr, /ledger OK: 3 entries/);

  await db.pool.query(`UPDATE positions SET speed = 12 WHERE batch = 2 AND time = $1`, [new Date(t0 + 15_000)]);
  r = await cli(['verify-ledger', '--quiet'], { DATABASE_URL: db.url });
  assert.equal(r.code, 1);
  const bad = JSON.parse(r.stdout.trim());
  assert.equal(bad.ok, false);
  assert.deepEqual([bad.firstBad.seq, bad.firstBad.kind], [2, 'positions']);
  assert.equal(r.stderr, '');

  r = await cli(['verify-ledger'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing_listens_here' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /transitwatch verify-ledger: .*ECONNREFUSED/);
  r = await cli(['frobnicate'], {});
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});
