// The OsmAnd listener over real HTTP, as Traccar Client and OsmAnd send it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../../db/testing';
import { startApp, type App } from '../../app';
import { loadConfig } from '../../config';
import { registerDevice } from '../../devices/admin';
import { devicesRefused } from '../../devices/metrics';
import { decodeJson, decodeQuery } from './decode';

let db: TestDatabase;
let app: App;
let base: string;
/** The secrets registration showed once, by device id. */
const secret: Record<string, string> = {};

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    OSMAND_PORT: '0',
    AIS_PORT: '-1',
    JT808_PORT: '-1',
    JT809_PORT: '-1',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
  });
  app = await startApp(config, {
    say: () => {},
    ingest: true,
    seed: async (pool) => {
      await pool.query(`INSERT INTO assets (key, kind, label) VALUES ('osmand:phone-7', 'vehicle', '沪A·OSM01'), ('tel:013900000042', 'vehicle', '沪A·JT808')`);
      for (const [asset, id] of [
        ['osmand:phone-7', 'phone-7'],
        ['tel:013900000042', '013900000042'],
      ] as const) {
        secret[id] = (await registerDevice(pool, { asset, osmand: id })).secret!;
      }
    },
  });
  base = `http://127.0.0.1:${app.listeners!.ports.osmand}`;
});
after(async () => {
  await app.close();
  await db.drop();
});

test('query decoding: knots to km/h, seconds or ISO time, location=lat,lon', () => {
  const a = decodeQuery(new URLSearchParams('id=x&lat=31.2&lon=121.5&timestamp=1795000000&speed=10&bearing=90'));
  assert.deepEqual(a, { ok: true, fixes: [{ deviceId: 'x', time: 1_795_000_000_000, lat: 31.2, lon: 121.5, speedKmh: 18.52, course: 90 }] });
  const b = decodeQuery(new URLSearchParams('deviceid=y&location=31.2,121.5&timestamp=2026-11-27T01:00:00Z'));
  assert.equal(b.ok && b.fixes[0]!.time, Date.parse('2026-11-27T01:00:00Z'));
  assert.deepEqual(decodeQuery(new URLSearchParams('lat=1&lon=2')), { ok: false, reason: 'id: missing' });
  assert.equal(decodeQuery(new URLSearchParams('id=z&lat=abc&lon=2')).ok, false);
  const j = decodeJson({ device_id: 'p', location: { timestamp: '2026-11-27T01:00:00.000Z', coords: { latitude: 31, longitude: 121, speed: 10, heading: -1 } } });
  assert.deepEqual(j, { ok: true, fixes: [{ deviceId: 'p', time: Date.parse('2026-11-27T01:00:00Z'), lat: 31, lon: 121, speedKmh: 36, course: undefined }] });
});

const refused = async (reason: string) => (await devicesRefused.get()).values.find((v) => v.labels.protocol === 'osmand' && v.labels.reason === reason)?.value ?? 0;

test('attack: OsmAnd without a secret, with a wrong one, or from an unknown id is refused (401/403), counted, nothing stored; the provisioned device with its secret is stored (GET, JSON, form); bad fixes get 400', async () => {
  const t = Math.floor(Date.now() / 1000) - 60;
  const before = { no: await refused('no_secret'), bad: await refused('bad_secret'), unknown: await refused('unprovisioned') };
  // The attacks first: had any got through, its fix would be stored before the good ones below.
  const bare = await fetch(`${base}/?id=phone-7&lat=30.1&lon=120.1&timestamp=${t - 5}`);
  assert.equal(bare.status, 401, 'no secret');
  const wrong = await fetch(`${base}/?id=phone-7&lat=30.1&lon=120.1&timestamp=${t - 5}&secret=${secret['013900000042']}`);
  assert.equal(wrong.status, 403, "another device's secret");
  const unknown = await fetch(`${base}/?id=stranger&lat=31&lon=121&secret=${secret['phone-7']}`);
  assert.equal(unknown.status, 403, 'unknown id, answered like a wrong secret');
  assert.equal(await unknown.text(), 'forbidden', 'the id is not echoed');
  const wrongJson = await fetch(`${base}/?secret=WRONG`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ device_id: 'phone-7', location: { timestamp: new Date(Date.now() - 90_000).toISOString(), coords: { latitude: 30.2, longitude: 120.2 } } }),
  });
  assert.equal(wrongJson.status, 403);
  assert.equal(await refused('no_secret'), before.no + 1);
  assert.equal(await refused('bad_secret'), before.bad + 2);
  assert.equal(await refused('unprovisioned'), before.unknown + 1);

  const get = await fetch(`${base}/?id=phone-7&lat=31.23&lon=121.47&timestamp=${t}&speed=20&bearing=180&secret=${secret['phone-7']}`);
  assert.equal(get.status, 200);
  // Traccar Client's JSON, posted to the server URL it was given (the secret in its query).
  const post = await fetch(`${base}/?secret=${secret['013900000042']}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      device_id: '013900000042',
      location: { timestamp: new Date(Date.now() - 30_000).toISOString(), coords: { latitude: 31.3, longitude: 121.5, speed: 5, heading: 45 } },
    }),
  });
  assert.equal(post.status, 200);
  const form = await fetch(`${base}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `id=phone-7&lat=31.24&lon=121.48&timestamp=${t + 10}&secret=${secret['phone-7']}`,
  });
  assert.equal(form.status, 200);

  const bad = await fetch(`${base}/?id=phone-7&lat=95&lon=121&secret=${secret['phone-7']}`);
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /^lat:/);
  const junk = await fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
  assert.equal(junk.status, 400);

  await new Promise((r) => setTimeout(r, 100));
  await app.writer.flush();
  const { rows } = await db.pool.query(
    `SELECT a.key, p.source, round(p.speed::numeric, 2) AS speed, ST_Y(p.geom) AS lat FROM positions p JOIN assets a ON a.id = p.asset_id ORDER BY p.time`,
  );
  assert.deepEqual(
    rows.map((r) => [r.key, r.source]),
    [
      ['osmand:phone-7', 'osmand'],
      ['osmand:phone-7', 'osmand'],
      ['tel:013900000042', 'osmand'],
    ],
  );
  assert.equal(Number(rows[0].speed), 37.04); // 20 kn
  assert.ok(
    rows.every((r) => Number(r.lat) > 31),
    'none of the refused fixes (lat 30.x) was stored',
  );
  const metrics = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();
  assert.match(metrics, /tw_ingest_devices_refused_total\{protocol="osmand",reason="bad_secret"\} 2/);
  assert.doesNotMatch(metrics, /stranger|phone-7/, 'device ids are never labels');
  const states = await db.pool.query(`SELECT ident, state, last_address FROM devices ORDER BY ident`);
  assert.deepEqual(
    states.rows.map((r) => [r.ident, r.state]),
    [
      ['013900000042', 'authenticated'],
      ['phone-7', 'authenticated'],
    ],
  );
  assert.match(states.rows[0].last_address, /^(::ffff:)?127\.0\.0\.1:\d+$/);
});
