// Ingest tokens against real PostGIS: issuing (only the SHA-256 is kept), checking, revoking, the
// legacy INGEST_TOKEN, and the `transitwatch ingest-token` command.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { createTestUser } from '../auth/testing';
import { DomainError } from '../errors';
import { STATUS_OF } from '../http/api';
import { IngestTokens, issueIngestToken, listIngestTokens, revokeIngestToken } from './tokens';

let db: TestDatabase;
before(async () => {
  db = await freshDatabase();
  await createTestUser(db.pool, { username: 'nobody' }); // creates HQ 0000
  await db.pool.query(`INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
    ('2200', '上海海关', 'Shanghai', 'direct', '0000', ST_Multi(ST_MakeEnvelope(120, 30, 122.5, 32, 4326))),
    ('5100', '广州海关', 'Guangzhou', 'direct', '0000', ST_Multi(ST_MakeEnvelope(112, 22, 114.5, 24, 4326)))`);
});
after(async () => {
  await db.drop();
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

test("issuing stores only the token's SHA-256; the token checks out as its system with its scope and kinds, until revoked", async () => {
  const issued = await issueIngestToken(db.pool, { name: 'sh-gate-1', district: '2200', kind: 'events' });
  assert.equal(issued.source, 'http:sh-gate-1');
  const { rows } = await db.pool.query(`SELECT * FROM ingest_tokens WHERE name = 'sh-gate-1'`);
  assert.equal(rows[0].id, sha(issued.token));
  assert.ok(!JSON.stringify(rows).includes(issued.token), 'the token itself is nowhere in the row');
  const tokens = new IngestTokens(db.pool);
  const caller = await tokens.verify(`Bearer ${issued.token}`);
  assert.deepEqual({ ...caller, may: [...caller!.may] }, { source: 'http:sh-gate-1', name: 'sh-gate-1', via: 'token', district: '2200', may: ['events'], userId: null });
  for (const bad of [issued.token, `Bearer ${issued.token}x`, `Bearer ${issued.token.slice(0, -1)}`, `Basic ${issued.token}`, undefined, '']) {
    assert.equal(await tokens.verify(bad), null, String(bad));
  }
  assert.equal(await revokeIngestToken(db.pool, 'sh-gate-1'), true);
  assert.equal(await tokens.verify(`Bearer ${issued.token}`), null, 'revoked at once');
  assert.equal(await revokeIngestToken(db.pool, 'sh-gate-1'), false);
  const { rows: audit } = await db.pool.query(`SELECT action, entity_id FROM audit_log WHERE entity = 'ingest_token' ORDER BY id`);
  assert.deepEqual(audit, [
    { action: 'ingest_token_issued', entity_id: 'sh-gate-1' },
    { action: 'ingest_token_revoked', entity_id: 'sh-gate-1' },
  ]);
});

test("names are checked and never reused; the district must exist (and lie within an issuer's jurisdiction); the kind is one of three", async () => {
  const fails = async (opts: Parameters<typeof issueIngestToken>[1], status: number, msg: RegExp) =>
    assert.rejects(issueIngestToken(db.pool, opts), (e: Error) => DomainError.is(e) && STATUS_OF[e.kind] === status && msg.test(e.message));
  await fails({ name: 'Upper', district: '2200', kind: 'both' }, 400, /^name:/);
  await fails({ name: 'env', district: '2200', kind: 'both' }, 400, /INGEST_TOKEN/);
  await fails({ name: 'x'.repeat(41), district: '2200', kind: 'both' }, 400, /^name:/);
  await fails({ name: 'ok-name', district: '9999', kind: 'both' }, 404, /^district:/);
  await fails({ name: 'ok-name', district: '2200', kind: 'all' }, 400, /^kind:/);
  await fails({ name: 'sh-gate-1', district: '2200', kind: 'both' }, 409, /not reused/); // revoked above, still taken
  const issuer = { id: await createTestUser(db.pool, { username: 'sh-sup', role: 'supervisor', district: '2200' }), username: 'sh-sup', district: '2200' };
  await fails({ name: 'gz-by-sh', district: '5100', kind: 'both', issuer }, 404, /^district:/);
  assert.equal((await issueIngestToken(db.pool, { name: 'sh-by-sh', district: '2200', kind: 'positions', issuer })).district, '2200');
  assert.equal(await revokeIngestToken(db.pool, 'sh-by-sh', { ...issuer, district: '5100' }), false, 'another district cannot revoke it');
});

test('the legacy INGEST_TOKEN is a token named env with HQ scope and both kinds', async () => {
  const tokens = new IngestTokens(db.pool, 'legacy-token-0123456789abcdef');
  const caller = await tokens.verify('Bearer legacy-token-0123456789abcdef');
  assert.deepEqual({ ...caller, may: [...caller!.may].sort() }, { source: 'http:env', name: 'env', via: 'token', district: '0000', may: ['events', 'positions'], userId: null });
  assert.equal(await tokens.verify('Bearer legacy-token-0123456789abcdeF'), null);
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/transitwatch.mjs', ...args], { env: { ...process.env, DATABASE_URL: db.url } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('transitwatch ingest-token issues (the token printed once), lists without tokens, and revokes', async () => {
  const r = await cli(['ingest-token', '--name', 'gz-wms', '--district', '5100', '--kind', 'both']);
  assert.equal(r.code, 0, r.stderr);
  const issued = JSON.parse(r.stdout.trim());
  assert.deepEqual({ ...issued, token: typeof issued.token }, { name: 'gz-wms', district: '5100', kind: 'both', token: 'string', source: 'http:gz-wms' });
  assert.ok((await new IngestTokens(db.pool).verify(`Bearer ${issued.token}`))?.may.has('positions'));
  const list = await cli(['ingest-token', '--list']);
  assert.equal(list.code, 0);
  assert.ok(!list.stdout.includes(issued.token));
  assert.ok(
    list.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).name)
      .includes('gz-wms'),
  );
  const bad = await cli(['ingest-token', '--name', 'x', '--district', '5100', '--kind', 'sometimes']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /kind: one of positions, events, both/);
  assert.equal((await cli(['ingest-token', '--revoke', 'gz-wms'])).code, 0);
  assert.equal(await new IngestTokens(db.pool).verify(`Bearer ${issued.token}`), null);
  assert.equal((await cli(['ingest-token', '--revoke', 'gz-wms'])).code, 1);
  assert.deepEqual((await listIngestTokens(db.pool)).find((t) => t.name === 'gz-wms')?.revokedAt !== null, true);
});
