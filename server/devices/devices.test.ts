// Provisioned devices end to end: registration over the REST handlers (called directly, with a
// session cookie), JT/T 808 terminals over real TCP against the real listener, fixes into real
// PostGIS. Attack cases are named "attack: …".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { createTestUser, sessionCookie } from '../auth/testing';
import { encodeFrame } from '../ingest/jt808/codec';
import { MSG, encodeLocationBody } from '../ingest/jt808/messages';
import { Jt808Terminal } from '../ingest/jt808/terminal';
import * as assetsRoute from '../../app/api/assets/route';
import * as devicesRoute from '../../app/api/devices/route';
import * as deviceRoute from '../../app/api/devices/[id]/route';
import * as resetRoute from '../../app/api/devices/[id]/reset/route';
import { deviceCommand } from './cli';
import { devicesRefused } from './metrics';

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
    JT808_PORT: '0',
    JT809_PORT: '-1',
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
  port = app.listeners!.ports.jt808!;
  for (const [username, district] of [
    ['hq-sup', '0000'],
    ['sh-sup', '2200'],
    ['nb-sup', '3100'],
  ] as const) {
    cookie[username] = await sessionCookie(app.sessions, await createTestUser(db.pool, { username, role: 'supervisor', district }));
  }
  cookie['sh-off'] = await sessionCookie(app.sessions, await createTestUser(db.pool, { username: 'sh-off', role: 'officer', district: '2200' }));
});
after(async () => {
  await app.close();
  await db.drop();
});

const req = (path: string, user: string, method = 'GET', body?: unknown) =>
  new Request(`http://tw.test${path}`, {
    method,
    headers: { cookie: cookie[user]!, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const refused = async (protocol: string, reason: string) =>
  (await devicesRefused.get()).values.find((v) => v.labels.protocol === protocol && v.labels.reason === reason)?.value ?? 0;

async function addVehicle(user: string, plate: string, district: string, plateColor = 2) {
  const res = await assetsRoute.POST(req('/api/assets', user, 'POST', { kind: 'vehicle', plate, plateColor, district }));
  return { status: res.status, body: await res.json() };
}
async function addDevice(user: string, body: Record<string, string>) {
  const res = await devicesRoute.POST(req('/api/devices', user, 'POST', body));
  return { status: res.status, body: await res.json() };
}

/** Rows stored for an asset key, once the writer has flushed what the pipeline holds. */
async function storedFor(key: string): Promise<{ lat: number; source: string }[]> {
  await app.writer.flush();
  const { rows } = await db.pool.query(`SELECT ST_Y(p.geom) AS lat, p.source FROM positions p JOIN assets a ON a.id = p.asset_id WHERE a.key = $1 ORDER BY p.time`, [key]);
  return rows;
}
/** Waits until `n` fixes are stored for the asset (the pipeline creates its row asynchronously). */
async function untilStored(key: string, n: number): Promise<{ lat: number; source: string }[]> {
  for (let i = 0; i < 300; i++) {
    const rows = await storedFor(key);
    if (rows.length >= n) return rows;
    await sleep(20);
  }
  throw new Error(`${key}: fewer than ${n} fixes stored`);
}

const now = () => Date.now() - 5_000;
const PHONE_A = '013912345678';

test('provision → register (0x0100) → authenticate (0x0102) → fix stored under the provisioned vehicle; the code is stored hashed', async () => {
  const v = await addVehicle('sh-sup', '沪A·12345', '2200');
  assert.equal(v.status, 201, JSON.stringify(v.body));
  assert.equal(v.body.key, 'plate:沪A12345');
  assert.equal(v.body.plateColor, 2);
  const d = await addDevice('sh-sup', { asset: 'plate:沪A12345', jt808: PHONE_A });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  assert.equal(d.body.state, 'never');
  assert.equal(d.body.secret, undefined, 'a JT/T 808 code is issued at 0x0100, not here');

  const t = await Jt808Terminal.connect({ port, phone: PHONE_A });
  const reg = await t.register({ plate: '沪A12345', plateColor: 2 });
  assert.equal(reg.result, 0);
  assert.match(reg.authCode!, /^[0-9A-F]{32}$/);
  const stored = (await db.pool.query(`SELECT secret_hash, state FROM devices WHERE id = $1`, [d.body.id])).rows[0];
  assert.deepEqual(stored.secret_hash, createHash('sha256').update(reg.authCode!).digest(), 'only the SHA-256 of the code is kept');
  assert.equal(stored.state, 'registered');
  assert.equal(await t.authenticate(), 0);
  assert.equal(await t.sendLocation({ lat: 31.2, lon: 121.5, time: now(), speed: 40 }), 0);
  const rows = await untilStored('plate:沪A12345', 1);
  assert.deepEqual(
    rows.map((r) => [Number(r.lat.toFixed(4)), r.source]),
    [[31.2, 'jt808']],
  );
  await t.close();

  const list = await devicesRoute.GET(req('/api/devices', 'sh-sup'));
  const devices = await list.json();
  assert.equal(devices.length, 1);
  assert.equal(devices[0].state, 'authenticated');
  assert.ok(devices[0].lastContact);
  assert.doesNotMatch(JSON.stringify(devices), /secret|hash/i, 'no secret in the list');
  // The officer may not administer devices.
  assert.equal((await devicesRoute.GET(req('/api/devices', 'sh-off'))).status, 403);
});

test('attack: a second 0x0100 for a registered terminal gets result 3 and no code', async () => {
  const t = await Jt808Terminal.connect({ port, phone: PHONE_A });
  const n = await refused('jt808', 'terminal_registered');
  const reg = await t.register({ plate: '沪A12345', plateColor: 2 });
  assert.equal(reg.result, 3);
  assert.equal(reg.authCode, undefined);
  assert.equal(await refused('jt808', 'terminal_registered'), n + 1);
  await t.close();
});

test('attack: 0x0100 for an unprovisioned phone gets result 4 and no code; nothing is stored for it', async () => {
  const n = await refused('jt808', 'unprovisioned');
  const t = await Jt808Terminal.connect({ port, phone: '013800000001' });
  const reg = await t.register({ plate: '沪A12345', plateColor: 2 });
  assert.deepEqual(reg, { result: 4, authCode: undefined });
  assert.equal(await t.authenticate('ANYTHING'), 1);
  assert.equal(await t.sendLocation({ lat: 31.21, lon: 121.5, time: now() }), 1);
  await t.close();
  assert.equal(await refused('jt808', 'unprovisioned'), n + 2, 'the 0x0100 and the 0x0102');
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM assets WHERE key LIKE '%013800000001%'`);
  assert.equal(rows[0].n, 0, 'no asset appears for an unknown terminal');
});

test('attack: 0x0100 with another plate (or colour) than the one provisioned gets result 2', async () => {
  assert.equal((await addVehicle('sh-sup', '沪B·20001', '2200')).status, 201);
  assert.equal((await addDevice('sh-sup', { asset: 'plate:沪B20001', jt808: '13900000002' })).status, 201);
  const t = await Jt808Terminal.connect({ port, phone: '013900000002' });
  assert.deepEqual(await t.register({ plate: '沪A12345', plateColor: 2 }), { result: 2, authCode: undefined });
  assert.deepEqual(await t.register({ plate: '沪B20001', plateColor: 1 }), { result: 2, authCode: undefined }, 'blue, not yellow');
  assert.deepEqual(await t.register({ plate: '', plateColor: 0 }), { result: 2, authCode: undefined }, 'a VIN instead of a plate');
  // The right plate still works afterwards: nothing was issued to the wrong ones.
  assert.equal((await t.register({ plate: '沪B20001', plateColor: 2 })).result, 0);
  await t.close();
});

test('attack: a made-up auth code is refused, and the fixes behind it are refused (0x8001 result 1) and not stored', async () => {
  const t = await Jt808Terminal.connect({ port, phone: PHONE_A });
  assert.equal(await t.authenticate('123456'), 1);
  assert.equal(await t.authenticate('0'.repeat(32)), 1);
  assert.equal(await t.sendLocation({ lat: 30.0, lon: 121.5, time: now() }), 1);
  assert.equal(
    await t.sendBatch(
      [
        { lat: 30.01, lon: 121.5, time: now() },
        { lat: 30.02, lon: 121.5, time: now() },
      ],
      1,
    ),
    1,
  );
  await t.close();
  // A provisioned terminal that never registered cannot authenticate with a guess either.
  const fresh = await Jt808Terminal.connect({ port, phone: '013900000003' });
  assert.equal((await addVehicle('sh-sup', '沪C·30003', '2200')).status, 201);
  assert.equal((await addDevice('sh-sup', { asset: 'plate:沪C30003', jt808: '013900000003' })).status, 201);
  assert.equal(await fresh.authenticate(''), 2, 'an empty code is a malformed body (result 2)');
  assert.equal(await fresh.authenticate('X'), 1);
  await fresh.close();
  const state = (await db.pool.query(`SELECT state FROM devices WHERE ident = '13900000003'`)).rows[0].state;
  assert.equal(state, 'refused');
  const rows = await storedFor('plate:沪A12345');
  assert.ok(
    rows.every((r) => r.lat > 31),
    'none of the refused fixes (lat 30.x) was stored',
  );
});

test("attack: a spoofed fix naming a registered terminal in its header is not stored (unauthenticated, or on another terminal's connection)", async () => {
  // Unauthenticated connection, with the header phone of terminal A.
  const spoof = await Jt808Terminal.connect({ port, phone: PHONE_A });
  assert.equal(await spoof.sendLocation({ lat: 30.5, lon: 121.5, time: now() }), 1);
  await spoof.close();
  // Authenticated as B (registered in the plate test), then a frame carrying A's number.
  const b = await Jt808Terminal.connect({ port, phone: '013900000002' });
  const code = (await db.pool.query(`SELECT 1 FROM devices WHERE ident = '13900000002' AND secret_hash IS NOT NULL`)).rowCount;
  assert.equal(code, 1);
  // B lost its code with the connection above (a test terminal does not keep it): reset, register, authenticate.
  const dev = (await db.pool.query(`SELECT id FROM devices WHERE ident = '13900000002'`)).rows[0].id;
  assert.equal((await resetRoute.POST(req(`/api/devices/${dev}/reset`, 'sh-sup', 'POST'), params(dev))).status, 200);
  assert.equal((await b.register({ plate: '沪B·20001', plateColor: 2 })).result, 0);
  assert.equal(await b.authenticate(), 0);
  b.sendRaw(encodeFrame({ msgId: MSG.LOCATION, phone: PHONE_A, serial: 900, body: encodeLocationBody({ lat: 30.6, lon: 121.5, time: now() }) }));
  assert.equal(await b.sendLocation({ lat: 31.3, lon: 121.5, time: now() }), 0, "B's own fix, behind the spoofed one");
  await untilStored('plate:沪B20001', 1);
  await b.close();
  const a = await storedFor('plate:沪A12345');
  assert.ok(
    a.every((r) => r.lat > 31),
    'no spoofed fix was stored for A',
  );
  const bRows = await storedFor('plate:沪B20001');
  assert.deepEqual(
    bRows.map((r) => Number(r.lat.toFixed(1))),
    [31.3],
    'nor for B',
  );
});

test('revoking a device closes its connection at once and refuses its next login; a reset lets it register again', async () => {
  assert.equal((await addVehicle('sh-sup', '沪D·40004', '2200')).status, 201);
  const d = await addDevice('sh-sup', { asset: 'plate:沪D40004', jt808: '013900000004' });
  const t = await Jt808Terminal.connect({ port, phone: '013900000004' });
  assert.equal((await t.register({ plate: '沪D40004', plateColor: 2 })).result, 0);
  const code = t.authCode!;
  assert.equal(await t.authenticate(), 0);
  // Another district's supervisor cannot revoke it (not theirs: 404).
  assert.equal((await deviceRoute.DELETE(req(`/api/devices/${d.body.id}`, 'nb-sup', 'DELETE'), params(d.body.id))).status, 404);
  assert.equal((await deviceRoute.DELETE(req('/api/devices/99999999999', 'sh-sup', 'DELETE'), params('99999999999'))).status, 400);
  assert.equal((await deviceRoute.DELETE(req(`/api/devices/${d.body.id}`, 'sh-sup', 'DELETE'), params(d.body.id))).status, 200);
  for (let i = 0; i < 100 && !t.closed; i++) await sleep(10);
  assert.ok(t.closed, 'the open connection was closed');
  const again = await Jt808Terminal.connect({ port, phone: '013900000004' });
  assert.equal(await again.authenticate(code), 1, 'the right code, but revoked');
  assert.equal((await again.register({ plate: '沪D40004', plateColor: 2 })).result, 4);
  await again.close();
  // Registered anew (a new row), it may register again.
  const d2 = await addDevice('sh-sup', { asset: 'plate:沪D40004', jt808: '013900000004' });
  assert.equal(d2.status, 201);
  const t2 = await Jt808Terminal.connect({ port, phone: '013900000004' });
  assert.equal((await t2.register({ plate: '沪D40004', plateColor: 2 })).result, 0);
  await t2.close();
  const audit = await db.pool.query(`SELECT action FROM audit_log WHERE entity = 'device' AND entity_id IN ($1, $2) ORDER BY id`, [String(d.body.id), String(d2.body.id)]);
  assert.deepEqual(
    audit.rows.map((r) => r.action),
    ['device_register', 'device_code_issued', 'device_revoke', 'device_register', 'device_code_issued'],
  );
});

test('attack: a supervisor cannot register a vehicle or a device outside their jurisdiction', async () => {
  const outside = await addVehicle('sh-sup', '浙B·50005', '3100');
  assert.equal(outside.status, 403);
  assert.match(outside.body.error, /outside your jurisdiction/);
  assert.equal((await addVehicle('nb-sup', '浙B·50005', '3100')).status, 201);
  // Ningbo's truck: invisible to Shanghai (404, as any foreign id), then visible through a movement but still not Shanghai's (403).
  assert.equal((await addDevice('sh-sup', { asset: 'plate:浙B50005', jt808: '013900000005' })).status, 404);
  await db.pool.query(
    `INSERT INTO sites (code, name_zh, name_en, kind, district, area) VALUES ('S1', '站', 'Site', 'warehouse', '2200', ST_MakeEnvelope(121.4, 31.1, 121.41, 31.11, 4326))`,
  );
  await db.pool.query(`INSERT INTO consignments (reference, asset_id, origin_site, dest_site, departure, deadline, status, districts)
    SELECT 'MOVE-1', a.id, s.id, s.id, now(), now() + interval '1 day', 'in_transit', '{2200,3100}' FROM assets a, sites s WHERE a.key = 'plate:浙B50005'`);
  const seen = await (await assetsRoute.GET(req('/api/assets', 'sh-sup'))).json();
  assert.ok(
    seen.some((a: { key: string }) => a.key === 'plate:浙B50005'),
    'visible through the movement',
  );
  assert.equal((await addDevice('sh-sup', { asset: 'plate:浙B50005', jt808: '013900000005' })).status, 403);
  // An unknown district, a duplicate plate, a bad phone, two terminals at once: 4xx with the reason.
  assert.equal((await addVehicle('hq-sup', '沪E·60006', '9999')).status, 400);
  assert.equal((await addVehicle('hq-sup', '沪A12345', '2200')).status, 409, 'the same plate without its dot');
  assert.equal((await addDevice('nb-sup', { asset: 'plate:浙B50005', jt808: '13x' })).status, 400);
  assert.equal((await addDevice('nb-sup', { asset: 'plate:浙B50005', jt808: '1', osmand: 'x' })).status, 400);
  assert.equal((await addDevice('nb-sup', { asset: 'plate:浙B50005', jt808: PHONE_A })).status, 409, 'a terminal already on another vehicle');
  // Ningbo sees its own assets and not Shanghai's.
  const nb = await (await assetsRoute.GET(req('/api/assets?kind=vehicle', 'nb-sup'))).json();
  assert.deepEqual(
    nb.map((a: { key: string }) => a.key),
    ['plate:浙B50005'],
  );
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'asset_create'`);
  assert.equal(rows[0].n, 5);
});

test('the CLI registers an OsmAnd device and prints its secret once; only its hash is stored', async () => {
  const out: string[] = [];
  const open = async () => ({ pool: db.pool, close: async () => {} });
  assert.equal(
    await deviceCommand(
      ['add', '--asset', 'plate:沪A12345', '--osmand', 'phone-9'],
      open,
      (l) => out.push(l),
      () => {},
    ),
    0,
  );
  const printed = JSON.parse(out[0]!);
  assert.match(printed.secret, /^[0-9A-F]{32}$/);
  assert.equal(printed.urlQuery, `secret=${printed.secret}`);
  const row = (await db.pool.query(`SELECT secret_hash FROM devices WHERE ident = 'phone-9'`)).rows[0];
  assert.deepEqual(row.secret_hash, createHash('sha256').update(printed.secret).digest());
  assert.equal(
    await deviceCommand(
      ['add', '--asset', 'plate:沪A12345'],
      open,
      () => {},
      () => {},
    ),
    2,
  );
  assert.equal(
    await deviceCommand(
      ['add', '--asset', 'plate:nope', '--jt808', '1'],
      open,
      () => {},
      () => {},
    ),
    2,
  );
  const audit = await db.pool.query(`SELECT username FROM audit_log WHERE action = 'device_register' ORDER BY id DESC LIMIT 1`);
  assert.equal(audit.rows[0].username, 'cli');
});
