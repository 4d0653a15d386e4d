// Routes, sites and consignments over REST: GeoJSON in and out, refused with the reason when
// invalid, and edits only within the supervisor's jurisdiction.
import { test, expect } from '@playwright/test';
import pg from 'pg';
import { apiAs } from './signIn';

async function supervisor(baseURL: string, username: string) {
  const ctx = await apiAs(baseURL, username);
  const csrf = (await (await ctx.get('/api/auth/me')).json()).csrf as string;
  return { ctx, headers: { 'x-csrf-token': csrf } };
}

const line = {
  type: 'LineString',
  coordinates: [
    [121.93, 30.86],
    [121.95, 30.9],
    [121.98, 30.95],
  ],
};

test('a route that is not a valid LineString or has no corridor is refused with the reason', async ({ baseURL }) => {
  const { ctx, headers } = await supervisor(baseURL!, 'sh-supervisor');
  const base = { code: 'T-R1', nameZh: '测试路线', nameEn: 'Test route', from: 'S-LGBZ', to: 'S-YSP', corridorM: 500, path: line };
  const sites = await (await ctx.get('/api/sites')).json();
  const codes = sites.features.map((f: { properties: { code: string } }) => f.properties.code);
  base.from = codes[0];
  base.to = codes[1];
  const cases: [unknown, RegExp][] = [
    [{ ...base, corridorM: 0 }, /corridorM/],
    [{ ...base, corridorM: -5 }, /corridorM/],
    [{ ...base, path: { type: 'Point', coordinates: [121, 31] } }, /path/],
    [{ ...base, path: { type: 'LineString', coordinates: [[121, 31]] } }, /at least 2 positions/],
    [
      {
        ...base,
        path: {
          type: 'LineString',
          coordinates: [
            [121, 31],
            [121, 31],
          ],
        },
      },
      /two distinct/,
    ],
    [
      {
        ...base,
        path: {
          type: 'LineString',
          coordinates: [
            [200, 31],
            [121, 31],
          ],
        },
      },
      /path/,
    ],
    [{ ...base, from: 'NOPE' }, /from: no site/],
  ];
  for (const [body, reason] of cases) {
    const r = await ctx.post('/api/routes', { data: body, headers });
    expect(r.status(), JSON.stringify(body).slice(0, 80)).toBe(400);
    expect((await r.json()).error).toMatch(reason);
  }
  const ok = await ctx.post('/api/routes', { data: base, headers });
  expect(ok.status()).toBe(201);
  const fc = await (await ctx.get('/api/routes')).json();
  const saved = fc.features.find((f: { properties: { code: string } }) => f.properties.code === 'T-R1');
  expect(saved.geometry).toEqual(line);
  expect(saved.properties.corridorM).toBe(500);
});

test('edits need the supervisor role and stay inside the jurisdiction', async ({ baseURL }) => {
  const officer = await supervisor(baseURL!, 'sh-officer');
  expect((await officer.ctx.post('/api/sites', { data: {}, headers: officer.headers })).status()).toBe(403);
  const ys = await supervisor(baseURL!, 'ys-supervisor');
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [113.9, 22.5],
        [113.91, 22.5],
        [113.91, 22.51],
        [113.9, 22.51],
        [113.9, 22.5],
      ],
    ],
  };
  const foreign = await ys.ctx.post('/api/sites', {
    data: { code: 'T-SZ', nameZh: '测试', nameEn: 'Test', kind: 'warehouse', district: '5300', area: square },
    headers: ys.headers,
  });
  expect(foreign.status()).toBe(403);
  const bow = {
    type: 'Polygon',
    coordinates: [
      [
        [122, 30.6],
        [122.01, 30.61],
        [122.01, 30.6],
        [122, 30.61],
        [122, 30.6],
      ],
    ],
  };
  const twisted = await ys.ctx.post('/api/sites', { data: { code: 'T-YS', nameZh: '测试', nameEn: 'Test', kind: 'warehouse', district: '2248', area: bow }, headers: ys.headers });
  expect(twisted.status()).toBe(400);
  expect((await twisted.json()).error).toMatch(/intersects itself/);
});

test('a new consignment gets the districts it touches and shows for them', async ({ baseURL }) => {
  const sh = await supervisor(baseURL!, 'sh-supervisor');
  const hq = await apiAs(baseURL!, 'hq-viewer');
  // A route with both ends in Shanghai: its truck's home district (where its first run started) is
  // Shanghai's too, and registering a movement checks the asset's home district.
  const shanghaiRoutes = ['R01', 'R02', 'R05', 'R06', 'R07', 'R08', 'R12'];
  const any = (await (await hq.get('/api/consignments?limit=200')).json()).items.find((c: { route: string; districts: string[] }) => shanghaiRoutes.includes(c.route));
  const res = await sh.ctx.post('/api/consignments', {
    data: {
      reference: `E2E${Date.now()}`,
      asset: any.asset.key,
      route: any.route,
      departure: new Date().toISOString(),
      deadline: new Date(Date.now() + 3_600_000).toISOString(),
      goods: '测试货物',
    },
    headers: sh.headers,
  });
  expect(res.status()).toBe(201);
  const body = await res.json();
  // What to expect, from the stored world by straight SQL rather than from the reply: the districts
  // holding or meeting the route's two sites or crossed by its path; and whether Ningbo (3100, where
  // nb-officer sits) or an office under it is among them.
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  let want: { codes: string[]; nb: boolean };
  try {
    want = (
      await db.query<{ codes: string[]; nb: boolean }>(
        `WITH touched AS (
         SELECT DISTINCT d.code, d.parent
         FROM districts d, routes r JOIN sites o ON o.id = r.from_site JOIN sites t ON t.id = r.to_site
         WHERE r.code = $1
           AND (d.code IN (o.district, t.district) OR ST_Intersects(d.area, o.area) OR ST_Intersects(d.area, t.area) OR ST_Intersects(d.area, r.path)))
       SELECT array(SELECT code FROM touched ORDER BY code) AS codes, EXISTS (SELECT 1 FROM touched WHERE code = '3100' OR parent = '3100') AS nb`,
        [any.route],
      )
    ).rows[0]!;
  } finally {
    await db.end();
  }
  expect(want.codes).toContain('2200');
  expect([...body.districts].sort()).toEqual(want.codes);
  expect((await sh.ctx.get(`/api/consignments/${body.id}`)).status()).toBe(200);
  const nb = await apiAs(baseURL!, 'nb-officer');
  expect((await nb.get(`/api/consignments/${body.id}`)).status()).toBe(want.nb ? 200 : 404);
  const bad = await sh.ctx.post('/api/consignments', { data: { reference: 'X', asset: 'a', route: 'r', departure: 'yesterday', deadline: 'today' }, headers: sh.headers });
  expect(bad.status()).toBe(400);
});
