import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { Sessions } from './sessions';
import { AttemptLimiter } from './rateLimit';
import { hashPassword, verifyPassword } from './passwords';

let db: TestDatabase;
let userId: number;
before(async () => {
  db = await freshDatabase();
  await db.pool.query(`INSERT INTO districts (code, name_zh, name_en, level, area) VALUES ('0000', '海关总署', 'HQ', 'hq', ST_Multi(ST_MakeEnvelope(100, 20, 130, 45, 4326)))`);
  const { rows } = await db.pool.query(`INSERT INTO users (username, password_hash, role, district) VALUES ('u', $1, 'viewer', '0000') RETURNING id`, [await hashPassword('pw')]);
  userId = rows[0].id;
});
after(async () => {
  await db.drop();
});

test('passwords are argon2id and verify only the right password', async () => {
  const h = await hashPassword('correct horse');
  assert.match(h, /^\$argon2id\$/);
  assert.equal(await verifyPassword(h, 'correct horse'), true);
  assert.equal(await verifyPassword(h, 'wrong'), false);
  assert.equal(await verifyPassword('not a hash', 'x'), false);
});

test('a session resolves by its token; the database holds only a hash of it', async () => {
  const sessions = new Sessions(db.pool, { idleMs: 60_000, absoluteMs: 3_600_000 });
  const { token } = await sessions.create(userId, '127.0.0.1', 'ua');
  const s = await sessions.resolve(token);
  assert.equal(s?.user.username, 'u');
  assert.equal(s?.user.level, 'hq');
  const { rows } = await db.pool.query('SELECT id FROM sessions');
  assert.ok(rows.every((r) => r.id !== token));
  assert.equal(await sessions.resolve('forged'), null);
  await sessions.destroy(token);
  assert.equal(await sessions.resolve(token), null, 'sign-out ends it');
});

test('sessions end after the idle time and at the absolute expiry', async () => {
  let now = Date.now();
  const sessions = new Sessions(db.pool, { idleMs: 10 * 60_000, absoluteMs: 60 * 60_000 }, () => now);
  const idle = await sessions.create(userId, undefined, undefined);
  now += 11 * 60_000;
  assert.equal(await sessions.resolve(idle.token), null, 'idle for 11 min with a 10 min limit');

  const busy = await sessions.create(userId, undefined, undefined);
  for (let i = 0; i < 6; i++) {
    now += 9 * 60_000;
    assert.ok(await sessions.resolve(busy.token), `still in use after ${(i + 1) * 9} min`);
  }
  now += 9 * 60_000; // 63 min after sign-in
  assert.equal(await sessions.resolve(busy.token), null, 'absolute expiry at 60 min even when in use');
});

test('the attempt limiter blocks after the maximum failures and lets go after the window', () => {
  let now = 0;
  const l = new AttemptLimiter(3, 1000, () => now);
  for (let i = 0; i < 3; i++) {
    assert.equal(l.retryAfter('k'), 0);
    l.fail('k');
  }
  assert.ok(l.retryAfter('k') > 0);
  assert.equal(l.retryAfter('other'), 0, 'per key');
  now = 1001;
  assert.equal(l.retryAfter('k'), 0);
});
