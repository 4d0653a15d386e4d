// Jurisdiction in SQL and on the live hub, with real PostGIS and real Socket.IO clients over a
// minute of a busy feed: a socket never receives an asset its user may not see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { decodeFrame, type AssetMeta } from '../../lib/wire';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { startDemoFeed, type DemoFeed } from '../sim/demoFeed';
import { seedWorld } from '../sim/seed';
import { seedUsers } from './seedUsers';
import { SESSION_COOKIE } from './cookies';
import { sessionCookie } from './testing';

let db: TestDatabase;
let app: App;
let feed: DemoFeed;

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LIVE_TICK_MS: '250',
    SIM_TRUCKS: '320',
    SIM_VESSELS: '160',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
  });
  app = await startApp(config, {
    say: () => {},
    seed: async (pool) => {
      await seedWorld(pool);
      await seedUsers(pool, { demo: true, demoPassword: 'test-password' }, () => {});
    },
  });
  feed = await startDemoFeed(app, () => {});
  await feed.ready;
});
after(async () => {
  await feed.stop();
  await app.close();
  await db.drop();
});

async function cookieFor(username: string): Promise<string> {
  const { rows } = await db.pool.query('SELECT id FROM users WHERE username = $1', [username]);
  return sessionCookie(app.sessions, rows[0].id);
}

const visibleAssets = async (district: string) => new Set((await db.pool.query('SELECT id FROM visible_assets($1)', [district])).rows.map((r) => Number(r.id)));
const visibleConsignments = async (district: string) => (await db.pool.query('SELECT id, districts FROM visible_consignments($1)', [district])).rows;

test("SQL: HQ sees every movement; a direct customs its own and its offices'; an office only what touches it", async () => {
  const all = (await db.pool.query('SELECT count(*)::int AS n FROM consignments')).rows[0].n;
  assert.ok(all >= 300);
  assert.equal((await visibleConsignments('0000')).length, all);
  const sh = await visibleConsignments('2200');
  const ys = await visibleConsignments('2248');
  const nb = await visibleConsignments('3100');
  assert.ok(ys.length > 0 && ys.length < sh.length && sh.length < all);
  for (const c of ys) assert.ok(c.districts.includes('2248'), 'every movement an office sees touches the office');
  for (const c of sh) assert.ok(c.districts.some((d: string) => ['2200', '2248', '2218'].includes(d)));
  assert.ok(!nb.some((c) => c.districts.includes('2248') && !c.districts.includes('3100')), 'Ningbo sees no Yangshan-only movement');
});

test('SQL: a movement crossing districts is visible to each district it touches, not to others', async () => {
  const { rows } = await db.pool.query(`SELECT c.id FROM consignments c JOIN routes r ON r.id = c.route_id WHERE r.code = 'R04' LIMIT 1`);
  assert.ok(rows[0], 'a Yangshan → Jiaxing movement exists');
  const id = rows[0].id;
  const sees = async (d: string) => (await db.pool.query('SELECT 1 FROM visible_consignments($1) WHERE id = $2', [d, id])).rowCount === 1;
  assert.equal(await sees('2248'), true, 'Yangshan office (origin)');
  assert.equal(await sees('2900'), true, 'Hangzhou customs (destination)');
  assert.equal(await sees('2200'), true, 'Shanghai customs (parent of Yangshan)');
  assert.equal(await sees('0000'), true, 'HQ');
  assert.equal(await sees('3100'), false, 'Ningbo: not touched');
  assert.equal(await sees('5300'), false, 'Shenzhen: not touched');
});

interface Received {
  ids: Set<number>;
  frames: number;
}

function listen(cookie: string): { socket: Socket; got: Received; ready: Promise<void> } {
  const socket = connect(`http://127.0.0.1:${app.port}`, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
  const got: Received = { ids: new Set(), frames: 0 };
  const ready = new Promise<void>((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('snapshot', (msg: { frame: Buffer; meta: AssetMeta[] }) => {
      const f = decodeFrame(msg.frame);
      for (let i = 0; i < f.count; i++) got.ids.add(f.id[i]!);
      for (const m of msg.meta) got.ids.add(m.id);
      resolve();
    });
  });
  socket.on('delta', (buf: Buffer) => {
    const f = decodeFrame(buf);
    got.frames++;
    for (let i = 0; i < f.count; i++) got.ids.add(f.id[i]!);
  });
  socket.on('assets', (meta: AssetMeta[]) => {
    for (const m of meta) got.ids.add(m.id);
  });
  return { socket, got, ready };
}

test('live hub: over a minute of a busy feed, no socket receives a foreign asset', { timeout: 120_000 }, async () => {
  const users = { '2248': 'ys-viewer', '2200': 'sh-viewer', '3100': 'nb-officer', '0000': 'hq-viewer' } as const;
  const before = Object.fromEntries(await Promise.all(Object.keys(users).map(async (d) => [d, await visibleAssets(d)] as const)));
  const clients = await Promise.all(Object.entries(users).map(async ([d, u]) => ({ district: d, ...listen(await cookieFor(u)) })));
  await Promise.all(clients.map((c) => c.ready));

  // A busy feed: the simulator plus bursts of fixes for every asset there is, foreign ones included.
  const keys = [...app.registry.all()].map((a) => ({ key: a.key, kind: a.kind }));
  const burst = setInterval(() => {
    const now = Date.now();
    for (const { key, kind } of keys) app.pipeline.ingest({ assetKey: key, kind, source: 'sim', time: now, lon: 121 + Math.random(), lat: 30 + Math.random(), speed: 50 });
  }, 500);
  await new Promise((r) => setTimeout(r, 60_000));
  clearInterval(burst);

  const afterSets = Object.fromEntries(await Promise.all(Object.keys(users).map(async (d) => [d, await visibleAssets(d)] as const)));
  for (const c of clients) {
    c.socket.close();
    assert.ok(c.got.frames > 100, `${c.district}: frames kept coming (${c.got.frames})`);
    // An asset may legitimately enter or leave a jurisdiction during the minute (new movement).
    const foreign = [...c.got.ids].filter((id) => !before[c.district]!.has(id) && !afterSets[c.district]!.has(id));
    assert.deepEqual(foreign, [], `${c.district}: no foreign asset`);
  }
  const hq = clients.find((c) => c.district === '0000')!;
  const ys = clients.find((c) => c.district === '2248')!;
  assert.equal(hq.got.ids.size, keys.length, 'HQ sees every asset');
  assert.ok(ys.got.ids.size > 0 && ys.got.ids.size < keys.length / 2, `the office sees its own few (${ys.got.ids.size} of ${keys.length})`);
});

test('live hub: asking to join a foreign room is refused and changes nothing', async () => {
  const c = listen(await cookieFor('ys-viewer'));
  await c.ready;
  const answer = await new Promise<{ error?: string }>((resolve) => c.socket.emit('join', 'd:0000', resolve));
  assert.match(answer.error ?? '', /assigned by the server/);
  const yours = await visibleAssets('2248');
  const now = Date.now();
  const foreign = [...app.registry.all()].filter((a) => !yours.has(a.id)).slice(0, 50);
  for (const a of foreign) app.pipeline.ingest({ assetKey: a.key, kind: a.kind, source: 'sim', time: now, lon: 121.5, lat: 31, speed: 10 });
  await new Promise((r) => setTimeout(r, 1000));
  c.socket.close();
  assert.deepEqual(
    foreign.filter((a) => c.got.ids.has(a.id)).map((a) => a.id),
    [],
  );
});

test('live hub: a forged, missing or expired session cookie cannot connect', async () => {
  const attempt = (cookie?: string) =>
    new Promise<string>((resolve) => {
      const s = connect(`http://127.0.0.1:${app.port}`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: cookie ? { cookie } : {} });
      s.on('connect', () => {
        s.close();
        resolve('connected');
      });
      s.on('connect_error', (e) => {
        s.close();
        resolve(e.message);
      });
    });
  assert.equal(await attempt(), 'sign in first');
  assert.equal(await attempt(`${SESSION_COOKIE}=forged-token-forged-token-forged-token`), 'sign in first');
  // An expired session: the row exists, its absolute expiry has passed.
  const token = 'expired-session-token-0123456789abcdef';
  await db.pool.query(
    `INSERT INTO sessions (id, user_id, csrf, expires_at) SELECT encode(sha256($1::bytea), 'hex'), id, 'x', now() - interval '1 minute' FROM users WHERE username = 'hq-viewer'`,
    [token],
  );
  assert.equal(await attempt(`${SESSION_COOKIE}=${token}`), 'sign in first');
});
