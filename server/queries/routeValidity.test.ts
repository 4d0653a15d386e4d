// A route's approval period (有效期) over the REST handlers on a real server and database: it is
// stored and listed with who changed the route and when, a movement may depart on the route only
// inside it, and a period that ends before it starts is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLinkTestServer, WORLD, type LinkTestServer } from '../links/testing';
import { createTestUser, sessionCookie } from '../auth/testing';
import * as routesRoute from '../../app/api/routes/route';
import * as movementsRoute from '../../app/api/consignments/route';

let s: LinkTestServer;
let cookie = '';

before(async () => {
  s = await startLinkTestServer();
  cookie = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: 'sh-sup', role: 'supervisor', district: '2200' }));
});
after(async () => {
  await s.close();
});

const post = (path: string, body: unknown) =>
  new Request(`http://tw.test${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });

const ROUTE = {
  code: 'YS-WGQ-2',
  nameZh: '洋山—外高桥(二)',
  nameEn: 'Yangshan to Waigaoqiao 2',
  from: WORLD.sites.terminal,
  to: WORLD.sites.bonded,
  corridorM: 400,
  path: {
    type: 'LineString',
    coordinates: [
      [122.05, 30.62],
      [121.9, 30.9],
      [121.6, 31.3],
    ],
  },
};
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

test('a route’s approval period is stored, listed with its last change, and bounds the departures on it', async () => {
  const from = Date.now() - DAY;
  const until = Date.now() + 2 * DAY;
  const saved = await routesRoute.POST(post('/api/routes', { ...ROUTE, validFrom: iso(from), validUntil: iso(until) }));
  assert.equal(saved.status, 201, await saved.clone().text());

  const list = (await (await routesRoute.GET(new Request('http://tw.test/api/routes', { headers: { cookie } }))).json()) as {
    features: { properties: Record<string, unknown> }[];
  };
  const p = list.features.find((f) => f.properties.code === ROUTE.code)!.properties;
  assert.equal(Date.parse(String(p.validFrom)), from);
  assert.equal(Date.parse(String(p.validUntil)), until);
  assert.equal(p.changedBy, 'sh-sup');
  assert.ok(Math.abs(Date.parse(String(p.changedAt)) - Date.now()) < 60_000);

  const movement = (ref: string, departure: number) => ({
    reference: ref,
    asset: WORLD.trucks.sh.key,
    route: ROUTE.code,
    departure: iso(departure),
    deadline: iso(departure + DAY),
  });
  const inside = await movementsRoute.POST(post('/api/consignments', movement('MV-VALID-1', Date.now())));
  assert.equal(inside.status, 201, await inside.clone().text());
  for (const [ref, departure] of [
    ['MV-VALID-2', from - 3_600_000],
    ['MV-VALID-3', until],
  ] as const) {
    const r = await movementsRoute.POST(post('/api/consignments', movement(ref, departure)));
    assert.equal(r.status, 400, ref);
    assert.match(((await r.json()) as { error: string }).error, /route: YS-WGQ-2 (is approved only from|was approved only until)/);
  }
});

test('a period that ends before it starts is refused with the reason', async () => {
  const r = await routesRoute.POST(post('/api/routes', { ...ROUTE, code: 'YS-WGQ-3', validFrom: iso(Date.now()), validUntil: iso(Date.now() - DAY) }));
  assert.equal(r.status, 400);
  assert.match(((await r.json()) as { error: string }).error, /validUntil must be after validFrom/);
});
