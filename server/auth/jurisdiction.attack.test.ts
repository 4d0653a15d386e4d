// Attacks on jurisdiction over a real server (real PostGIS, real Socket.IO clients), each one
// computing what must come back independently, in straight SQL: taking over another district's
// site or route by re-saving it, foreign routes on the map, sockets that outlive their session,
// fixes outside the movement that makes an asset visible, and a route too heavy to buffer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { seedWorld } from '../sim/seed';
import { PositionWriter } from '../pipeline/positionWriter';
import { seedUsers } from './seedUsers';
import { createTestUser, sessionCookie } from './testing';
import { KioskSignIn, issueKioskToken } from './kiosk';
import { SESSION_COOKIE } from './cookies';
import { MAX_ROUTE_VERTICES } from '../geo/routeLimits';
import * as sitesApi from '../../app/api/sites/route';
import * as routesApi from '../../app/api/routes/route';
import * as worldApi from '../../app/api/world/route';
import * as logoutApi from '../../app/api/auth/logout/route';
import * as kioskTokenApi from '../../app/api/kiosk-tokens/[id]/route';
import * as trackApi from '../../app/api/assets/[id]/track/route';

let db: TestDatabase;
let app: App;

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', LIVE_TICK_MS: '100', DATABASE_POOL_MAX: String(testPoolMax()), NODE_ENV: 'test' });
  app = await startApp(config, {
    say: () => {},
    seed: async (pool) => {
      await seedWorld(pool);
      await seedUsers(pool, { demo: true, demoPassword: 'test-password' }, () => {});
      await pool.query(`INSERT INTO assets (key, kind, label, district) VALUES ('tel:013900002248', 'vehicle', '沪C·Y0001', '2248')`);
    },
  });
});
after(async () => {
  await app.close();
  await db.drop();
});

const userId = async (username: string) => (await db.pool.query('SELECT id FROM users WHERE username = $1', [username])).rows[0].id as number;
const cookieFor = async (username: string) => sessionCookie(app.sessions, await userId(username));
const url = (path: string) => `http://127.0.0.1:${app.port}${path}`;
const post = (path: string, cookie: string, body: unknown) =>
  new Request(url(path), { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const get = (path: string, cookie: string) => new Request(url(path), { headers: { cookie } });

async function siteRow(code: string) {
  return (await db.pool.query('SELECT district, kind, name_zh, ST_AsText(area) AS area, updated_at FROM sites WHERE code = $1', [code])).rows[0];
}
async function routeRow(code: string) {
  return (
    await db.pool.query('SELECT from_site, to_site, corridor_m, name_zh, ST_AsText(path) AS path, ST_AsText(corridor) AS corridor, updated_at FROM routes WHERE code = $1', [code])
  ).rows[0];
}
const square = (lon: number, lat: number, d = 0.01) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});

test("attack: an office supervisor re-saves another district's site with their own district → 403, row unchanged", async () => {
  const cookie = await cookieFor('ys-supervisor'); // Yangshan office 2248
  const beforeRow = await siteRow('3104-T01'); // a Ningbo office site
  assert.equal(beforeRow.district, '3104');
  const res = await sitesApi.POST(
    post('/api/sites', cookie, { code: '3104-T01', nameZh: '接管', nameEn: 'Taken', kind: 'port_terminal', district: '2248', area: square(122, 30.6) }),
  );
  assert.equal(res.status, 403, await res.clone().text());
  assert.match((await res.json()).error, /outside your jurisdiction/);
  assert.deepEqual(await siteRow('3104-T01'), beforeRow, 'the stored site is untouched');
  // The same supervisor may still edit a site of their own (the check is not a blanket refusal).
  const own = await sitesApi.POST(
    post('/api/sites', cookie, { code: '2248-B01', nameZh: '洋山保税', nameEn: 'Yangshan bonded', kind: 'bonded_zone', district: '2248', area: square(122.05, 30.62) }),
  );
  assert.equal(own.status, 200, await own.clone().text());
  assert.equal((await siteRow('2248-B01')).name_zh, '洋山保税');
  // And may not move their own site into a foreign district.
  const out = await sitesApi.POST(post('/api/sites', cookie, { code: '2248-B01', nameZh: 'x', nameEn: 'x', kind: 'bonded_zone', district: '3104', area: square(122.05, 30.62) }));
  assert.equal(out.status, 403);
});

test("attack: an office supervisor re-saves another district's route between their own sites → 403, row unchanged", async () => {
  const cookie = await cookieFor('ys-supervisor');
  const beforeRow = await routeRow('R23'); // Ningbo 3100-T01 → 3104-B01
  const res = await routesApi.POST(
    post('/api/routes', cookie, {
      code: 'R23',
      nameZh: '接管',
      nameEn: 'Taken',
      from: '2248-T01',
      to: '2248-B01',
      corridorM: 500,
      path: {
        type: 'LineString',
        coordinates: [
          [122.05, 30.62],
          [122.1, 30.65],
        ],
      },
    }),
  );
  assert.equal(res.status, 403, await res.clone().text());
  assert.deepEqual(await routeRow('R23'), beforeRow, 'the stored route is untouched');
  // A route of their own they may edit, and its corridor is buffered in PostGIS from the new path.
  const own = await routesApi.POST(
    post('/api/routes', cookie, {
      code: 'R01',
      nameZh: '洋山内部',
      nameEn: 'Yangshan inner',
      from: '2248-T01',
      to: '2248-B01',
      corridorM: 400,
      path: {
        type: 'LineString',
        coordinates: [
          [122.05, 30.62],
          [122.08, 30.63],
          [122.1, 30.65],
        ],
      },
    }),
  );
  assert.equal(own.status, 200, await own.clone().text());
  // Every point within 400 m of the path (by PostGIS' geodesic distance) lies in the corridor; none beyond 440 m (400 m + 5 % tolerance).
  const wrong = (
    await db.pool.query(
      `WITH r AS (SELECT path, corridor FROM routes WHERE code = 'R01'),
          p AS (SELECT ST_SetSRID(ST_MakePoint(122.04 + i * 0.0007, 30.61 + j * 0.0006), 4326) AS g FROM generate_series(0, 100) i, generate_series(0, 80) j)
     SELECT count(*) FILTER (WHERE ST_Distance(p.g::geography, r.path::geography) <= 400 AND NOT ST_Covers(r.corridor, p.g))::int AS missing,
            count(*) FILTER (WHERE ST_Distance(p.g::geography, r.path::geography) > 440 AND ST_Covers(r.corridor, p.g))::int AS extra,
            count(*) FILTER (WHERE ST_Distance(p.g::geography, r.path::geography) <= 400)::int AS near
     FROM p, r`,
    )
  ).rows[0];
  assert.ok(wrong.near > 100);
  assert.deepEqual({ missing: wrong.missing, extra: wrong.extra }, { missing: 0, extra: 0 }, 'the corridor holds the half-width and not much more');
});

test('attack: /api/world gives an office user no route that does not touch its area (same set as /api/routes)', async () => {
  // A Ningbo-owned truck on R29 (2327-B01 → 2248-T01) makes 2327-B01 a site Yangshan sees; before
  // the fix every route from that site (R15, R16: not Yangshan's) came along on the map.
  const asset = (await db.pool.query(`INSERT INTO assets (key, kind, label, district) VALUES ('tel:013900002901', 'vehicle', '浙B·W0001', '3100') RETURNING id`)).rows[0].id;
  await db.pool.query(
    `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, status, districts)
     SELECT 'ATTACK-WORLD-1', $1, r.from_site, r.to_site, r.id, now() - interval '1 hour', now() + interval '1 day', 'in_transit', touched_districts(r.from_site, r.to_site, r.id)
     FROM routes r WHERE r.code = 'R29'`,
    [asset],
  );
  const cookie = await cookieFor('ys-viewer');
  const world = await (await worldApi.GET(get('/api/world', cookie))).json();
  const routes = await (await routesApi.GET(get('/api/routes', cookie))).json();
  // Expected, in straight SQL: routes with an end in 2248 (the office has no offices below it), or run by a movement touching 2248.
  const expected = (
    await db.pool.query(
      `SELECT r.code, r.id FROM routes r JOIN sites f ON f.id = r.from_site JOIN sites t ON t.id = r.to_site
     WHERE f.district = '2248' OR t.district = '2248' OR r.id IN (SELECT route_id FROM consignments WHERE '2248' = ANY (districts))
     ORDER BY r.code`,
    )
  ).rows;
  const codes = expected.map((r) => r.code);
  assert.ok(codes.includes('R29') && !codes.includes('R15') && !codes.includes('R16'));
  const byCode = (fc: { features: { properties: { code: string } }[] }) => fc.features.map((f) => f.properties.code).sort();
  assert.deepEqual(byCode(world.routes), codes, 'world routes');
  assert.deepEqual(byCode(world.corridors), codes, 'world corridors');
  assert.deepEqual(byCode(routes), codes, '/api/routes');
  // HQ still sees every route.
  const all = (await db.pool.query('SELECT count(*)::int AS n FROM routes')).rows[0].n;
  assert.equal((await (await worldApi.GET(get('/api/world', await cookieFor('hq-viewer')))).json()).routes.features.length, all);
});

// A Yangshan truck moving, so that every tick has a delta for Yangshan's room.
function keepFeeding(): () => void {
  const timer = setInterval(() => {
    app.pipeline.ingest({ assetKey: 'tel:013900002248', kind: 'vehicle', source: 'sim', time: Date.now(), lon: 122.05 + Math.random() * 0.01, lat: 30.62, speed: 30 });
  }, 50);
  return () => clearInterval(timer);
}

interface Listener {
  socket: Socket;
  deltas: number;
  deltasAfterDisconnect: number;
  disconnected: Promise<string>;
  firstDelta: Promise<void>;
}

function listen(cookie: string): Listener {
  const socket = connect(url(''), { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  let gone = false;
  const l: Listener = {
    socket,
    deltas: 0,
    deltasAfterDisconnect: 0,
    disconnected: new Promise((resolve) =>
      socket.on('disconnect', (reason) => {
        gone = true;
        resolve(reason);
      }),
    ),
    firstDelta: new Promise((resolve) => socket.once('delta', () => resolve())),
  };
  socket.on('delta', () => {
    l.deltas++;
    if (gone) l.deltasAfterDisconnect++;
  });
  return l;
}

/** Resolves with the reason, or 'still connected' after `ms` (a generous bound; the old recheck took up to a minute). */
const within = (p: Promise<string>, ms: number) => Promise.race([p, new Promise<string>((r) => setTimeout(() => r('still connected'), ms).unref())]);
const attempt = (cookie: string) =>
  new Promise<string>((resolve) => {
    const s = connect(url(''), { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
    s.on('connect', () => {
      s.close();
      resolve('connected');
    });
    s.on('connect_error', (e) => {
      s.close();
      resolve(e.message);
    });
  });

test('attack: a socket stops receiving at once after its user signs out', async () => {
  const stop = keepFeeding();
  try {
    const cookie = await cookieFor('ys-viewer');
    const l = listen(cookie);
    await l.firstDelta;
    const res = await logoutApi.POST(post('/api/auth/logout', cookie, {}));
    assert.equal(res.status, 200);
    const deltasAtLogout = l.deltas;
    assert.equal(await within(l.disconnected, 5_000), 'io server disconnect');
    // Frames already on the wire when the session ended may land; no tick after it does.
    assert.ok(l.deltas - deltasAtLogout <= 1, `${l.deltas - deltasAtLogout} frames after sign-out`);
    await new Promise((r) => setTimeout(r, 500)); // five more ticks of the feed
    assert.equal(l.deltasAfterDisconnect, 0);
    assert.equal(await attempt(cookie), 'sign in first', 'the cookie cannot reconnect');
  } finally {
    stop();
  }
});

test("attack: a kiosk wall's socket stops at once when its token is revoked", async () => {
  const stop = keepFeeding();
  try {
    await createTestUser(db.pool, { username: 'ys-wall', role: 'viewer', district: '2248' });
    const issued = await issueKioskToken(db.pool, { username: 'ys-wall' });
    const wall = await new KioskSignIn(db.pool, app.sessions).exchange(issued.token, '127.0.0.1', 'wall');
    assert.ok(wall);
    const wallCookie = `${SESSION_COOKIE}=${wall.token}`;
    const l = listen(wallCookie);
    await l.firstDelta;
    const supervisor = await cookieFor('ys-supervisor');
    const res = await kioskTokenApi.DELETE(new Request(url(`/api/kiosk-tokens/${issued.id}`), { method: 'DELETE', headers: { cookie: supervisor } }), {
      params: Promise.resolve({ id: issued.id }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(await within(l.disconnected, 5_000), 'io server disconnect');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(l.deltasAfterDisconnect, 0);
    assert.equal(await attempt(wallCookie), 'sign in first');
  } finally {
    stop();
  }
});

test("attack: a change of a user's rights disconnects their sockets at once; they come back with the new rights", async () => {
  const stop = keepFeeding();
  try {
    const cookie = await cookieFor('sh-viewer');
    const id = await userId('sh-viewer');
    const l = listen(cookie);
    await l.firstDelta;
    await db.pool.query(`UPDATE users SET district = '3100' WHERE id = $1`, [id]); // moved to Ningbo
    app.sessions.userChanged(id);
    assert.equal(await within(l.disconnected, 5_000), 'io server disconnect');
    assert.equal((await app.sessions.resolve(cookie.split('=')[1]))?.user.district, '3100', 'the session is re-read, not served from the cache');
    assert.equal(await attempt(cookie), 'connected');
  } finally {
    stop();
  }
});

test("attack: a track of an asset seen only through a movement holds only that movement's window", async () => {
  // A Ningbo truck (home 3100) that made one trip on R29 into Yangshan, and fixes before and after it.
  const asset = (await db.pool.query(`INSERT INTO assets (key, kind, label, district) VALUES ('tel:013900003100', 'vehicle', '浙B·T0002', '3100') RETURNING id`)).rows[0]
    .id as number;
  const t0 = Date.now() - 6 * 3_600_000;
  const dep = t0 + 2 * 3_600_000,
    arr = t0 + 4 * 3_600_000;
  await db.pool.query(
    `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, status, arrived_at, districts)
     SELECT 'ATTACK-TRACK-1', $1, r.from_site, r.to_site, r.id, to_timestamp($2 / 1000.0), to_timestamp($3 / 1000.0) + interval '1 day', 'arrived', to_timestamp($3 / 1000.0),
            touched_districts(r.from_site, r.to_site, r.id)
     FROM routes r WHERE r.code = 'R29'`,
    [asset, dep, arr],
  );
  const writer = new PositionWriter(db.pool, { batchRows: 5000, flushMs: 60_000 });
  for (let i = 0; i < 360; i++) writer.add({ assetId: asset, time: t0 + i * 60_000, lon: 121.9 + i * 0.0005, lat: 30.6, speed: 40, source: 'sim' });
  await writer.flush();
  const fixTimes = async (where: string) =>
    (await db.pool.query(`SELECT (extract(epoch FROM time) * 1000)::float8 AS t FROM positions WHERE asset_id = $1 AND ${where} ORDER BY time`, [asset, dep, arr])).rows.map((r) =>
      Number(r.t),
    );
  const inWindow = await fixTimes('time >= to_timestamp($2 / 1000.0) AND time <= to_timestamp($3 / 1000.0)');
  const all = await fixTimes('$2::float8 IS NOT NULL AND $3::float8 IS NOT NULL');
  assert.ok(inWindow.length > 100 && inWindow.length < all.length - 100);

  const track = async (username: string) => {
    const res = await trackApi.GET(get(`/api/assets/${asset}/track?from=${t0}&to=${t0 + 7 * 3_600_000}`, await cookieFor(username)), {
      params: Promise.resolve({ id: String(asset) }),
    });
    return { status: res.status, times: res.status === 200 ? ((await res.json()).properties.times as number[]) : [] };
  };
  const ys = await track('ys-viewer');
  assert.equal(ys.status, 200);
  assert.deepEqual(ys.times, inWindow, 'Yangshan gets the trip into its area, nothing before or after');
  assert.deepEqual((await track('nb-officer')).times, all, 'the home district gets all of it');
  assert.equal((await track('hz-officer')).status, 404, 'a district the trip did not touch gets nothing');
});

test("attack: a cancelled movement's window ends at its cancellation: the office does not follow the truck afterwards", async () => {
  const asset = (await db.pool.query(`INSERT INTO assets (key, kind, label, district) VALUES ('tel:013900003101', 'vehicle', '浙B·T0003', '3100') RETURNING id`)).rows[0]
    .id as number;
  const t0 = Date.now() - 6 * 3_600_000;
  const dep = t0 + 2 * 3_600_000,
    cancelledAt = t0 + 3 * 3_600_000;
  await db.pool.query(
    `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, status, updated_at, districts)
     SELECT 'ATTACK-TRACK-2', $1, r.from_site, r.to_site, r.id, to_timestamp($2 / 1000.0), to_timestamp($2 / 1000.0) + interval '1 day', 'cancelled', to_timestamp($3 / 1000.0),
            touched_districts(r.from_site, r.to_site, r.id)
     FROM routes r WHERE r.code = 'R29'`,
    [asset, dep, cancelledAt],
  );
  const writer = new PositionWriter(db.pool, { batchRows: 5000, flushMs: 60_000 });
  for (let i = 0; i < 300; i++) writer.add({ assetId: asset, time: t0 + i * 60_000, lon: 121.9 + i * 0.0005, lat: 30.6, speed: 40, source: 'sim' });
  await writer.flush();
  const inWindow = Array.from({ length: 300 }, (_, i) => t0 + i * 60_000).filter((t) => t >= dep && t <= cancelledAt);
  assert.equal(inWindow.length, 61);
  const res = await trackApi.GET(get(`/api/assets/${asset}/track?from=${t0}&to=${t0 + 6 * 3_600_000}`, await cookieFor('ys-viewer')), {
    params: Promise.resolve({ id: String(asset) }),
  });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).properties.times, inWindow, "from departure to cancellation, not the truck's next trips");
});

test('attack: a 20,000-vertex route with a 20 km corridor → 400 with the reason; the server keeps answering', async (t) => {
  const cookie = await cookieFor('ys-supervisor');
  const coordinates = Array.from({ length: 20_000 }, (_, i) => [122.0 + (i % 200) * 0.001, 30.6 + Math.floor(i / 200) * 0.001 * (i % 2 ? 1 : -1)]);
  const started = performance.now();
  const health = fetch(url('/healthz')).then((r) => ({ status: r.status, ms: performance.now() - started }));
  const res = await routesApi.POST(
    post('/api/routes', cookie, { code: 'R-HEAVY', nameZh: '重', nameEn: 'Heavy', from: '2248-T01', to: '2248-B01', corridorM: 20_000, path: { type: 'LineString', coordinates } }),
  );
  const ms = performance.now() - started;
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, new RegExp(`at most ${MAX_ROUTE_VERTICES} positions`));
  assert.equal((await health).status, 200);
  t.diagnostic(`refused in ${ms.toFixed(0)} ms; /healthz answered after ${(await health).ms.toFixed(0)} ms`);
  assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM routes WHERE code = 'R-HEAVY'`)).rows[0].n, 0);

  // Under the vertex limit but folded over itself inside a wide corridor: refused too, with the reason.
  const folded = Array.from({ length: 4_000 }, (_, i) => [122.0 + i * 0.00002, 30.6 + (i % 2) * 0.02]);
  const f = await routesApi.POST(
    post('/api/routes', cookie, {
      code: 'R-FOLD',
      nameZh: '折',
      nameEn: 'Folded',
      from: '2248-T01',
      to: '2248-B01',
      corridorM: 2_000,
      path: { type: 'LineString', coordinates: folded },
    }),
  );
  assert.equal(f.status, 400);
  assert.match((await f.json()).error, /folds over itself/);
});
