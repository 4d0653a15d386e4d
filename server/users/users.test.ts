// User administration through the REST handlers on a running app (real PostGIS, real sessions):
// jurisdiction as stored and as written, one 404 for unknown and not-yours, duplicates, a supervisor
// who cannot lock themselves out, disabling and resetting ending sessions at once, audit rows with
// no password in them, and the kiosk token list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { SESSION_COOKIE } from '../auth/cookies';
import { hashPassword } from '../auth/passwords';
import { sessionCookie } from '../auth/testing';
import { issueKioskToken } from '../auth/kiosk';
import * as usersApi from '../../app/api/users/route';
import * as userApi from '../../app/api/users/[id]/route';
import * as resetApi from '../../app/api/users/[id]/reset-password/route';
import * as loginApi from '../../app/api/auth/login/route';
import * as meApi from '../../app/api/auth/me/route';
import * as kioskApi from '../../app/api/kiosk-tokens/route';

let db: TestDatabase;
let app: App;
const SUP_PASSWORD = 'supervisor-password-1';

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', DATABASE_POOL_MAX: String(testPoolMax()), NODE_ENV: 'test' });
  app = await startApp(config, {
    say: () => {},
    seed: async (pool) => {
      const box = 'ST_Multi(ST_MakeEnvelope(100, 20, 130, 45, 4326))';
      await pool.query(`INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
        ('0000', '总署', 'HQ', 'hq', NULL, ${box}), ('2200', '上海', 'Shanghai', 'direct', '0000', ${box}),
        ('2248', '洋山', 'Yangshan', 'office', '2200', ${box}), ('3100', '宁波', 'Ningbo', 'direct', '0000', ${box})`);
      const hash = await hashPassword(SUP_PASSWORD);
      await pool.query(
        `INSERT INTO users (username, password_hash, role, district) VALUES
         ('sh-sup', $1, 'supervisor', '2200'), ('ys-sup', $1, 'supervisor', '2248'), ('nb-user', $1, 'officer', '3100'), ('sh-wall', $1, 'viewer', '2200')`,
        [hash],
      );
    },
  });
});
after(async () => {
  await app.close();
  await db.drop();
});

const userId = async (username: string) => (await db.pool.query('SELECT id FROM users WHERE username = $1', [username])).rows[0]?.id as number;
const cookieFor = async (username: string) => sessionCookie(app.sessions, await userId(username));
const url = (path: string) => `http://127.0.0.1:${app.port}${path}`;
const req = (method: string, path: string, cookie: string, body?: unknown) =>
  new Request(url(path), {
    method,
    headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
const idParams = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });

async function signIn(username: string, password: string): Promise<string | null> {
  const res = await loginApi.POST(req('POST', '/api/auth/login', '', { username, password }));
  if (res.status !== 200) return null;
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
  return set.split(';')[0] ?? null;
}
const me = async (cookie: string) => (await meApi.GET(req('GET', '/api/auth/me', cookie))).status;

test('create within the jurisdiction (generated password shown once, signs in); outside it 403; duplicate 409; bad input 400', async () => {
  const sup = await cookieFor('sh-sup');
  const res = await usersApi.POST(req('POST', '/api/users', sup, { username: 'ys-new', displayName: '洋山新人', role: 'officer', district: '2248' }));
  assert.equal(res.status, 201, await res.clone().text());
  const made = await res.json();
  assert.equal(made.username, 'ys-new');
  assert.equal(made.district, '2248');
  assert.equal(made.changedBy, 'sh-sup');
  assert.match(made.password, /^[\w-]{16}$/, 'a generated password, shown once');
  assert.ok(await signIn('ys-new', made.password), 'the generated password signs in');

  const chosen = await usersApi.POST(req('POST', '/api/users', sup, { username: 'sh-chosen', role: 'viewer', district: '2200', password: 'a-long-chosen-pass' }));
  assert.equal(chosen.status, 201);
  assert.equal((await chosen.json()).password, undefined, 'a chosen password is not echoed');

  const outside = await usersApi.POST(req('POST', '/api/users', sup, { username: 'nb-new', role: 'officer', district: '3100' }));
  assert.equal(outside.status, 403);
  const unknown = await usersApi.POST(req('POST', '/api/users', sup, { username: 'xx-new', role: 'officer', district: '9999' }));
  assert.equal(unknown.status, 403);
  assert.equal((await unknown.json()).error.replace('9999', 'X'), (await outside.json()).error.replace('3100', 'X'), 'an unknown district reads like a foreign one');
  const office = await usersApi.POST(req('POST', '/api/users', await cookieFor('ys-sup'), { username: 'sh-by-ys', role: 'officer', district: '2200' }));
  assert.equal(office.status, 403, 'an office supervisor may not create for its direct customs');
  assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM users WHERE username IN ('nb-new', 'xx-new', 'sh-by-ys')`)).rows[0].n, 0);

  const dup = await usersApi.POST(req('POST', '/api/users', sup, { username: 'ys-new', role: 'viewer', district: '2200' }));
  assert.equal(dup.status, 409);
  for (const bad of [
    { username: 'Up', role: 'viewer', district: '2200' },
    { username: 'has space', role: 'viewer', district: '2200' },
    { username: 'ok-name', role: 'root', district: '2200' },
    { username: 'ok-name', role: 'viewer', district: '2200', password: 'short' },
  ]) {
    const r = await usersApi.POST(req('POST', '/api/users', sup, bad));
    assert.equal(r.status, 400, JSON.stringify(bad));
  }
});

test('the list holds the jurisdiction only, with last sign-in and the last change', async () => {
  await signIn('sh-wall', SUP_PASSWORD);
  const list = await (await usersApi.GET(req('GET', '/api/users', await cookieFor('sh-sup')))).json();
  const names = list.map((u: { username: string }) => u.username);
  assert.ok(names.includes('ys-sup') && names.includes('sh-wall'));
  assert.ok(!names.includes('nb-user'), 'not another direct customs');
  const wall = list.find((u: { username: string }) => u.username === 'sh-wall');
  assert.ok(wall.lastSignIn, 'the last sign-in is known');
  const office = await (await usersApi.GET(req('GET', '/api/users', await cookieFor('ys-sup')))).json();
  assert.ok(
    office.every((u: { district: string }) => u.district === '2248'),
    'an office supervisor sees their office only',
  );
  const officer = await usersApi.GET(req('GET', '/api/users', await cookieFor('nb-user')));
  assert.equal(officer.status, 403, 'supervisors only');
});

test('unknown and not-yours answer the same 404, and nothing changes', async () => {
  const sup = await cookieFor('sh-sup');
  const foreign = await userId('nb-user');
  const answers = [];
  for (const id of [foreign, 999_999]) {
    const patch = await userApi.PATCH(req('PATCH', `/api/users/${id}`, sup, { disabled: true }), idParams(id));
    const reset = await resetApi.POST(req('POST', `/api/users/${id}/reset-password`, sup), idParams(id));
    answers.push([patch.status, (await patch.json()).error.replace(String(id), 'N'), reset.status, (await reset.json()).error.replace(String(id), 'N')]);
  }
  assert.deepEqual(answers[0], [404, 'no such user: N', 404, 'no such user: N']);
  assert.deepEqual(answers[0], answers[1]);
  assert.equal((await db.pool.query(`SELECT disabled FROM users WHERE username = 'nb-user'`)).rows[0].disabled, false);
  assert.ok(await signIn('nb-user', SUP_PASSWORD), 'its password is unchanged');
});

test('district as written: a supervisor cannot move an account out of their jurisdiction', async () => {
  const sup = await cookieFor('ys-sup');
  const id = await userId('ys-new');
  const res = await userApi.PATCH(req('PATCH', `/api/users/${id}`, sup, { district: '2200' }), idParams(id));
  assert.equal(res.status, 403);
  assert.equal((await db.pool.query('SELECT district FROM users WHERE id = $1', [id])).rows[0].district, '2248');
});

test('a supervisor cannot disable, demote or move themselves, but may rename themselves', async () => {
  const id = await userId('sh-sup');
  const sup = await cookieFor('sh-sup');
  for (const body of [{ disabled: true }, { role: 'officer' }, { district: '2248' }]) {
    const res = await userApi.PATCH(req('PATCH', `/api/users/${id}`, sup, body), idParams(id));
    assert.equal(res.status, 403, JSON.stringify(body));
  }
  const row = (await db.pool.query('SELECT role, district, disabled FROM users WHERE id = $1', [id])).rows[0];
  assert.deepEqual(row, { role: 'supervisor', district: '2200', disabled: false });
  const rename = await userApi.PATCH(req('PATCH', `/api/users/${id}`, sup, { displayName: '上海主管' }), idParams(id));
  assert.equal(rename.status, 200);
  assert.equal((await rename.json()).displayName, '上海主管');
  assert.equal(await me(sup), 200, 'a rename keeps the session');
});

test('disabling ends the sessions at once; enabling lets the user sign in again', async () => {
  const id = await userId('ys-new');
  const cookie = await cookieFor('ys-new');
  assert.equal(await me(cookie), 200);
  const sup = await cookieFor('sh-sup');
  const res = await userApi.PATCH(req('PATCH', `/api/users/${id}`, sup, { disabled: true }), idParams(id));
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).disabled, true);
  assert.equal(await me(cookie), 401, 'the signed-in cookie stops working');
  assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [id])).rows[0].n, 0);
  await db.pool.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, await hashPassword('known-password-1')]);
  assert.equal(await signIn('ys-new', 'known-password-1'), null, 'a disabled account cannot sign in');
  const enable = await userApi.PATCH(req('PATCH', `/api/users/${id}`, sup, { disabled: false, role: 'viewer' }), idParams(id));
  assert.equal(enable.status, 200);
  assert.ok(await signIn('ys-new', 'known-password-1'));
});

test('a role change ends the sessions too, and the next sign-in has the new role', async () => {
  const id = await userId('sh-wall');
  const cookie = await cookieFor('sh-wall');
  const res = await userApi.PATCH(req('PATCH', `/api/users/${id}`, await cookieFor('sh-sup'), { role: 'officer' }), idParams(id));
  assert.equal(res.status, 200);
  assert.equal(await me(cookie), 401);
  const again = await signIn('sh-wall', SUP_PASSWORD);
  const body = await (await meApi.GET(req('GET', '/api/auth/me', again!))).json();
  assert.equal(body.user.role, 'officer');
  await userApi.PATCH(req('PATCH', `/api/users/${id}`, await cookieFor('sh-sup'), { role: 'viewer' }), idParams(id));
});

test('reset password: the old one fails, the new one works, sessions end', async () => {
  const id = await userId('sh-chosen');
  const cookie = (await signIn('sh-chosen', 'a-long-chosen-pass'))!;
  assert.equal(await me(cookie), 200);
  const res = await resetApi.POST(req('POST', `/api/users/${id}/reset-password`, await cookieFor('sh-sup')), idParams(id));
  assert.equal(res.status, 200, await res.clone().text());
  const { password, user } = await res.json();
  assert.equal(user.username, 'sh-chosen');
  assert.equal(await me(cookie), 401, 'the old session ended');
  assert.equal(await signIn('sh-chosen', 'a-long-chosen-pass'), null, 'the old password fails');
  assert.ok(await signIn('sh-chosen', password), 'the new one works');
});

test('every change is audited, with no password or hash in the trail', async () => {
  const { rows } = await db.pool.query(`SELECT action, username, entity_id, before, after FROM audit_log WHERE entity = 'user' ORDER BY id`);
  const actions = rows.map((r) => r.action);
  assert.ok(actions.includes('user_create') && actions.includes('user_update') && actions.includes('user_password_reset'), actions.join());
  const created = rows.find((r) => r.action === 'user_create' && r.after.username === 'ys-new');
  assert.deepEqual(created.after, { username: 'ys-new', displayName: '洋山新人', role: 'officer', district: '2248', disabled: false });
  assert.equal(created.username, 'sh-sup');
  const disabled = rows.find((r) => r.action === 'user_update' && r.after.disabled === true);
  assert.equal(disabled.before.disabled, false);
  const all = JSON.stringify((await db.pool.query('SELECT * FROM audit_log')).rows);
  assert.ok(!all.includes('a-long-chosen-pass') && !all.includes('known-password-1') && !all.includes('$argon2'), 'no password or hash in the audit log');
});

test('the kiosk token list: the jurisdiction only, never the token, who issued and revoked', async () => {
  const sup = { id: await userId('sh-sup'), username: 'sh-sup', district: '2200' };
  const issued = await issueKioskToken(db.pool, { username: 'sh-wall', label: '大屏 A', issuer: sup });
  const list = await (await kioskApi.GET(req('GET', '/api/kiosk-tokens', await cookieFor('sh-sup')))).json();
  assert.equal(list.length, 1);
  assert.equal(list[0].id, issued.id);
  assert.equal(list[0].label, '大屏 A');
  assert.equal(list[0].createdBy, 'sh-sup');
  assert.equal(list[0].changedBy, 'sh-sup');
  assert.ok(!JSON.stringify(list).includes(issued.token));
  const other = await (await kioskApi.GET(req('GET', '/api/kiosk-tokens', await cookieFor('ys-sup')))).json();
  assert.deepEqual(other, [], "an office supervisor does not see its direct customs' walls");
});
