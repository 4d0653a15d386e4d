// Kiosk tokens: only for viewer accounts within the issuer's jurisdiction; a token trades for a
// session that outlives SESSION_MAX_HOURS; revoking ends it; only the hash is stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, type TestDatabase } from '../../db/testing';
import { issueKioskToken, KioskSignIn, revokeKioskToken } from './kiosk';
import { Sessions } from './sessions';

let db: TestDatabase;
let sup: { id: number; username: string; district: string };
before(async () => {
  db = await freshDatabase();
  const box = 'ST_Multi(ST_MakeEnvelope(100, 20, 130, 45, 4326))';
  await db.pool.query(`INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
    ('0000', '总署', 'HQ', 'hq', NULL, ${box}), ('2200', '上海', 'Shanghai', 'direct', '0000', ${box})`);
  const { rows } = await db.pool.query(`INSERT INTO users (username, password_hash, role, district) VALUES
    ('sh-sup', '-', 'supervisor', '2200'), ('sh-wall', '-', 'viewer', '2200'), ('sh-off', '-', 'officer', '2200'), ('hq-wall', '-', 'viewer', '0000')
    RETURNING id, username, district`);
  sup = rows[0];
});
after(async () => {
  await db.drop();
});

test('issue, trade for a long session, revoke', async () => {
  await assert.rejects(issueKioskToken(db.pool, { username: 'sh-off', issuer: sup }), /viewer/);
  await assert.rejects(issueKioskToken(db.pool, { username: 'hq-wall', issuer: sup }), /no such account/, "outside the issuer's jurisdiction");
  const issued = await issueKioskToken(db.pool, { username: 'sh-wall', label: '大屏', issuer: sup });
  assert.match(issued.path, /^\/wall\?kiosk=[\w-]{43}$/);
  const stored = await db.pool.query('SELECT id FROM kiosk_tokens');
  assert.ok(
    stored.rows.every((r) => !r.id.includes(issued.token)),
    'only the hash is stored',
  );

  const sessions = new Sessions(db.pool, { idleMs: 3_600_000, absoluteMs: 12 * 3_600_000 });
  const kiosk = new KioskSignIn(db.pool, sessions);
  assert.equal(await kiosk.exchange('not-a-token', '10.0.0.1'), null);
  const s = await kiosk.exchange(issued.token, '10.0.0.1', 'wall');
  assert.ok(s);
  assert.ok(s.expiresAt > Date.now() + 300 * 86_400_000, 'a token without expiry gives a session of a year');
  assert.equal((await sessions.resolve(s.token))?.user.username, 'sh-wall');
  const again = await kiosk.exchange(issued.token, '10.0.0.2');
  assert.ok(again, "the same link signs in again (the wall's browser restarts)");

  // No idle limit: a wall away for longer than SESSION_IDLE_MINUTES still gets in.
  const later = new Sessions(db.pool, { idleMs: 3_600_000, absoluteMs: 12 * 3_600_000 }, () => Date.now() + 5 * 3_600_000);
  assert.equal((await later.resolve(s.token))?.user.username, 'sh-wall');
  // Read-only for good: promoting the account does not give the wall's session more rights.
  await db.pool.query(`UPDATE users SET role = 'officer' WHERE username = 'sh-wall'`);
  const fresh = new Sessions(db.pool, { idleMs: 3_600_000, absoluteMs: 12 * 3_600_000 });
  assert.equal((await fresh.resolve(s.token))?.user.role, 'viewer');
  await db.pool.query(`UPDATE users SET role = 'viewer' WHERE username = 'sh-wall'`);

  assert.ok(await sessions.resolve(s.token), "the wall's session is live (and cached) before the revoke");
  assert.equal(await revokeKioskToken(db.pool, sessions, issued.id, sup), true);
  assert.equal(await sessions.resolve(s.token), null, 'the revoke ends the cached session at once, not after the cache recheck');
  assert.equal(await kiosk.exchange(issued.token, '10.0.0.1'), null);
  const left = await db.pool.query('SELECT count(*)::int AS n FROM sessions WHERE kiosk_token IS NOT NULL');
  assert.equal(left.rows[0].n, 0, 'its sessions are gone');
  const audit = await db.pool.query(`SELECT action FROM audit_log WHERE action LIKE 'kiosk%' ORDER BY id`);
  assert.deepEqual(
    audit.rows.map((r) => r.action),
    ['kiosk_token_issued', 'kiosk_sign_in_failed', 'kiosk_sign_in', 'kiosk_sign_in', 'kiosk_token_revoked', 'kiosk_sign_in_failed'],
  );
});

test('a token with days expires with its session', async () => {
  const issued = await issueKioskToken(db.pool, { username: 'sh-wall', days: 7 });
  const s = await new KioskSignIn(db.pool, new Sessions(db.pool, { idleMs: 60_000, absoluteMs: 60_000 })).exchange(issued.token, '10.0.0.3');
  assert.ok(s);
  assert.ok(Math.abs(s.expiresAt - (Date.now() + 7 * 86_400_000)) < 60_000);
  await db.pool.query(`UPDATE kiosk_tokens SET expires_at = now() - interval '1 s'`);
  assert.equal(await new KioskSignIn(db.pool, new Sessions(db.pool, { idleMs: 60_000, absoluteMs: 60_000 })).exchange(issued.token, '10.0.0.3'), null);
});
