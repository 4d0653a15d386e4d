// Bad input against the real route handlers on a real PostGIS (server context from startApp, no
// Next): every attack gets a 400 with its reason, never a 500, and nothing is stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, testPoolMax, type TestDatabase } from '@/db/testing';
import { startApp, type App } from '@/server/app';
import { loadConfig } from '@/server/config';
import { createTestUser, sessionCookie } from '@/server/auth/testing';
import { invalidGeometryReason } from '@/server/queries/geometryValidity';
import { GET as searchGET } from '@/app/api/search/route';
import { GET as consignmentsGET } from '@/app/api/consignments/route';
import { GET as alertsGET } from '@/app/api/alerts/route';
import { POST as ackPOST } from '@/app/api/alerts/[id]/ack/route';
import { GET as consignmentGET } from '@/app/api/consignments/[id]/route';
import { GET as consignmentJourneyGET } from '@/app/api/consignments/[id]/journey/route';
import { GET as assetJourneyGET } from '@/app/api/assets/[id]/journey/route';
import { GET as assetTrackGET } from '@/app/api/assets/[id]/track/route';
import { POST as sitesPOST } from '@/app/api/sites/route';
import { POST as routesPOST } from '@/app/api/routes/route';

let db: TestDatabase;
let app: App;
let viewer: string;
let supervisor: string;

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', DATABASE_POOL_MAX: String(testPoolMax()), NODE_ENV: 'test' });
  app = await startApp(config, { say: () => {} });
  viewer = await sessionCookie(app.sessions, await createTestUser(db.pool, { username: 'bad-input-viewer', role: 'viewer' }));
  supervisor = await sessionCookie(app.sessions, await createTestUser(db.pool, { username: 'bad-input-supervisor', role: 'supervisor' }));
});
after(async () => {
  await app.close();
  await db.drop();
});

const get = (path: string, cookie = viewer) => new Request(`http://test${path}`, { headers: { cookie } });
const post = (path: string, body: unknown, cookie = supervisor) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Request(`http://test${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) },
    body: text,
  });
};
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function expect400(res: Response, reason: RegExp): Promise<void> {
  const body = await res.json();
  assert.equal(res.status, 400, `expected 400, got ${res.status}: ${JSON.stringify(body)}`);
  assert.match(body.error, reason);
}

test('attack: a NUL byte in q (/api/consignments, /api/search) is a 400, not a 500', async () => {
  await expect400(await consignmentsGET(get('/api/consignments?q=abc%00def')), /q: contains a NUL byte/);
  await expect400(await searchGET(get('/api/search?q=ab%00')), /q: contains a NUL byte/);
  // Any parameter, not only q: the check is in parseQuery.
  await expect400(await alertsGET(get('/api/alerts?district=%00')), /district: contains a NUL byte/);
  // The same texts without the NUL are fine: the 400 is for the NUL, not for the text.
  assert.equal((await consignmentsGET(get('/api/consignments?q=abcdef'))).status, 200);
  assert.equal((await searchGET(get('/api/search?q=ab'))).status, 200);
});

test('attack: a NUL byte anywhere in a JSON body (a string or a key) is a 400', async () => {
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [121, 31],
        [121.01, 31],
        [121.01, 31.01],
        [121, 31.01],
        [121, 31],
      ],
    ],
  };
  await expect400(
    await sitesPOST(post('/api/sites', { code: 'NUL\u0000', nameZh: 'x', nameEn: 'x', kind: 'warehouse', district: '0000', area: square })),
    /code: contains a NUL byte/,
  );
  await expect400(
    await sitesPOST(post('/api/sites', { code: 'N1', nameZh: 'x', nameEn: 'x', kind: 'warehouse', district: '0000', area: square, ['a\u0000']: 1 })),
    /contains a NUL byte/,
  );
  await expect400(await ackPOST(post('/api/alerts/1/ack', { note: 'ok\u0000' }), params('1')), /note: contains a NUL byte/);
  assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM sites')).rows[0].n, 0, 'nothing was stored');
});

test('attack: out-of-range ids in a query (/api/alerts?consignment=2147483648) are a 400 with the rule', async () => {
  for (const bad of ['2147483648', '99999999999999999999', '0', '-1', '1e3', '0x10', '007', '1.5', ' 1']) {
    await expect400(await alertsGET(get(`/api/alerts?consignment=${encodeURIComponent(bad)}`)), /consignment: a positive integer up to 2147483647/);
  }
  // The largest int4 is an id: it simply matches nothing.
  const res = await alertsGET(get('/api/alerts?consignment=2147483647'));
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).items, []);
});

test('attack: out-of-range times and ids in paths are a 400 in every [id] route (one parser, one limit)', async () => {
  const routes: [string, (r: Request, p: ReturnType<typeof params>) => Promise<Response>][] = [
    ['/api/consignments/', consignmentGET],
    ['/api/consignments/{}/journey', consignmentJourneyGET],
    ['/api/assets/{}/journey', assetJourneyGET],
    ['/api/assets/{}/track?from=1&to=2', assetTrackGET],
  ];
  for (const [path, fn] of routes) {
    for (const bad of ['2147483648', '0', '12abc', '1e3', '-5']) {
      await expect400(await fn(get(path.replace('{}', bad)), params(bad)), /id: a positive integer up to 2147483647/);
    }
    // Within range but not there: 404, the same answer as for someone else's.
    const res = await fn(get(path.replace('{}', '2147483647')), params('2147483647'));
    assert.equal(res.status, 404, path);
  }
  await expect400(await ackPOST(post('/api/alerts/2147483648/ack', {}), params('2147483648')), /id: a positive integer up to 2147483647/);
  await expect400(await alertsGET(get('/api/alerts?since=99999999999999999999')), /since/);
  await expect400(await alertsGET(get('/api/alerts?until=253402300800000')), /until: a time in ms up to the year 9999/);
  await expect400(await assetTrackGET(get('/api/assets/1/track?from=8640000000000001&to=8640000000000002'), params('1')), /from/);
});

/** A closed ring of n distinct positions (n + 1 with the first again). */
const circle = (n: number) => [...Array.from({ length: n }, (_, i) => [121 + Math.cos((i / n) * 2 * Math.PI), 31 + Math.sin((i / n) * 2 * Math.PI)]), [122, 31]];

// Each attack polygon, the reason the edge gives, and PostGIS' own verdict as the independent check.
const SHELL = [
  [121, 31],
  [121.1, 31],
  [121.1, 31.1],
  [121, 31.1],
  [121, 31],
];
const BAD_POLYGONS: { name: string; coordinates: unknown; reason: RegExp; postgisInvalid: boolean }[] = [
  {
    name: 'an unclosed ring',
    coordinates: [
      [
        [121, 31],
        [121.1, 31],
        [121.1, 31.1],
        [121, 31.1],
      ],
    ],
    reason: /must be closed/,
    postgisInvalid: false,
  },
  {
    name: 'a 3-position ring',
    coordinates: [
      [
        [121, 31],
        [121.1, 31],
        [121, 31],
      ],
    ],
    reason: /at least 4 positions/,
    postgisInvalid: false,
  },
  {
    name: 'a 300-number position',
    coordinates: [[Array.from({ length: 300 }, (_, i) => (i ? 31 : 121)), [121.1, 31], [121.1, 31.1], [121, 31]]],
    reason: /\[lon, lat\] or \[lon, lat, altitude\]/,
    postgisInvalid: false,
  },
  {
    name: 'a hole outside its shell',
    coordinates: [
      SHELL,
      [
        [122, 32],
        [122.01, 32],
        [122.01, 32.01],
        [122, 32.01],
        [122, 32],
      ],
    ],
    reason: /hole 1 lies outside the outer ring/,
    postgisInvalid: true,
  },
  {
    name: 'a zero-area ring',
    coordinates: [
      [
        [121, 31],
        [122, 32],
        [123, 33],
        [121, 31],
      ],
    ],
    reason: /intersects itself|has no area/,
    postgisInvalid: true,
  },
  {
    name: 'a bow tie',
    coordinates: [
      [
        [121, 31],
        [121.1, 31.1],
        [121.1, 31],
        [121, 31.1],
        [121, 31],
      ],
    ],
    reason: /intersects itself/,
    postgisInvalid: true,
  },
  {
    name: 'nested holes',
    coordinates: [
      SHELL,
      [
        [121.01, 31.01],
        [121.09, 31.01],
        [121.09, 31.09],
        [121.01, 31.09],
        [121.01, 31.01],
      ],
      [
        [121.02, 31.02],
        [121.03, 31.02],
        [121.03, 31.03],
        [121.02, 31.03],
        [121.02, 31.02],
      ],
    ],
    reason: /holes 1 and 2 overlap/,
    postgisInvalid: true,
  },
  {
    name: 'a hole crossing its shell',
    coordinates: [
      SHELL,
      [
        [121.05, 31.05],
        [121.2, 31.05],
        [121.2, 31.06],
        [121.05, 31.06],
        [121.05, 31.05],
      ],
    ],
    reason: /hole 1 crosses or touches the outer ring/,
    postgisInvalid: true,
  },
  {
    name: 'a spike',
    coordinates: [
      [
        [121, 31],
        [121.1, 31],
        [121.1, 31.1],
        [121.05, 31.1],
        [121.05, 31.2],
        [121.05, 31.1],
        [121, 31.1],
        [121, 31],
      ],
    ],
    reason: /intersects itself/,
    postgisInvalid: true,
  },
  {
    name: 'latitude out of range',
    coordinates: [
      [
        [121, 31],
        [121.1, 91],
        [121.1, 31.1],
        [121, 31],
      ],
    ],
    reason: /latitude must be within -90..90/,
    postgisInvalid: false,
  },
  {
    name: 'a string coordinate',
    coordinates: [
      [
        [121, 31],
        [121.1, '31'],
        [121.1, 31.1],
        [121, 31],
      ],
    ],
    reason: /finite number/,
    postgisInvalid: false,
  },
  { name: 'too many positions', coordinates: [circle(2_000)], reason: /at most 2000 positions/, postgisInvalid: false },
];

test('attack: invalid polygons (OGC) are a 400 with the reason, and nothing is stored', async () => {
  for (const bad of BAD_POLYGONS) {
    if (bad.postgisInvalid) {
      // The expectation does not come from the code under test: PostGIS agrees the polygon is invalid.
      assert.ok(await invalidGeometryReason(db.pool, { type: 'Polygon', coordinates: bad.coordinates }), `PostGIS finds ${bad.name} invalid`);
    }
    const res = await sitesPOST(
      post('/api/sites', { code: 'BAD', nameZh: '坏', nameEn: 'Bad', kind: 'warehouse', district: '0000', area: { type: 'Polygon', coordinates: bad.coordinates } }),
    );
    await expect400(res, bad.reason);
  }
  assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM sites')).rows[0].n, 0, 'nothing was stored');
  // A valid polygon with a hole and a 3D position (altitude dropped) is taken, and PostGIS finds it valid.
  const good = {
    type: 'Polygon',
    coordinates: [
      SHELL.map((p) => [...p, 12]),
      [
        [121.02, 31.02],
        [121.03, 31.02],
        [121.03, 31.03],
        [121.02, 31.03],
        [121.02, 31.02],
      ],
    ],
  };
  const res = await sitesPOST(post('/api/sites', { code: 'GOOD', nameZh: '好', nameEn: 'Good', kind: 'warehouse', district: '0000', area: good }));
  assert.equal(res.status, 201, JSON.stringify(await res.clone().json()));
  const { rows } = await db.pool.query(`SELECT ST_IsValid(area) AS valid, ST_NDims(area) AS dims, ST_NumInteriorRings(area) AS holes FROM sites WHERE code = 'GOOD'`);
  assert.deepEqual(rows[0], { valid: true, dims: 2, holes: 1 });
});

test('attack: a route path with 300-number positions is a 400, not a 500', async () => {
  const res = await routesPOST(
    post('/api/routes', {
      code: 'R-BAD',
      nameZh: '坏',
      nameEn: 'Bad',
      from: 'GOOD',
      to: 'GOOD',
      corridorM: 500,
      path: { type: 'LineString', coordinates: [Array.from({ length: 300 }, () => 31), [121.1, 31.1]] },
    }),
  );
  await expect400(res, /path.coordinates.0: a position is \[lon, lat\]/);
});

test('attack: an invalid polygon written past the edge is refused by the database (CHECK sites_area_valid), and reads as a 400', async () => {
  const holeOutside = { type: 'Polygon', coordinates: BAD_POLYGONS.find((b) => b.name === 'a hole outside its shell')!.coordinates };
  assert.match((await invalidGeometryReason(db.pool, holeOutside))!, /Hole lies outside shell/);
  await assert.rejects(
    db.pool.query(`INSERT INTO sites (code, name_zh, name_en, kind, district, area) VALUES ('RAW', 'x', 'x', 'warehouse', '0000', ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))`, [
      JSON.stringify(holeOutside),
    ]),
    (err: { code?: string; constraint?: string }) => err.code === '23514' && err.constraint === 'sites_area_valid',
  );
  const { databaseRefusal } = await import('./databaseRefusal');
  const err = await db.pool.query(`SELECT 'a'::int`).catch((e: unknown) => e);
  assert.match(databaseRefusal(err)!, /invalid value/);
});
