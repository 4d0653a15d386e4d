// A real socket.io-client against the real server: snapshot first, then deltas that decode
// to the positions that went in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { decodeFrame, decodeTrails, frameAsset, FRAME_DELTA, FRAME_SNAPSHOT, type AssetMeta } from '../../lib/wire';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { createTestUser, sessionCookie } from '../auth/testing';

let db: TestDatabase;
let app: App;
before(async () => {
  db = await freshDatabase();
  const config = loadConfig({ ...process.env, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', SIM: '0', LIVE_TICK_MS: '200', DATABASE_POOL_MAX: String(testPoolMax()) });
  app = await startApp(config, { say: () => {}, seed: (pool) => createTestUser(pool, { username: 'hq' }).then(() => {}) });
});
after(async () => {
  await app.close();
  await db.drop();
});

function once<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within 5 s`)), 5000);
    socket.once(event, (msg: T) => {
      clearTimeout(t);
      resolve(msg);
    });
  });
}

test('a client gets a snapshot on connect, then deltas with the positions that went in', async () => {
  const now = Date.now();
  app.pipeline.ingest({ assetKey: 'tel:013900000100', kind: 'vehicle', source: 'sim', lon: 121.5, lat: 31.2, time: now - 5000, speed: 50, course: 90, label: '沪D·10000' });
  await new Promise((r) => setTimeout(r, 400)); // asset registered, one tick passed

  const userId = (await db.pool.query(`SELECT id FROM users WHERE username = 'hq'`)).rows[0].id;
  const cookie = await sessionCookie(app.sessions, userId);
  const socket = connect(`http://127.0.0.1:${app.port}`, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
  try {
    const snap = await once<{ frame: Buffer; trails: Buffer; meta: AssetMeta[]; tickMs: number }>(socket, 'snapshot');
    const sf = decodeFrame(snap.frame);
    assert.equal(sf.kind, FRAME_SNAPSHOT);
    assert.equal(sf.count, 1);
    assert.deepEqual({ ...frameAsset(sf, 0), id: 0 }, { id: 0, kind: 'vehicle', lon: 121.5, lat: 31.2, time: now - 5000, speed: 50, course: 90, status: 'normal' });
    assert.equal(snap.meta[0]!.label, '沪D·10000');
    assert.equal(decodeTrails(snap.trails)[0]!.points.length, 3);
    assert.equal(snap.tickMs, 200);

    const metaP = once<AssetMeta[]>(socket, 'assets');
    const deltas: ReturnType<typeof frameAsset>[] = [];
    const got = new Promise<void>((resolve) => {
      socket.on('delta', (buf: Buffer) => {
        const f = decodeFrame(buf);
        assert.equal(f.kind, FRAME_DELTA);
        for (let i = 0; i < f.count; i++) deltas.push(frameAsset(f, i));
        if (deltas.some((d) => d.kind === 'vessel') && deltas.some((d) => d.lon === 121.52)) resolve();
      });
    });
    app.pipeline.ingest({ assetKey: 'tel:013900000100', kind: 'vehicle', source: 'sim', lon: 121.51, lat: 31.21, time: now - 4000, speed: 2, course: 91 });
    app.pipeline.ingest({ assetKey: 'mmsi:413000100', kind: 'vessel', source: 'ais', lon: 122.2, lat: 30.6, time: now - 3000, speed: 22.2, label: 'ZHONG GU 88' });
    app.pipeline.ingest({ assetKey: 'tel:013900000100', kind: 'vehicle', source: 'sim', lon: 121.52, lat: 31.22, time: now - 1000, speed: 40, course: 92 });
    const meta = await metaP;
    assert.deepEqual(
      meta.map((m) => [m.kind, m.label]),
      [['vessel', 'ZHONG GU 88']],
      'a new asset is announced before its first delta',
    );
    await Promise.race([got, new Promise((_, rej) => setTimeout(() => rej(new Error('deltas missing')), 3000))]);
    const truck = deltas.filter((d) => d.kind === 'vehicle');
    assert.equal(truck.length, 1, 'two fixes of one asset in one tick coalesce into one entry');
    assert.equal(truck[0]!.lon, 121.52);
    assert.equal(truck[0]!.status, 'normal');
    const vessel = deltas.find((d) => d.kind === 'vessel')!;
    assert.equal(vessel.lat, 30.6);
    assert.ok(Math.abs(vessel.speed - 22.2) < 1e-5);
  } finally {
    socket.close();
  }
});
