// A real deployment (SIM=0) on a fresh database: the customs district tree is there, `admin` signs in
// with TW_ADMIN_PASSWORD, and no demo account or demo world exists. The demo, on top of the same tree,
// adds only its world (giving the tree's districts its polygons) and its accounts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, testPoolMax, type TestDatabase } from '../db/testing';
import { startApp, type App } from './app';
import { loadConfig } from './config';
import { seedDeployment } from './seedDeployment';
import { CUSTOMS_TREE } from './auth/districtSeed';
import { DEMO_USERS } from './auth/seedUsers';
import { seedWorld } from './sim/seed';
import { WORLD } from './sim/world';
import * as loginRoute from '../app/api/auth/login/route';

let db: TestDatabase;
let app: App;
const said: string[] = [];
const ADMIN_PASSWORD = 'a real deployment password';

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    TW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
  });
  app = await startApp(config, { say: () => {}, seed: (pool) => seedDeployment(pool, config, (m) => said.push(m)) });
});
after(async () => {
  await app.close();
  await db.drop();
});

const login = (username: string, password: string) =>
  loginRoute.POST(
    new Request('http://tw.test/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.20' },
      body: JSON.stringify({ username, password }),
    }),
  );

test('SIM=0: the customs district tree is seeded, HQ over 41 direct customs', async () => {
  const { rows } = await db.pool.query<{ level: string; n: number }>('SELECT level, count(*)::int AS n FROM districts GROUP BY level ORDER BY level');
  const offices = CUSTOMS_TREE.districts.filter((d) => d.level === 'office').length;
  assert.deepEqual(rows, [
    { level: 'direct', n: 41 },
    { level: 'hq', n: 1 },
    { level: 'office', n: offices },
  ]);
  const sh = await db.pool.query(`SELECT name_zh, parent, area FROM districts WHERE code IN ('2200', '2248') ORDER BY code`);
  assert.deepEqual(sh.rows, [
    { name_zh: '上海海关', parent: '0000', area: null },
    { name_zh: '洋山海关', parent: '2200', area: null },
  ]);
  // Jurisdiction works on the tree alone: Shanghai sees itself and its offices, not Ningbo.
  const v = await db.pool.query<{ codes: string[] }>(`SELECT visible_districts('2200') AS codes`);
  assert.ok(v.rows[0]!.codes.includes('2248') && !v.rows[0]!.codes.includes('3100'));
  assert.ok(said.some((m) => /customs district tree/.test(m)));
});

test('SIM=0: admin signs in with TW_ADMIN_PASSWORD and the log says how', async () => {
  assert.equal((await login('admin', 'not the password')).status, 401);
  const res = await login('admin', ADMIN_PASSWORD);
  assert.equal(res.status, 200, await res.clone().text());
  const u = await db.pool.query(`SELECT role, district FROM users WHERE username = 'admin'`);
  assert.deepEqual(u.rows, [{ role: 'supervisor', district: '0000' }]);
  assert.ok(said.some((m) => m.includes('sign in at /login as admin') && m.includes('TW_ADMIN_PASSWORD')));
  assert.ok(!said.some((m) => m.includes(ADMIN_PASSWORD)), 'the chosen password is never logged');
});

test('SIM=0: no demo account, no demo world; a demo password signs nobody in', async () => {
  const users = await db.pool.query<{ username: string }>('SELECT username FROM users ORDER BY username');
  assert.deepEqual(
    users.rows.map((r) => r.username),
    ['admin'],
  );
  assert.equal((await login(DEMO_USERS[0]!.username, 'demo-2026')).status, 401);
  const world = await db.pool.query<{ n: number }>('SELECT (SELECT count(*) FROM sites) + (SELECT count(*) FROM routes) + (SELECT count(*) FROM assets) AS n');
  assert.equal(Number(world.rows[0]!.n), 0);
});

test('seeding again adds nothing and keeps a district renamed since', async () => {
  await db.pool.query(`UPDATE districts SET name_en = 'Yangshan Port Customs' WHERE code = '2248'`);
  const before = await db.pool.query('SELECT count(*)::int AS n FROM districts');
  const again: string[] = [];
  await seedDeployment(db.pool, { SIM: false, TW_ADMIN_PASSWORD: 'another password here', TW_DEMO_PASSWORD: undefined }, (m) => again.push(m));
  const after = await db.pool.query('SELECT count(*)::int AS n FROM districts');
  assert.equal(after.rows[0].n, before.rows[0].n);
  assert.equal((await db.pool.query(`SELECT name_en FROM districts WHERE code = '2248'`)).rows[0].name_en, 'Yangshan Port Customs');
  assert.deepEqual(again, [], 'nothing to seed, nothing said');
  assert.equal((await login('admin', ADMIN_PASSWORD)).status, 200, 'an existing admin keeps its password');
});

test('the demo world on top of the tree fills in its districts’ polygons and adds its own offices', async () => {
  const demo = await freshDatabase();
  try {
    await seedDeployment(demo.pool, { SIM: true, TW_ADMIN_PASSWORD: undefined, TW_DEMO_PASSWORD: undefined }, () => {});
    const { rows } = await demo.pool.query<{ code: string; has_area: boolean }>('SELECT code, area IS NOT NULL AS has_area FROM districts WHERE code = ANY ($1) ORDER BY code', [
      WORLD.districts.map((d) => d.code),
    ]);
    assert.equal(rows.length, WORLD.districts.length);
    assert.ok(
      rows.every((r) => r.has_area),
      'every demo district has its polygon',
    );
    assert.equal((await demo.pool.query(`SELECT count(*)::int AS n FROM users WHERE username = ANY ($1)`, [DEMO_USERS.map((u) => u.username)])).rows[0].n, DEMO_USERS.length);
    assert.equal(await seedWorld(demo.pool), false, 'the demo world is seeded once');
  } finally {
    await demo.drop();
  }
});
