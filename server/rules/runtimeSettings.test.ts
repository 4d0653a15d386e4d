// Settings the running rules engine takes without a restart, over the REST handlers on a real server
// and database: per-route thresholds (PUT /api/routes/{code}/rules) and a device's expected reporting
// interval (PATCH /api/devices/{id}). Attack cases are named "attack: …".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLinkTestServer, WORLD as LINK_WORLD, type LinkTestServer } from '../links/testing';
import { createTestUser, sessionCookie } from '../auth/testing';
import * as rulesRoute from '../../app/api/routes/[code]/rules/route';
import * as devicesRoute from '../../app/api/devices/route';
import * as deviceRoute from '../../app/api/devices/[id]/route';

let s: LinkTestServer;
const cookie: Record<string, string> = {};
let routeId: number;

before(async () => {
  s = await startLinkTestServer();
  for (const [username, role, district] of [
    ['hq-sup', 'supervisor', '0000'],
    ['sh-sup', 'supervisor', '2200'],
    ['sh-off', 'officer', '2200'],
    ['gz-sup', 'supervisor', '5100'],
  ] as const) {
    cookie[username] = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username, role, district }));
  }
  routeId = (await s.db.pool.query(`SELECT id FROM routes WHERE code = $1`, [LINK_WORLD.route])).rows[0].id;
});
after(async () => {
  await s.close();
});

const req = (path: string, user: string, method = 'GET', body?: unknown) =>
  new Request(`http://tw.test${path}`, {
    method,
    headers: { cookie: cookie[user]!, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
const code = (c: string) => ({ params: Promise.resolve({ code: c }) });
const id = (i: number | string) => ({ params: Promise.resolve({ id: String(i) }) });
const putRules = async (user: string, c: string, body: unknown) => {
  const res = await rulesRoute.PUT(req(`/api/routes/${c}/rules`, user, 'PUT', body), code(c));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const engine = () => s.app.rules!.engine;

test('a supervisor sets a route’s thresholds: stored, audited, and the running engine uses them at once', async () => {
  const r = await putRules('sh-sup', LINK_WORLD.route, { stopMinS: 900, signalLostMinS: 120 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.rules, { stopMinS: 900, signalLostMinS: 120 });
  assert.deepEqual(engine().config.routes[routeId], { stopMinS: 900, signalLostMinS: 120 });
  const got = await rulesRoute.GET(req(`/api/routes/${LINK_WORLD.route}/rules`, 'hq-sup'), code(LINK_WORLD.route));
  assert.deepEqual(((await got.json()) as { rules: unknown }).rules, { stopMinS: 900, signalLostMinS: 120 });
  const a = await s.db.pool.query(`SELECT username, before, after FROM audit_log WHERE action = 'route.rules'`);
  assert.deepEqual(a.rows, [{ username: 'sh-sup', before: {}, after: { stopMinS: 900, signalLostMinS: 120 } }]);
  // {} removes them: the defaults again.
  assert.equal((await putRules('sh-sup', LINK_WORLD.route, {})).status, 200);
  assert.equal(engine().config.routes[routeId], undefined);
  assert.equal((await s.db.pool.query('SELECT count(*)::int AS n FROM route_rules')).rows[0].n, 0);
});

test('attack: another district’s route, an officer, unknown or mistyped settings are refused and change nothing', async () => {
  await putRules('hq-sup', LINK_WORLD.route, { stopMinS: 600 });
  const cases: [string, string, unknown, number][] = [
    ['gz-sup', LINK_WORLD.route, { stopMinS: 1 }, 404], // not theirs: answered as unknown
    ['sh-sup', 'NO-SUCH', { stopMinS: 1 }, 404],
    ['sh-off', LINK_WORLD.route, { stopMinS: 1 }, 403],
    ['sh-sup', LINK_WORLD.route, { corridorM: 5 }, 400],
    ['sh-sup', LINK_WORLD.route, { stopMinS: -1 }, 400],
    ['sh-sup', LINK_WORLD.route, { stopMinS: '600' }, 400],
    ['sh-sup', LINK_WORLD.route, { __proto__: { stopMinS: 1 }, stopSpeedKmh: 1e9 }, 400],
  ];
  for (const [user, c, body, status] of cases) {
    const r = await putRules(user, c, body);
    assert.equal(r.status, status, `${user} ${c} ${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
  }
  assert.equal((await rulesRoute.GET(req(`/api/routes/${LINK_WORLD.route}/rules`, 'gz-sup'), code(LINK_WORLD.route))).status, 404);
  assert.deepEqual(engine().config.routes[routeId], { stopMinS: 600 });
});

test('a device’s expected reporting interval reaches the running engine for its asset; unset and revoke undo it', async () => {
  const add = await devicesRoute.POST(req('/api/devices', 'sh-sup', 'POST', { asset: LINK_WORLD.trucks.sh.key, jt808: '013900000001' }));
  assert.equal(add.status, 201, await add.clone().text());
  const dev = (await add.json()) as { id: number; asset: { id: number }; reportIntervalS: number | null };
  assert.equal(dev.reportIntervalS, null);
  const patch = (user: string, body: unknown, i: number | string = dev.id) => deviceRoute.PATCH(req(`/api/devices/${i}`, user, 'PATCH', body), id(i));
  const r = await patch('sh-sup', { reportIntervalS: 600 });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal(((await r.json()) as { reportIntervalS: number }).reportIntervalS, 600);
  assert.equal(engine().reportInterval(dev.asset.id), 600);
  assert.equal((await s.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'device_report_interval'`)).rows[0].n, 1);

  // attack: not theirs (404 as unknown), an officer, bad values: refused, nothing changes.
  assert.equal((await patch('gz-sup', { reportIntervalS: 5 })).status, 404);
  assert.equal((await patch('sh-off', { reportIntervalS: 5 })).status, 403);
  for (const body of [
    { reportIntervalS: 0 },
    { reportIntervalS: 1.5 },
    { reportIntervalS: 86_401 },
    { reportIntervalS: '60' },
    {},
    { reportIntervalS: 60, state: 'authenticated' },
  ])
    assert.equal((await patch('sh-sup', body)).status, 400, JSON.stringify(body));
  assert.equal((await patch('sh-sup', { reportIntervalS: 5 }, 999_999)).status, 404);
  assert.equal(engine().reportInterval(dev.asset.id), 600);

  assert.equal((await patch('sh-sup', { reportIntervalS: null })).status, 200);
  assert.equal(engine().reportInterval(dev.asset.id), undefined);
  await patch('sh-sup', { reportIntervalS: 120 });
  assert.equal(engine().reportInterval(dev.asset.id), 120);
  assert.equal((await deviceRoute.DELETE(req(`/api/devices/${dev.id}`, 'sh-sup', 'DELETE'), id(dev.id))).status, 200);
  assert.equal(engine().reportInterval(dev.asset.id), undefined, 'a revoked device no longer sets its asset’s interval');
});
