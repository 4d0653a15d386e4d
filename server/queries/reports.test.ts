// The reports against hand-made rows whose figures are known exactly: which movements belong to a
// China Standard Time day or month, the on-time rate and mean transit time, alerts by type, the
// deviation grid, jurisdiction (an office sees only its own); and, over real HTTP, the XLSX and CSV
// answers read back hold the same figures, and bad input is a 400 with its reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import readXlsxFile from 'read-excel-file/node';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../http/openapi';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { createTestUser, sessionCookie } from '../auth/testing';
import { GET as reportsGET } from '@/app/api/reports/route';
import { buildReport, unscopedForBench, type Report } from './reports';

let db: TestDatabase;
let app: App;
let base: string;
const cookies: Record<string, string> = {};

// The day D is 2026-03-10 in China Standard Time: [2026-03-09T16:00Z, 2026-03-10T16:00Z).
const cst = (local: string) => `'2026-03-${local}+08'::timestamptz`;

async function seed(pool: TestDatabase['pool']): Promise<void> {
  const q = (sql: string) => pool.query(sql);
  const box = (x0: number, y0: number, x1: number, y1: number) => `ST_Multi(ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326))`;
  await q(`INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
    ('0000', '海关总署', 'HQ', 'hq', NULL, ${box(73, 3, 136, 54)}),
    ('2200', '上海海关', 'Shanghai', 'direct', '0000', ${box(120.8, 30.4, 122.5, 31.9)}),
    ('2248', '洋山海关', 'Yangshan', 'office', '2200', ${box(121.9, 30.5, 122.2, 30.7)}),
    ('5100', '广州海关', 'Guangzhou', 'direct', '0000', ${box(112, 22, 114.5, 24)})`);
  await q(`INSERT INTO sites (code, name_zh, name_en, kind, district, area) VALUES
    ('S-SH', '上海仓', 'SH site', 'warehouse', '2248', ST_MakeEnvelope(122, 30.6, 122.01, 30.61, 4326)),
    ('S-GZ', '广州仓', 'GZ site', 'warehouse', '5100', ST_MakeEnvelope(113.2, 23.1, 113.21, 23.11, 4326))`);
  await q(`INSERT INTO routes (code, name_zh, name_en, from_site, to_site, corridor_m, path, corridor)
    SELECT x.code, x.zh, x.en, s.id, s.id, 500, x.g, ST_Buffer(x.g::geography, 500)::geometry
    FROM (VALUES ('R-SH', '上海线', 'Shanghai line', 'S-SH', ST_SetSRID(ST_MakeLine(ST_MakePoint(122, 30.6), ST_MakePoint(121.5, 31)), 4326)),
                 ('R-GZ', '广州线', 'Guangzhou line', 'S-GZ', ST_SetSRID(ST_MakeLine(ST_MakePoint(113.2, 23.1), ST_MakePoint(113.4, 23.2)), 4326))) x(code, zh, en, site, g)
    JOIN sites s ON s.code = x.site`);
  await q(`INSERT INTO assets (key, kind, district) VALUES ('truck-sh', 'vehicle', '2200'), ('truck-gz', 'vehicle', '5100')`);
  // ref, route, asset, districts, departure, deadline, arrived_at, status. None is open, so that the
  // running rules engine has nothing to raise (an open movement past its deadline would get OVERDUE).
  await q(`INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, arrived_at, status, districts)
    SELECT x.ref, a.id, s.id, s.id, r.id, x.dep, x.dl, x.arr, x.st, x.d
    FROM (VALUES
      -- Shanghai, on R-SH, touching 2200 and its office 2248:
      ('M1', 'R-SH', 'truck-sh', ARRAY['2200', '2248'], ${cst('10 08:00')}, ${cst('10 12:00')}, ${cst('10 11:00')}, 'arrived'),  -- on time, 3 h
      ('M2', 'R-SH', 'truck-sh', ARRAY['2200', '2248'], ${cst('10 09:00')}, ${cst('10 12:00')}, ${cst('10 14:00')}, 'arrived'),  -- late, 5 h
      ('M3', 'R-SH', 'truck-sh', ARRAY['2200', '2248'], ${cst('10 10:00')}, ${cst('10 18:00')}, NULL, 'closed'),      -- closed, never arrived
      ('M4', 'R-SH', 'truck-sh', ARRAY['2200', '2248'], ${cst('10 23:30')}, ${cst('11 03:00')}, ${cst('11 01:30')}, 'arrived'),  -- left on D, on time, 2 h
      ('M5', 'R-SH', 'truck-sh', ARRAY['2200', '2248'], ${cst('09 23:59')}, ${cst('10 06:00')}, ${cst('10 01:00')}, 'arrived'),  -- left the day before
      ('M6', 'R-SH', 'truck-sh', ARRAY['2200', '2248'], ${cst('10 07:00')}, ${cst('10 12:00')}, NULL, 'cancelled'),
      -- Shanghai itself only, no route:
      ('M7', NULL, 'truck-sh', ARRAY['2200'], ${cst('10 12:00')}, ${cst('10 20:00')}, NULL, 'closed'),
      -- Guangzhou:
      ('G1', 'R-GZ', 'truck-gz', ARRAY['5100'], ${cst('10 08:00')}, ${cst('10 10:00')}, ${cst('10 09:00')}, 'arrived'),  -- on time, 1 h
      ('G2', 'R-GZ', 'truck-gz', ARRAY['5100'], ${cst('10 00:00')}, ${cst('10 03:00')}, ${cst('10 04:00')}, 'closed')     -- the first instant of D; late, 4 h
    ) x(ref, route, asset, d, dep, dl, arr, st)
    JOIN assets a ON a.key = x.asset
    JOIN sites s ON s.code = CASE WHEN x.asset = 'truck-sh' THEN 'S-SH' ELSE 'S-GZ' END
    LEFT JOIN routes r ON r.code = x.route`);
  await q(`INSERT INTO alerts (type, severity, consignment_id, time, geom, districts)
    SELECT x.type, x.sev, c.id, x.t, CASE WHEN x.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326) END, c.districts
    FROM (VALUES
      ('ROUTE_DEVIATION', 'critical', 'M1', ${cst('10 09:00')}, 121.51, 31.01),
      ('ROUTE_DEVIATION', 'critical', 'M2', ${cst('10 10:00')}, 121.52, 31.02),  -- the same 0.05° cell as M1's
      ('ROUTE_DEVIATION', 'critical', 'M3', ${cst('10 11:00')}, 121.71, 31.21),
      ('SEAL_ALARM', 'critical', 'M1', ${cst('10 09:30')}, NULL, NULL),
      ('ARRIVED', 'info', 'M1', ${cst('10 11:00')}, NULL, NULL),                 -- information: left out
      ('SEAL_ALARM', 'critical', 'M1', ${cst('09 20:00')}, NULL, NULL),          -- the day before
      ('OVERDUE', 'warning', 'G2', ${cst('10 03:00')}, NULL, NULL),
      ('ROUTE_DEVIATION', 'critical', 'G1', ${cst('10 08:30')}, 113.3, 23.1)
    ) x(type, sev, ref, t, lon, lat)
    JOIN consignments c ON c.reference = x.ref`);
}

/** What Next does for this one route: a Request to the route's GET, its Response back. */
async function nextLike(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/api/reports' || req.method !== 'GET') return void res.writeHead(404).end();
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const response = await reportsGET(new Request(url, { headers }));
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', SIM: '0', DATABASE_POOL_MAX: String(testPoolMax()), NODE_ENV: 'test' });
  app = await startApp(config, { say: () => {}, handler: nextLike, seed: seed });
  base = `http://127.0.0.1:${app.port}`;
  for (const d of ['0000', '2200', '2248', '5100']) cookies[d] = await sessionCookie(app.sessions, await createTestUser(db.pool, { username: `rep-${d}`, district: d }));
});
after(async () => {
  await app?.close();
  await db?.drop();
});

const day = { period: 'day', date: '2026-03-10' } as const;
const row = (r: Report, key: string) => r.rows.find((x) => x.key === key);
const figures = (f: Report['total']) => [f.movements, f.arrived, f.onTime, f.onTimeRate, f.meanTransitS, f.alerts];

test('HQ by district: the day in CST, departure decides, cancelled left out, on-time among arrivals, mean transit', async () => {
  const r = await buildReport(db.pool, '0000', { ...day, by: 'district' });
  assert.equal(r.from, '2026-03-09T16:00:00.000Z');
  assert.equal(r.to, '2026-03-10T16:00:00.000Z');
  assert.deepEqual(
    r.rows.map((x) => x.key),
    ['2200', '5100'],
    'one level below HQ',
  );
  // 2200: M1 (3 h, on time), M2 (5 h, late), M3 (never arrived), M4 (2 h, on time, arrived the next day), M7 (never arrived).
  assert.deepEqual(figures(row(r, '2200')!), [5, 3, 2, 2 / 3, (10 * 3600) / 3, 4]);
  assert.equal(row(r, '2200')!.nameZh, '上海海关');
  // 5100: G1 (1 h, on time), G2 (4 h, late; departed at 00:00 CST, the first instant of the day).
  assert.deepEqual(figures(row(r, '5100')!), [2, 2, 1, 0.5, 2.5 * 3600, 2]);
  assert.deepEqual(figures(r.total), [7, 5, 3, 0.6, 3 * 3600, 6]);
  assert.deepEqual(r.total.alertsByType, [
    { type: 'ROUTE_DEVIATION', count: 4 },
    { type: 'OVERDUE', count: 1 },
    { type: 'SEAL_ALARM', count: 1 },
  ]);
  assert.deepEqual(row(r, '2200')!.alertsByType, [
    { type: 'ROUTE_DEVIATION', count: 3 },
    { type: 'SEAL_ALARM', count: 1 },
  ]);
  // Deviation spots: M1's and M2's in one cell, then the two single ones.
  assert.equal(r.cellDeg, 0.05);
  assert.deepEqual(
    r.spots.map((s) => [Number(s.lon.toFixed(6)), Number(s.lat.toFixed(6)), s.count]),
    [
      [121.5, 31, 2],
      [113.3, 23.1, 1],
      [121.7, 31.2, 1],
    ],
  );
});

test('by route: each route, and movements with none as their own row', async () => {
  const r = await buildReport(db.pool, '0000', { ...day, by: 'route' });
  assert.deepEqual(
    r.rows.map((x) => [x.key, x.nameEn, x.movements, x.arrived, x.onTime, x.alerts]),
    [
      ['R-GZ', 'Guangzhou line', 2, 2, 1, 2],
      ['R-SH', 'Shanghai line', 4, 3, 2, 4],
      ['', 'No route', 1, 0, 0, 0],
    ],
  );
  assert.equal(row(r, 'R-SH')!.meanTransitS, (10 * 3600) / 3);
});

test('a month: the day before counts too', async () => {
  const r = await buildReport(db.pool, '0000', { period: 'month', date: '2026-03', by: 'district' });
  assert.equal(r.from, '2026-02-28T16:00:00.000Z');
  assert.equal(r.to, '2026-03-31T16:00:00.000Z');
  assert.deepEqual([r.total.movements, r.total.arrived, r.total.onTime, r.total.alerts], [8, 6, 4, 7]);
  const april = await buildReport(db.pool, '0000', { period: 'month', date: '2026-04', by: 'district' });
  assert.deepEqual([april.total.movements, april.total.alerts, april.rows.length, april.spots.length], [0, 0, 0, 0]);
  assert.equal(april.total.onTimeRate, null);
});

test('jurisdiction: Shanghai sees its office row and its own movements; the office only its own; Guangzhou only Guangzhou', async () => {
  const sh = await buildReport(db.pool, '2200', { ...day, by: 'district' });
  assert.deepEqual(
    sh.rows.map((x) => [x.key, x.movements]),
    [['2248', 4]],
    'its office (M7 touches Shanghai only: in the total, in no office row)',
  );
  assert.deepEqual(figures(sh.total), [5, 3, 2, 2 / 3, (10 * 3600) / 3, 4]);
  assert.deepEqual(
    sh.spots.map((s) => s.count),
    [2, 1],
    "not Guangzhou's deviation",
  );

  const office = await buildReport(db.pool, '2248', { ...day, by: 'district' });
  assert.deepEqual(
    office.rows.map((x) => x.key),
    ['2248'],
    'an office with nothing below shows itself',
  );
  assert.deepEqual(figures(office.total), [4, 3, 2, 2 / 3, (10 * 3600) / 3, 4]);
  const officeRoutes = await buildReport(db.pool, '2248', { ...day, by: 'route' });
  assert.deepEqual(
    officeRoutes.rows.map((x) => x.key),
    ['R-SH'],
    'no Guangzhou route, no route-less Shanghai movement',
  );

  const gz = await buildReport(db.pool, '5100', { ...day, by: 'district' });
  assert.deepEqual(figures(gz.total), [2, 2, 1, 0.5, 2.5 * 3600, 2]);
  assert.deepEqual(
    gz.spots.map((s) => s.count),
    [1],
  );
});

test('the unscoped form (the bench baseline) gives what HQ sees', async () => {
  const hq = await buildReport(db.pool, '0000', { ...day, by: 'district' });
  const bare = await buildReport(db.pool, '0000', { ...day, by: 'district' }, unscopedForBench);
  assert.deepEqual(bare, hq);
});

/** The JSON answer against the OpenAPI document's schema for it (closed objects: no undeclared field). */
function assertMatchesContract(body: unknown): void {
  const doc = JSON.parse(JSON.stringify(openApiDocument()));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
  const schema = doc.paths['/api/reports'].get.responses['200'].content['application/json'].schema;
  const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')));
  assert.ok(validate(body), ajv.errorsText(validate.errors));
}

const get = (path: string, district = '0000') => fetch(base + path, { headers: { cookie: cookies[district]! } });

test('HTTP: the XLSX download, read back, holds the same figures as the JSON', async () => {
  const json = (await (await get('/api/reports?period=day&date=2026-03-10&by=district')).json()) as Report;
  assert.equal(json.total.movements, 7);
  assertMatchesContract(json);
  const res = await get('/api/reports?period=day&date=2026-03-10&by=district&format=xlsx');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(res.headers.get('content-disposition'), 'attachment; filename="transitwatch-report-day-2026-03-10-district.xlsx"');
  const sheets = await readXlsxFile(Buffer.from(await res.arrayBuffer()));
  assert.deepEqual(
    sheets.map((s) => s.sheet),
    ['汇总 Summary', '告警 Alerts by type', '偏离热点 Deviation spots'],
  );
  const [summary, alerts, spots] = sheets.map((s) => s.data);
  assert.match(String(summary![0]![0]), /2026-03-10/);
  assert.equal(summary![1]![0], '代码 Code');
  // Code, name, name (EN), movements, arrived, on time, on-time rate, mean transit (min), alerts.
  assert.deepEqual(summary!.slice(2), [
    ['2200', '上海海关', 'Shanghai', 5, 3, 2, 2 / 3, 200, 4],
    ['5100', '广州海关', 'Guangzhou', 2, 2, 1, 0.5, 150, 2],
    ['合计 Total', '合计', 'Total', 7, 5, 3, 0.6, 180, 6],
  ]);
  const total = alerts!.filter((r) => r[0] === '合计 Total').map((r) => [r[2], r[4]]);
  assert.deepEqual(
    total,
    json.total.alertsByType.map((a) => [a.type, a.count]),
  );
  assert.deepEqual(
    alerts!.filter((r) => r[0] === '2200').map((r) => [r[2], r[3], r[4]]),
    [
      ['ROUTE_DEVIATION', '偏离路线 Route deviation', 3],
      ['SEAL_ALARM', '关锁报警 Seal alarm', 1],
    ],
  );
  assert.deepEqual(
    spots!.slice(1).map((r) => r[3]),
    json.spots.map((s) => s.count),
  );
});

test('HTTP: the CSV download, a column per alert type; an office user gets only its own', async () => {
  const res = await get('/api/reports?period=day&date=2026-03-10&format=csv', '2248');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
  assert.equal(res.headers.get('content-disposition'), 'attachment; filename="transitwatch-report-day-2026-03-10-district.csv"');
  const lines = (await res.text())
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  assert.equal(lines.length, 3, 'header, the office, the total');
  assert.match(lines[0]!, /^代码 Code,名称 Name,.*,偏离路线 Route deviation,关锁报警 Seal alarm$/);
  assert.equal(lines[1], '2248,洋山海关,Yangshan,4,3,2,0.6667,200,4,3,1');
  assert.equal(lines[2], '合计 Total,合计,Total,4,3,2,0.6667,200,4,3,1');
});

test('HTTP: bad input is a 400 with the reason; no session is a 401', async () => {
  for (const [query, reason] of [
    ['period=day&date=2026-3-10', /date: a day is YYYY-MM-DD/],
    ['period=day&date=2026-02-30', /not a calendar day/],
    ['period=month&date=2026-13', /not a calendar month/],
    ['period=month&date=2026-03-10', /a month is YYYY-MM/],
    ['period=week&date=2026-03-10', /period/],
    ['date=2026-03-10&by=asset', /by/],
    ['date=2026-03-10&format=pdf', /format/],
    ['period=day', /date/],
    ['date=2026-03-10&extra=1', /extra|unrecognized/i],
  ] as const) {
    const res = await get(`/api/reports?${query}`);
    const body = (await res.json()) as { error: string };
    assert.equal(res.status, 400, `${query}: ${JSON.stringify(body)}`);
    assert.match(body.error, reason, query);
  }
  assert.equal((await fetch(`${base}/api/reports?date=2026-03-10`)).status, 401);
});
