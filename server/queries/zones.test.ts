// GET/POST /api/zones and DELETE /api/zones/{code} through the route handlers, on the real server:
// supervisors create zones as GeoJSON Features within their jurisdiction (audited), the rules'
// fences follow, invalid polygons and other districts are refused, delete is audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GET, POST } from '../../app/api/zones/route';
import { DELETE } from '../../app/api/zones/[code]/route';
import { createTestUser, sessionCookie } from '../auth/testing';
import { startLinkTestServer, type LinkTestServer } from '../links/testing';

let s: LinkTestServer;
const cookies: Record<string, string> = {};
before(async () => {
  s = await startLinkTestServer();
  for (const [name, role, district] of [
    ['sup2200', 'supervisor', '2200'],
    ['sup5100', 'supervisor', '5100'],
    ['view2248', 'viewer', '2248'],
    ['view5100', 'viewer', '5100'],
  ] as const) {
    cookies[name] = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: name, role, district }));
  }
});
after(() => s.close());

const ring = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const feature = (over: Record<string, unknown> = {}, coordinates: number[][][] = [ring(122.0, 30.6, 122.02, 30.62)]) => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates },
  properties: { code: 'YS-BZ', nameZh: '洋山特殊综合保税区', nameEn: 'Yangshan Special Comprehensive Bonded Zone', kind: 'bonded', district: '2248', areaCode: '2249', ...over },
});
const post = (who: string, body: unknown) =>
  POST(new Request('http://localhost/api/zones', { method: 'POST', headers: { cookie: cookies[who]!, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
const list = async (who: string) =>
  (await (await GET(new Request('http://localhost/api/zones', { headers: { cookie: cookies[who]! } }))).json()) as { features: { properties: { code: string } }[] };
const del = (who: string, code: string) =>
  DELETE(new Request(`http://localhost/api/zones/${encodeURIComponent(code)}`, { method: 'DELETE', headers: { cookie: cookies[who]! } }), { params: Promise.resolve({ code }) });

test('a supervisor creates a bonded zone in an office below it: stored, audited, listed to those who see the district, in the fences at once', async () => {
  const r = await post('sup2200', feature());
  assert.equal(r.status, 201, await r.clone().text());
  const body = await r.json();
  assert.equal(body.code, 'YS-BZ');
  const [row] = (await s.db.pool.query(`SELECT kind, district, area_code FROM zones WHERE code = 'YS-BZ'`)).rows;
  assert.deepEqual(row, { kind: 'bonded', district: '2248', area_code: '2249' });
  const audit = (await s.db.pool.query(`SELECT username, action FROM audit_log WHERE entity = 'zone' AND entity_id = 'YS-BZ'`)).rows;
  assert.deepEqual(audit, [{ username: 'sup2200', action: 'zone_create' }]);
  const zone = s.app.rules!.geo.zone(body.id);
  assert.equal(zone?.kind, 'bonded');
  assert.deepEqual(
    s.app.rules!.geo.zonesAt(122.01, 30.61).map((z) => z.code),
    ['YS-BZ'],
  );
  const seen = await list('view2248');
  assert.deepEqual(
    seen.features.map((f) => f.properties.code),
    ['YS-BZ'],
  );
  assert.equal((seen.features[0] as unknown as { properties: { areaCode: string } }).properties.areaCode, '2249');
  assert.deepEqual((await list('view5100')).features, []);
  // Updating it (a changed outline) answers 200 and moves the fence.
  const moved = await post('sup2200', feature({}, [ring(122.03, 30.6, 122.05, 30.62)]));
  assert.equal(moved.status, 200);
  assert.deepEqual(s.app.rules!.geo.zonesAt(122.01, 30.61), []);
});

test('refused: another district, a stored zone of another district, an invalid polygon, a viewer, a bad kind, a taken area code', async () => {
  const other = await post('sup5100', feature({ code: 'X1', district: '2200', areaCode: null }));
  assert.equal(other.status, 403);
  assert.match((await other.json()).error, /district: not in your jurisdiction/);
  const theirs = await post('sup5100', feature({ district: '5100', areaCode: null }));
  assert.equal(theirs.status, 403);
  assert.match((await theirs.json()).error, /zone YS-BZ exists and is outside your jurisdiction/);
  const bowtie = await post(
    'sup2200',
    feature({ code: 'X2', areaCode: null }, [
      [
        [122, 30.6],
        [122.02, 30.62],
        [122.02, 30.6],
        [122, 30.62],
        [122, 30.6],
      ],
    ]),
  );
  assert.equal(bowtie.status, 400);
  assert.match((await bowtie.json()).error, /geometry\.coordinates: the outer ring intersects itself/);
  const open = await post(
    'sup2200',
    feature({ code: 'X3', areaCode: null }, [
      [
        [122, 30.6],
        [122.02, 30.6],
        [122.02, 30.62],
        [122, 30.62],
      ],
    ]),
  );
  assert.equal(open.status, 400);
  const viewer = await post('view2248', feature({ code: 'X4' }));
  assert.equal(viewer.status, 403);
  const kind = await post('sup2200', feature({ code: 'X5', kind: 'casino', areaCode: null }));
  assert.equal(kind.status, 400);
  assert.match((await kind.json()).error, /properties\.kind/);
  const taken = await post('sup2200', feature({ code: 'X6' }));
  assert.equal(taken.status, 409);
  assert.match((await taken.json()).error, /areaCode 2249 is another zone's/);
  assert.equal((await s.db.pool.query(`SELECT count(*)::int AS n FROM zones WHERE code LIKE 'X%'`)).rows[0].n, 0);
});

test('delete: another district gets the same 404 as an unknown zone; the owner deletes it, audited, and the fence goes', async () => {
  const id = (await s.db.pool.query(`SELECT id FROM zones WHERE code = 'YS-BZ'`)).rows[0].id;
  const notYours = await del('sup5100', 'YS-BZ');
  const unknown = await del('sup5100', 'NO-SUCH');
  assert.equal(notYours.status, 404);
  assert.equal(unknown.status, 404);
  assert.equal((await notYours.json()).error, (await unknown.json()).error.replace('NO-SUCH', 'YS-BZ'));
  const r = await del('sup2200', 'YS-BZ');
  assert.equal(r.status, 200);
  assert.equal((await s.db.pool.query(`SELECT count(*)::int AS n FROM zones WHERE code = 'YS-BZ'`)).rows[0].n, 0);
  const audit = (await s.db.pool.query(`SELECT action, before->>'kind' AS kind FROM audit_log WHERE entity = 'zone' AND entity_id = 'YS-BZ' ORDER BY id`)).rows;
  assert.deepEqual(
    audit.map((a) => a.action),
    ['zone_create', 'zone_update', 'zone_delete'],
  );
  assert.equal(audit[2].kind, 'bonded');
  assert.equal(s.app.rules!.geo.zone(id), undefined);
});
