// The district tree over the REST handlers on a fresh SIM=0 deployment (the seeded customs tree):
// who sees what, and a supervisor adding an office within their jurisdiction. Attack cases are
// named "attack: …".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { seedDeployment } from '../seedDeployment';
import { createTestUser, sessionCookie } from '../auth/testing';
import * as districtsRoute from '../../app/api/districts/route';

let db: TestDatabase;
let app: App;
const cookie: Record<string, string> = {};

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', SIM: '0', DATABASE_POOL_MAX: String(testPoolMax()), NODE_ENV: 'test' });
  app = await startApp(config, { say: () => {}, seed: (pool) => seedDeployment(pool, config, () => {}) });
  for (const [username, role, district] of [
    ['hq-sup', 'supervisor', '0000'],
    ['sh-sup', 'supervisor', '2200'],
    ['sh-off', 'officer', '2200'],
    ['ys-sup', 'supervisor', '2248'],
    ['nb-sup', 'supervisor', '3100'],
  ] as const) {
    cookie[username] = await sessionCookie(app.sessions, await createTestUser(db.pool, { username, role, district }));
  }
});
after(async () => {
  await app.close();
  await db.drop();
});

const req = (user: string, method = 'GET', body?: unknown) =>
  new Request('http://tw.test/api/districts', {
    method,
    headers: { cookie: cookie[user]!, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
const codes = async (user: string) => ((await (await districtsRoute.GET(req(user))).json()) as { districts: { code: string }[] }).districts.map((d) => d.code);
const add = async (user: string, body: unknown) => {
  const res = await districtsRoute.POST(req(user, 'POST', body));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

test('GET: HQ sees the whole tree, a direct customs itself and its offices, an office itself', async () => {
  const hq = await codes('hq-sup');
  assert.equal(hq[0], '0000', 'parents first');
  assert.ok(hq.includes('5100') && hq.includes('2248') && hq.length >= 42);
  const sh = await codes('sh-sup');
  assert.equal(sh[0], '2200');
  assert.ok(sh.includes('2248') && !sh.includes('3100') && !sh.includes('0000'));
  assert.deepEqual(await codes('ys-sup'), ['2248']);
});

test('a Shanghai supervisor adds an office: stored, audited, visible, in the live tree', async () => {
  const r = await add('sh-sup', { code: '2249', nameZh: '测试海关', nameEn: 'Test Customs', parent: '2200' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body, { code: '2249', nameZh: '测试海关', nameEn: 'Test Customs', level: 'office', parent: '2200', hasArea: false });
  assert.ok((await codes('sh-sup')).includes('2249'));
  assert.ok(!(await codes('nb-sup')).includes('2249'));
  const a = await db.pool.query(`SELECT username, entity_id FROM audit_log WHERE action = 'district.add'`);
  assert.deepEqual(a.rows, [{ username: 'sh-sup', entity_id: '2249' }]);
  assert.ok(app.districts.has('2249'), 'the live hub knows the new office');
  assert.deepEqual([...app.districts.viewersOf(['2249'])].sort(), ['0000', '2200', '2249']);
  // Same code again: a conflict, not a second row.
  assert.equal((await add('hq-sup', { code: '2249', nameZh: '再来', nameEn: 'Again', parent: '2200' })).status, 409);
});

test('attack: out of jurisdiction, wrong level, wrong role and forged input are refused and add nothing', async () => {
  const before = (await db.pool.query('SELECT count(*)::int AS n FROM districts')).rows[0].n;
  const cases: [string, unknown, number][] = [
    ['nb-sup', { code: '2250', nameZh: '越权', nameEn: 'Overreach', parent: '2200' }, 403], // Ningbo under Shanghai
    ['sh-sup', { code: '3150', nameZh: '越权', nameEn: 'Overreach', parent: '3100' }, 403], // Shanghai under Ningbo
    ['sh-sup', { code: '9950', nameZh: '无此', nameEn: 'Nowhere', parent: '9900' }, 403], // unknown parent answers as not yours
    ['ys-sup', { code: '2251', nameZh: '下级', nameEn: 'Below', parent: '2248' }, 400], // an office cannot add under itself…
    ['sh-sup', { code: '2252', nameZh: '下级', nameEn: 'Below', parent: '2248' }, 400], // …nor under an office
    ['hq-sup', { code: '0050', nameZh: '总署下', nameEn: 'Under HQ', parent: '0000' }, 400], // a direct customs is not added here
    ['sh-sup', { code: '3199', nameZh: '错码', nameEn: 'Wrong prefix', parent: '2200' }, 400],
    ['sh-off', { code: '2253', nameZh: '监控员', nameEn: 'Officer', parent: '2200' }, 403],
    ['sh-sup', { code: '22A3', nameZh: 'x', nameEn: 'x', parent: '2200' }, 400],
    ['sh-sup', { code: '2254', nameZh: ' ', nameEn: 'x', parent: '2200' }, 400],
    ['sh-sup', { code: '2255', nameZh: 'x', nameEn: 'x', parent: '2200', level: 'direct' }, 400],
  ];
  for (const [user, body, status] of cases) {
    const r = await add(user, body);
    assert.equal(r.status, status, `${user} ${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
    assert.ok(typeof r.body.error === 'string' && r.body.error.length > 0, 'a reason is given');
  }
  assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM districts')).rows[0].n, before);
});
