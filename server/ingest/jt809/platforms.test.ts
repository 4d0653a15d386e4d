// Provisioned lower platforms end to end: REST (called directly with a session cookie), the real
// listener on a fresh PostGIS, a simulated platform over TCP, positions into the pipeline and the
// database under the plate's asset, alarms on the timeline, an officer's request. Attack cases are
// named "attack: …".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../../db/testing';
import { startApp, type App } from '../../app';
import { loadConfig } from '../../config';
import { createTestUser, sessionCookie } from '../../auth/testing';
import { devicesRefused } from '../../devices/metrics';
import * as assetsRoute from '../../../app/api/assets/route';
import * as platformsRoute from '../../../app/api/jt809/platforms/route';
import * as platformRoute from '../../../app/api/jt809/platforms/[id]/route';
import * as requestRoute from '../../../app/api/assets/[id]/jt809-request/route';
import { jt809PlatformCommand } from './cli';
import { SUB } from './messages';
import { Jt809Platform } from './platform';

let db: TestDatabase;
let app: App;
let port: number;
const cookie: Record<string, string> = {};
const box = (x0: number, y0: number, x1: number, y1: number) => `ST_Multi(ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326))`;

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    OSMAND_PORT: '-1',
    AIS_PORT: '-1',
    JT808_PORT: '-1',
    JT809_PORT: '0',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
  });
  app = await startApp(config, {
    say: () => {},
    ingest: true,
    seed: async (pool) => {
      await pool.query(`INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
        ('0000', '总署', 'HQ', 'hq', NULL, ${box(73, 3, 136, 54)}),
        ('2200', '上海', 'Shanghai', 'direct', '0000', ${box(120.8, 30.6, 122.2, 31.9)}),
        ('3100', '宁波', 'Ningbo', 'direct', '0000', ${box(121.0, 29.0, 122.0, 30.3)})`);
    },
  });
  port = app.listeners!.ports.jt809!;
  for (const [username, role, district] of [
    ['sh-sup', 'supervisor', '2200'],
    ['nb-sup', 'supervisor', '3100'],
    ['sh-off', 'officer', '2200'],
    ['nb-off', 'officer', '3100'],
  ] as const) {
    cookie[username] = await sessionCookie(app.sessions, await createTestUser(db.pool, { username, role, district }));
  }
  for (const [plate, district] of [
    ['沪A·80901', '2200'],
    ['沪A80902', '2200'],
    ['浙B80903', '3100'],
  ]) {
    const res = await assetsRoute.POST(req('/api/assets', 'sh-sup', 'POST', { kind: 'vehicle', plate, plateColor: 2, district: '2200' }));
    assert.equal(res.status, 201, plate);
    if (district !== '2200') await db.pool.query(`UPDATE assets SET district = $1 WHERE plate = $2`, [district, plate]);
  }
});
after(async () => {
  await app?.close();
  await db?.drop();
});

const req = (path: string, user: string, method = 'GET', body?: unknown) =>
  new Request(`http://tw.test${path}`, {
    method,
    headers: { cookie: cookie[user]!, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const refused = async (reason: string) => (await devicesRefused.get()).values.find((v) => v.labels.protocol === 'jt809' && v.labels.reason === reason)?.value ?? 0;

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('a supervisor provisions a platform in their district (audited); another district and bad bodies are refused', async () => {
  const res = await platformsRoute.POST(
    req('/api/jt809/platforms', 'sh-sup', 'POST', { accessCode: 3100001, userId: 31001, password: 'pw809sh', name: '上海运输平台', district: '2200' }),
  );
  assert.equal(res.status, 201);
  const p = await res.json();
  assert.equal(p.accessCode, 3100001);
  assert.equal(p.password, undefined);
  const stored = (await db.pool.query(`SELECT password_hash FROM jt809_platforms WHERE id = $1`, [p.id])).rows[0];
  assert.match(stored.password_hash, /^\$argon2id\$/);
  const audited = (await db.pool.query(`SELECT after FROM audit_log WHERE action = 'jt809_platform_register' AND entity_id = $1`, [String(p.id)])).rows[0];
  assert.equal(audited.after.accessCode, 3100001);
  assert.ok(!JSON.stringify(audited.after).includes('pw809sh'));

  const other = await platformsRoute.POST(req('/api/jt809/platforms', 'sh-sup', 'POST', { accessCode: 3100002, userId: 1, password: 'pw809nb', name: 'x', district: '3100' }));
  assert.equal(other.status, 403);
  const dup = await platformsRoute.POST(req('/api/jt809/platforms', 'sh-sup', 'POST', { accessCode: 3100001, userId: 1, password: 'pw809xx', name: 'y', district: '2200' }));
  assert.equal(dup.status, 409);
  const bad = await platformsRoute.POST(req('/api/jt809/platforms', 'sh-sup', 'POST', { accessCode: -1, userId: 1, password: 'short', name: 'z', district: '2200' }));
  assert.equal(bad.status, 400);
  const officer = await platformsRoute.POST(req('/api/jt809/platforms', 'sh-off', 'POST', { accessCode: 5, userId: 1, password: 'pw809xx', name: 'y', district: '2200' }));
  assert.equal(officer.status, 403);
  const nbList = await (await platformsRoute.GET(req('/api/jt809/platforms', 'nb-sup'))).json();
  assert.equal(nbList.length, 0);
});

test('the CLI provisions a platform with a plate list and keys', async () => {
  const lines: string[] = [];
  const code = await jt809PlatformCommand(
    [
      'add',
      '--access-code',
      '3100009',
      '--user-id',
      '9',
      '--password',
      'pw809cl',
      '--name',
      'CLI 平台',
      '--district',
      '3100',
      '--plates',
      '沪A80902',
      '--keys',
      '30000000,20000000,20000000',
    ],
    async () => ({ pool: db.pool, close: async () => {} }),
    (l) => lines.push(l),
    () => {},
  );
  assert.equal(code, 0);
  assert.equal(JSON.parse(lines[0]!).encrypted, true);
  assert.equal(
    await jt809PlatformCommand(
      ['add', '--access-code', 'x'],
      async () => ({ pool: db.pool, close: async () => {} }),
      () => {},
      () => {},
    ),
    2,
  );
});

test("positions from a provisioned platform reach PostGIS under the plate's asset; others are not stored; alarms go on the timeline; an officer asks for a vehicle", async () => {
  const platform = new Jt809Platform({ port, accessCode: 3100001, userId: 31001, password: 'pw809sh', edition: 2019 });
  try {
    await platform.connect();
    assert.equal((await platform.login()).result, 0);
    const t0 = Date.now() - 60_000;
    platform.position('沪A80901', 2, { time: t0, lat: 31.2, lon: 121.5, speed: 30 });
    platform.history('沪A80902', 2, [{ time: t0 - 5000, lat: 31.21, lon: 121.51, speed: 20 }]);
    platform.position('浙B80903', 2, { time: t0, lat: 31.3, lon: 121.6 }); // Ningbo's vehicle: not this platform's
    platform.position('沪Z00000', 2, { time: t0, lat: 31.3, lon: 121.6 }); // no such vehicle
    platform.alarm('沪A80901', 2, { type: 0x0009, time: t0, info: '盗警' });
    const rows = await until(async () => {
      const { rows } = await db.pool.query(`SELECT a.plate, p.source FROM positions p JOIN assets a ON a.id = p.asset_id WHERE p.source = 'jt809' ORDER BY a.plate`);
      return rows.length >= 2 && rows;
    }, 'two stored positions');
    assert.deepEqual(
      rows.map((r: { plate: string }) => r.plate),
      ['沪A80902', '沪A·80901'].sort(),
    );
    const event = await until(async () => (await db.pool.query(`SELECT kind, detail, source FROM events WHERE kind = 'platform_alarm'`)).rows[0], 'the alarm event');
    assert.equal(event.detail.name, 'theft');
    assert.equal(event.source, 'jt809:3100001');
    await sleep(200);
    const stored = (await db.pool.query(`SELECT count(*)::int AS n FROM positions WHERE source = 'jt809'`)).rows[0].n;
    assert.equal(stored, 2);

    // The officer asks for one vehicle's positions: 0x9205 reaches the platform, which acknowledges.
    const asset = (await db.pool.query(`SELECT id FROM assets WHERE plate = '沪A·80901'`)).rows[0].id;
    const res = await requestRoute.POST(req(`/api/assets/${asset}/jt809-request`, 'sh-off', 'POST', { minutes: 30 }), params(asset));
    assert.equal(res.status, 202, await res.clone().text());
    const out = await res.json();
    assert.equal(out.platform.accessCode, 3100001);
    const got = await platform.next((r) => r.exchange?.dataType === SUB.DOWN_RETURN_STARTUP);
    assert.equal(got.exchange!.plate, '沪A80901');
    await until(async () => (await db.pool.query(`SELECT state FROM jt809_requests WHERE id = $1`, [out.id])).rows[0].state === 'acknowledged', 'the 0x1205');
    assert.ok((await db.pool.query(`SELECT 1 FROM audit_log WHERE action = 'jt809_request' AND entity_id = $1`, [String(asset)])).rows[0]);
    // Another district's officer cannot see the vehicle: answered as missing.
    const nb = await requestRoute.POST(req(`/api/assets/${asset}/jt809-request`, 'nb-off', 'POST', { minutes: 30 }), params(asset));
    assert.equal(nb.status, 404);
  } finally {
    await platform.close();
  }
});

test('attack: unknown platforms, wrong user or password are refused with the 0x1002 codes, counted, and nothing is stored', async () => {
  const before = { unprovisioned: await refused('unprovisioned'), bad_secret: await refused('bad_secret'), not_registered: await refused('not_registered') };
  for (const [accessCode, userId, password, want] of [
    [999999, 1, 'whatever', 2],
    [3100001, 2, 'pw809sh', 3],
    [3100001, 31001, 'wrongpw', 4],
  ] as const) {
    const p = new Jt809Platform({ port, accessCode, userId, password, downLink: false });
    await p.connect();
    assert.equal((await p.login()).result, want);
    p.position('沪A80901', 2, { time: Date.now() - 1000, lat: 31.5, lon: 121.9 });
    await sleep(100);
    await p.close();
  }
  assert.equal(await refused('unprovisioned'), before.unprovisioned + 1);
  assert.equal(await refused('not_registered'), before.not_registered + 1);
  assert.equal(await refused('bad_secret'), before.bad_secret + 1);
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM positions WHERE source = 'jt809' AND abs(ST_Y(geom) - 31.5) < 1e-6`);
  assert.equal(rows[0].n, 0);
});

test('attack: revoking a platform closes its link at once; it cannot log in again', async () => {
  const id = (await db.pool.query(`SELECT id FROM jt809_platforms WHERE access_code = 3100001`)).rows[0].id;
  const p = new Jt809Platform({ port, accessCode: 3100001, userId: 31001, password: 'pw809sh', downLink: false });
  await p.connect();
  assert.equal((await p.login()).result, 0);
  const closed = new Promise<void>((r) => (p as unknown as { main: import('node:net').Socket }).main.once('close', () => r()));
  const nbTry = await platformRoute.DELETE(req(`/api/jt809/platforms/${id}`, 'nb-sup', 'DELETE'), params(id));
  assert.equal(nbTry.status, 404);
  const res = await platformRoute.DELETE(req(`/api/jt809/platforms/${id}`, 'sh-sup', 'DELETE'), params(id));
  assert.equal(res.status, 200);
  await closed;
  await p.close();
  const again = new Jt809Platform({ port, accessCode: 3100001, userId: 31001, password: 'pw809sh', downLink: false });
  await again.connect();
  assert.equal((await again.login()).result, 2);
  await again.close();
});
