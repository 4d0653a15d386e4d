// Sign-in limits with a real database and real argon2: per (user, address) with exponential
// backoff, per address with a cap. The clock is the test's, so waits are checked without sleeping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '@/db/testing';
import { hashPassword } from './passwords';
import { Sessions } from './sessions';
import { SignIn, type SignInLimits } from './signIn';

let db: TestDatabase;
let sessions: Sessions;
const PASSWORD = 'the right one';
const LIMITS: SignInLimits = {
  perUserAddress: { free: 5, baseMs: 2_000, maxMs: 15 * 60_000, forgetMs: 24 * 3_600_000 },
  perAddressMax: 20,
  addressWindowMs: 15 * 60_000,
};

before(async () => {
  db = await freshDatabase();
  await db.pool.query(`INSERT INTO districts (code, name_zh, name_en, level, area) VALUES ('0000', '海关总署', 'HQ', 'hq', ST_Multi(ST_MakeEnvelope(100, 20, 130, 45, 4326)))`);
  const hash = await hashPassword(PASSWORD);
  for (const name of ['officer-a', 'officer-b', 'officer-c']) {
    await db.pool.query(`INSERT INTO users (username, password_hash, role, district) VALUES ($1, $2, 'officer', '0000')`, [name, hash]);
  }
  sessions = new Sessions(db.pool, { idleMs: 60_000, absoluteMs: 3_600_000 });
});
after(async () => {
  await db.drop();
});

function clock() {
  let now = Date.UTC(2026, 0, 1);
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

test("attack: a stranger's wrong passwords from address A do not lock the user out at address B", async () => {
  const t = clock();
  const signIn = new SignIn(db.pool, sessions, LIMITS, t.now);
  for (let i = 0; i < 12; i++) {
    const r = await signIn.attempt('officer-a', `guess ${i}`, '203.0.113.9');
    if (r.ok) assert.fail('a wrong password signed in');
    t.advance(1);
  }
  const stranger = await signIn.attempt('officer-a', PASSWORD, '203.0.113.9');
  assert.equal(stranger.ok, false, 'the attacking address is held back, even with the right password');
  assert.equal(!stranger.ok && stranger.status, 429);
  const user = await signIn.attempt('OFFICER-A', PASSWORD, '198.51.100.7');
  assert.equal(user.ok, true, 'the real user, from their own address, signs in at once');
});

test('attack: the backoff doubles with each failure past the free ones, up to its cap', async () => {
  const t = clock();
  const signIn = new SignIn(db.pool, sessions, { ...LIMITS, perAddressMax: 1_000 }, t.now);
  const ip = '203.0.113.10';
  // The wait imposed after n failures: 0 when the next wrong password is heard (a 401) at once.
  const waitAfter: number[] = [];
  let failures = 0;
  for (let tries = 0; tries < 100 && waitAfter.length <= 15; tries++) {
    const r = await signIn.attempt('officer-b', 'wrong', ip);
    if (r.ok) assert.fail('a wrong password signed in');
    if (r.status === 401) {
      waitAfter[failures] ??= 0;
      failures++;
      continue;
    }
    waitAfter[failures] = r.retryAfterS ?? 0;
    t.advance(waitAfter[failures]! * 1000); // wait exactly as long as told, then try again
  }
  const waits = waitAfter.slice(1, 16);
  // Computed from the stated limits: 5 free, then 2 s doubling with each failure, at most 15 min.
  const expected = Array.from({ length: 15 }, (_, i) => (i + 1 < 5 ? 0 : Math.min(900, 2 * 2 ** (i + 1 - 5))));
  assert.deepEqual(waits, expected);
});

test('attack: a success resets the backoff for that user at that address', async () => {
  const t = clock();
  const signIn = new SignIn(db.pool, sessions, LIMITS, t.now);
  const ip = '203.0.113.11';
  for (let i = 0; i < 5; i++) await signIn.attempt('officer-c', 'wrong', ip);
  const held = await signIn.attempt('officer-c', PASSWORD, ip);
  assert.equal(!held.ok && held.status, 429);
  t.advance((!held.ok && held.retryAfterS ? held.retryAfterS : 0) * 1000);
  assert.equal((await signIn.attempt('officer-c', PASSWORD, ip)).ok, true);
  // After the success the count starts again: four more failures are free once more.
  for (let i = 0; i < 4; i++) {
    const r = await signIn.attempt('officer-c', 'wrong', ip);
    assert.equal(!r.ok && r.status, 401);
  }
  assert.equal((await signIn.attempt('officer-c', PASSWORD, ip)).ok, true);
});

test('attack: one address spraying many accounts hits the per-address cap', async () => {
  const t = clock();
  const signIn = new SignIn(db.pool, sessions, LIMITS, t.now);
  const ip = '203.0.113.12';
  for (let i = 0; i < LIMITS.perAddressMax; i++) {
    const r = await signIn.attempt(`sprayed-${i}`, 'Winter2026!', ip);
    assert.equal(!r.ok && r.status, 401);
  }
  const capped = await signIn.attempt('officer-a', PASSWORD, ip);
  assert.equal(!capped.ok && capped.status, 429, 'the spraying address is stopped');
  assert.equal((await signIn.attempt('officer-a', PASSWORD, '198.51.100.8')).ok, true, 'others are not');
  t.advance(LIMITS.addressWindowMs + 1);
  assert.equal((await signIn.attempt('officer-a', PASSWORD, ip)).ok, true, 'the cap is a sliding window');
});
