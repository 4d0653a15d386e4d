// Several nodes of one deployment in one test, over real Redis and PostgreSQL: a rules node (with
// ingest) and a web node. A browser-like Socket.IO client on the web node gets its snapshot from the
// rules node and sees a fix ingested there; a fix given to the web node travels the fix stream to the
// rules node, which stores it once; a second rules node waits as a standby while the lease is held,
// and takes over when the first one stops. Needs Redis (REDIS_TEST_URL, default redis://127.0.0.1:6379).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { decodeFrame, frameAsset } from '../../lib/wire';
import { startApp, type App } from '../app';
import { clusterPrefix, dropClusterNames } from './redis';
import { loadConfig } from '../config';
import { createTestUser, sessionCookie } from '../auth/testing';
import { seedWorld } from '../sim/seed';

const REDIS = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
const embedded = process.env.TW_TEST_EMBEDDED === '1';
let db: TestDatabase;
const nodes: App[] = [];

const node = (roles: string, id: string) =>
  loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL: REDIS,
    TW_ROLES: roles,
    TW_NODE_ID: id,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    LIVE_TICK_MS: '200',
    STORE_FLUSH_MS: '50',
    DATABASE_POOL_MAX: String(testPoolMax()),
    WEBHOOKS: '0',
  });

async function start(roles: string, id: string, seed = false): Promise<App> {
  const app = await startApp(node(roles, id), {
    say: () => {},
    ...(seed && {
      seed: async (pool) => {
        await seedWorld(pool);
        await createTestUser(pool, { username: 'hq', role: 'viewer', district: '0000' });
        await createTestUser(pool, { username: 'hq-sup', role: 'supervisor', district: '0000' });
        await createTestUser(pool, { username: 'ys', role: 'viewer', district: '2248' });
      },
    }),
  });
  nodes.push(app);
  return app;
}

before(async () => {
  if (embedded) return;
  db = await freshDatabase();
});
after(async () => {
  for (const n of nodes.reverse()) await n.close().catch(() => undefined);
  if (db) await dropClusterNames(REDIS, clusterPrefix(db.url));
  await db?.drop();
});

interface Seen {
  socket: Socket;
  snapshot: Map<number, number>;
  deltas: Map<number, number>;
}

async function listen(app: App, username = 'hq'): Promise<Seen> {
  const { rows } = await db.pool.query(`SELECT id FROM users WHERE username = $1`, [username]);
  const cookie = await sessionCookie(app.sessions, rows[0].id);
  const socket = connect(`http://127.0.0.1:${app.port}`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  const seen: Seen = { socket, snapshot: new Map(), deltas: new Map() };
  socket.on('delta', (buf: Buffer) => {
    const f = decodeFrame(buf);
    for (let i = 0; i < f.count; i++) seen.deltas.set(f.id[i]!, frameAsset(f, i).lon);
  });
  await new Promise<void>((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('snapshot', (msg: { frame: Buffer }) => {
      const f = decodeFrame(msg.frame);
      for (let i = 0; i < f.count; i++) seen.snapshot.set(f.id[i]!, frameAsset(f, i).lon);
      resolve();
    });
  });
  return seen;
}

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const fix = (key: string, lon: number) => ({ assetKey: key, kind: 'vehicle', time: Date.now(), lon, lat: 30.9, speed: 40, course: 90, source: 'http', label: key.slice(-5) });
const stored = async (key: string) => Number((await db.pool.query(`SELECT count(*) AS n FROM positions p JOIN assets a ON a.id = p.asset_id WHERE a.key = $1`, [key])).rows[0].n);

test('a rules node and a web node: snapshot, live frames and the fix stream cross nodes; one rules node at a time', async (t) => {
  if (embedded) return t.skip('a cluster shares a PostgreSQL server (the embedded database serves one process)');
  const rulesNode = await start('ingest,rules', 'rules-a', true);
  const webNode = await start('web', 'web-a');

  // A fix taken on the rules node is on the web node's client at its snapshot…
  assert.deepEqual(rulesNode.pipeline.ingest(fix('tel:013900000901', 121.1)), { ok: true });
  await until('the first fix is on the map of the rules node', () => rulesNode.latest.assets.size > 0);
  const client = await listen(webNode);
  const first = rulesNode.registry.get('tel:013900000901')!.id;
  assert.equal(client.snapshot.get(first), 121.1);

  // …and a newer one arrives as a delta, emitted by the rules node, delivered by the web node.
  rulesNode.pipeline.ingest(fix('tel:013900000901', 121.2));
  await until('the delta crosses nodes', () => client.deltas.get(first) === 121.2);

  // A fix given to the web node (HTTP ingest there) goes through the stream to the rules node: shown and stored once.
  assert.deepEqual(webNode.pipeline.ingest(fix('tel:013900000902', 121.3)), { ok: true });
  await until('the forwarded fix reaches the rules node', () => rulesNode.registry.get('tel:013900000902') !== undefined);
  const second = rulesNode.registry.get('tel:013900000902')!.id;
  await until('and the web node’s client', () => client.deltas.get(second) === 121.3);
  await until('it is stored', async () => (await stored('tel:013900000902')) === 1);
  assert.equal(webNode.latest.assets.size, 0, 'the web node keeps no movement picture of its own');

  // A node without the web role serves no client.
  await assert.rejects(listen(rulesNode));

  // A movement registered on the web node (REST runs there) is watched on the rules node, and its
  // carrier reaches the Yangshan office's client on the web node, which could not see it before.
  const office = await listen(webNode, 'ys');
  assert.equal(office.snapshot.has(second), false);
  const hqSup = (await db.pool.query(`SELECT id FROM users WHERE username = 'hq-sup'`)).rows[0].id;
  const user = { id: hqSup, username: 'hq-sup', displayName: null, role: 'supervisor', district: '0000', districtName: 'HQ', level: 'hq' } as const;
  const now = Date.now();
  const m = await webNode.movements.create(
    user,
    { reference: 'CLUSTER-0001', asset: 'tel:013900000902', route: 'R01', departure: new Date(now - 60_000).toISOString(), deadline: new Date(now + 3_600_000).toISOString() },
    '127.0.0.1',
  );
  await until('the rules node knows the movement', () => rulesNode.movements.get(m.id)?.reference === 'CLUSTER-0001');
  rulesNode.pipeline.ingest(fix('tel:013900000902', 121.35));
  await until('the office sees the carrier', () => office.deltas.get(second) === 121.35);
  office.socket.close();

  // A second rules node waits as a standby while the first holds the lease…
  let standbyReady = false;
  const standby = start('rules', 'rules-b').then((app) => ((standbyReady = true), app));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(standbyReady, false, 'the standby waits');
  // …and takes over when it stops; fixes sent meanwhile through the web node wait in the stream.
  client.socket.close();
  nodes.splice(nodes.indexOf(rulesNode), 1);
  webNode.pipeline.ingest(fix('tel:013900000903', 121.4));
  const before = await stored('tel:013900000902');
  await rulesNode.close();
  const successor = await standby;
  await until('the successor stores what waited', async () => (await stored('tel:013900000903')) === 1);
  assert.equal(await stored('tel:013900000902'), before, 'nothing stored twice');
  assert.ok(successor.registry.get('tel:013900000903'));
});
