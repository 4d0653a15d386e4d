// The movement lifecycle beyond create and end, through the REST route handlers against the real
// server (real PostGIS, real Socket.IO clients, the real rules): edit, extend the deadline (the rules
// take the new one: an OVERDUE episode ends), hand over to another vehicle (the live scopes, the
// rules and the track follow the new vehicle); each audited, each refusal with its status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { decodeFrame, frameAsset, type AssetMeta } from '../../lib/wire';
import { startApp, type App } from '../app';
import { loadConfig } from '../config';
import { createTestUser, sessionCookie } from '../auth/testing';
import { verifyLedger } from '../ledger/verify';
import { seedWorld } from '../sim/seed';
import { JourneyQuery, loadJourney } from '../queries/journey';
import { POST as createMovement } from '../../app/api/consignments/route';
import { PATCH as editMovement } from '../../app/api/consignments/[id]/route';
import { POST as closeMovement } from '../../app/api/consignments/[id]/close/route';
import { POST as extendMovement } from '../../app/api/consignments/[id]/extend/route';
import { POST as handOverMovement } from '../../app/api/consignments/[id]/handover/route';

let db: TestDatabase;
let app: App;
const at: Record<string, { lon: number; lat: number }> = {};

// Vehicles and their home districts: 2218 (Waigaoqiao, a sibling office of Yangshan 2248 under
// Shanghai 2200), 3100 (Ningbo). R01 runs from 2248-T01 to 2248-B01, both in Yangshan.
const ASSETS = [
  ['tel:013900000401', '2218'],
  ['tel:013900000402', '2218'],
  ['tel:013900000403', '2218'],
  ['tel:013900000404', '2218'],
  ['tel:013900000405', '3100'],
  ['tel:013900000406', '2248'],
  ['tel:013900000407', '2218'],
] as const;
const assetId = (key: string) => app.registry.get(key)!.id;

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({ ...process.env, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', SIM: '0', LIVE_TICK_MS: '200', DATABASE_POOL_MAX: String(testPoolMax()) });
  app = await startApp(config, {
    say: () => {},
    seed: async (pool) => {
      await seedWorld(pool);
      await createTestUser(pool, { username: 'sh-sup', role: 'supervisor', district: '2200' });
      await createTestUser(pool, { username: 'ys-sup', role: 'supervisor', district: '2248' });
      await createTestUser(pool, { username: 'ys-view', role: 'viewer', district: '2248' });
      await createTestUser(pool, { username: 'nb-sup', role: 'supervisor', district: '3100' });
      for (const [key, home] of ASSETS) {
        await pool.query(`INSERT INTO assets (key, kind, label, plate, terminal, district) VALUES ($1, 'vehicle', $2, $2, $3, $4)`, [
          key,
          `沪T·${key.slice(-5)}`,
          key.slice(4),
          home,
        ]);
      }
    },
  });
  const { rows } = await db.pool.query(`SELECT code, ST_X(ST_PointOnSurface(area)) AS lon, ST_Y(ST_PointOnSurface(area)) AS lat FROM sites WHERE code IN ('2248-T01', '2248-B01')`);
  for (const r of rows) at[r.code] = { lon: r.lon, lat: r.lat };
});
after(async () => {
  await app.close();
  await db.drop();
});

async function cookieFor(username: string): Promise<string> {
  const { rows } = await db.pool.query('SELECT id FROM users WHERE username = $1', [username]);
  return sessionCookie(app.sessions, rows[0].id);
}

type Handler = (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;
async function call(fn: Handler, method: string, cookie: string, body: unknown, id: number | string = '0') {
  const res = await fn(
    new Request(`http://x/api/consignments/${id}`, {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: String(id) }) },
  );
  return { status: res.status, body: await res.json() };
}
const iso = (ms: number) => new Date(ms).toISOString();
const register = async (key: string, reference: string, departure = Date.now() - 60_000, deadline = departure + 4 * 3_600_000) => {
  const r = await call((req) => createMovement(req), 'POST', await cookieFor('sh-sup'), {
    reference,
    asset: key,
    route: 'R01',
    departure: iso(departure),
    deadline: iso(deadline),
    goods: '电子元件',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as number;
};
const edit = async (user: string, id: number | string, body: unknown) => call(editMovement, 'PATCH', await cookieFor(user), body, id);
const extend = async (user: string, id: number | string, body: unknown) => call(extendMovement, 'POST', await cookieFor(user), body, id);
const handOver = async (user: string, id: number | string, body: unknown) => call(handOverMovement, 'POST', await cookieFor(user), body, id);
const audits = async (id: number, action: string) =>
  (await db.pool.query(`SELECT username, before, after FROM audit_log WHERE entity = 'consignment' AND entity_id = $1 AND action = $2 ORDER BY id`, [String(id), action])).rows;

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function fix(key: string, p: { lon: number; lat: number }, time: number, speed = 30) {
  assert.deepEqual(app.pipeline.ingest({ assetKey: key, kind: 'vehicle', source: 'sim', lon: p.lon, lat: p.lat, time, speed }), { ok: true });
}

interface Live {
  socket: Socket;
  meta: AssetMeta[];
  deltas: number[];
  gone: number[];
  alerts: Record<string, unknown>[];
}
async function listen(username: string): Promise<Live> {
  const cookie = await cookieFor(username);
  const socket = connect(`http://127.0.0.1:${app.port}`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  const live: Live = { socket, meta: [], deltas: [], gone: [], alerts: [] };
  socket.on('delta', (buf: Buffer) => {
    const f = decodeFrame(buf);
    for (let i = 0; i < f.count; i++) live.deltas.push(frameAsset(f, i).id);
  });
  socket.on('assets', (m: AssetMeta[]) => live.meta.push(...m));
  socket.on('gone', (ids: number[]) => live.gone.push(...ids));
  socket.on('alert', (a: Record<string, unknown>) => live.alerts.push(a));
  socket.on('alert_update', (a: Record<string, unknown>) => live.alerts.push(a));
  await new Promise<void>((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('snapshot', (msg: { meta: AssetMeta[] }) => {
      live.meta.push(...msg.meta);
      resolve();
    });
  });
  return live;
}

test('edit: a supervisor corrects seal, goods and carrier; only what differs is written and audited; bad input 400, not theirs 404, ended 409', async () => {
  const id = await register('tel:013900000401', 'ZGL2026000000001');
  const r = await edit('ys-sup', id, { sealId: 'SEAL-9', goods: '服装', carrier: '', reason: '申报更正' });
  assert.deepEqual(r, { status: 200, body: { id, changed: ['sealId', 'goods'] } }, 'the carrier was empty and stays so');
  const row = (await db.pool.query('SELECT seal_id, goods, carrier FROM consignments WHERE id = $1', [id])).rows[0];
  assert.deepEqual(row, { seal_id: 'SEAL-9', goods: '服装', carrier: null });
  const a = await audits(id, 'consignment_edit');
  assert.deepEqual(
    a.map((x) => [x.username, x.before, x.after]),
    [['ys-sup', { sealId: null, goods: '电子元件' }, { sealId: 'SEAL-9', goods: '服装', reason: '申报更正' }]],
  );
  assert.deepEqual((await edit('ys-sup', id, { goods: '服装' })).body.changed, [], 'the same again changes nothing');
  assert.equal((await audits(id, 'consignment_edit')).length, 1, 'and writes no audit row');

  for (const bad of [{}, { reason: 'only a reason' }, { route: 'R02' }, { deadline: iso(Date.now()) }, { goods: 'a\u0000b' }, { sealId: 'x'.repeat(33) }, 'not json']) {
    const b = await edit('ys-sup', id, bad);
    assert.equal(b.status, 400, `${JSON.stringify(bad)} → ${JSON.stringify(b.body)}`);
  }
  assert.equal((await edit('nb-sup', id, { goods: 'mine' })).status, 404, "another customs' supervisor: not theirs to see");
  assert.equal((await edit('ys-sup', 999_999, { goods: 'x' })).status, 404);
  assert.equal((await edit('ys-view', id, { goods: 'x' })).status, 403, 'a viewer may not');
  assert.equal((await call(closeMovement, 'POST', await cookieFor('sh-sup'), { reason: 'done' }, id)).status, 200);
  const ended = await edit('ys-sup', id, { goods: 'late' });
  assert.equal(ended.status, 409);
  assert.match(ended.body.error, /already ended \(closed\)/);
});

test('extend: a later deadline with a reason; an earlier or equal one is 400; an OVERDUE episode of the old deadline ends and the movement is in transit again', async () => {
  const key = 'tel:013900000402';
  // Departed two hours ago, due a minute ago: the rules raise OVERDUE on their next tick.
  const id = await register(key, 'ZGL2026000000002', Date.now() - 2 * 3_600_000, Date.now() - 60_000);
  fix(key, at['2248-T01']!, Date.now() - 1000);
  const ys = await listen('ys-view');
  try {
    await until(
      'OVERDUE is raised',
      async () => (await db.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE type = 'OVERDUE' AND consignment_id = $1`, [id])).rows[0].n === 1,
    );
    await until('the movement is overdue', async () => (await db.pool.query('SELECT status FROM consignments WHERE id = $1', [id])).rows[0].status === 'overdue');
    const current = (await db.pool.query('SELECT deadline FROM consignments WHERE id = $1', [id])).rows[0].deadline as Date;

    for (const [body, why] of [
      [{ deadline: iso(current.getTime() - 3_600_000), reason: '早一点' }, /later than the current one/],
      [{ deadline: iso(current.getTime()), reason: '一样' }, /later than the current one/],
      [{ deadline: iso(Date.now() + 3_600_000) }, /reason/],
      [{ deadline: iso(Date.now() + 3_600_000), reason: '  ' }, /reason/],
      [{ deadline: 'tomorrow', reason: 'x' }, /deadline/],
    ] as const) {
      const r = await extend('ys-sup', id, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.body.error, why);
    }
    assert.equal((await extend('nb-sup', id, { deadline: iso(Date.now() + 3_600_000), reason: 'x' })).status, 404);

    const next = Date.now() + 2 * 3_600_000;
    const r = await extend('ys-sup', id, { deadline: iso(next), reason: '道路封闭，延长两小时' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(Date.parse(r.body.deadline), Math.floor(next / 1000) * 1000 + (next % 1000), 'the new deadline, to the ms');
    assert.equal(app.movements.get(id)?.deadline, Date.parse(r.body.deadline), 'the index holds the new deadline');

    const overdue = (await db.pool.query(`SELECT id FROM alerts WHERE type = 'OVERDUE' AND consignment_id = $1`, [id])).rows[0];
    await until('the OVERDUE alert is cleared', async () => (await db.pool.query('SELECT cleared_at FROM alerts WHERE id = $1', [overdue.id])).rows[0].cleared_at !== null);
    await until('the movement is in transit again', async () => (await db.pool.query('SELECT status FROM consignments WHERE id = $1', [id])).rows[0].status === 'in_transit');
    assert.equal(app.rules!.engine.status(id), 'in_transit');
    // A few rule ticks later nothing is raised again against the new deadline.
    await new Promise((res) => setTimeout(res, 2500));
    assert.equal((await db.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE type = 'OVERDUE' AND consignment_id = $1`, [id])).rows[0].n, 1);

    const a = await audits(id, 'consignment_extend');
    assert.deepEqual(
      a.map((x) => [x.username, x.before.deadline, x.after.deadline, x.after.reason]),
      [['ys-sup', current.toISOString(), r.body.deadline, '道路封闭，延长两小时']],
    );
    const journey = await loadJourney(db.pool, '2248', id, JourneyQuery.parse({}));
    const entry = journey!.timeline.find((e) => e.kind === 'action' && e.code === 'consignment_extend');
    assert.deepEqual(
      entry && { by: entry.by, from: entry.from, to: entry.to, reason: entry.reason },
      { by: 'ys-sup', from: current.toISOString(), to: r.body.deadline, reason: '道路封闭，延长两小时' },
      'the timeline shows the extension',
    );
  } finally {
    ys.socket.close();
  }
});

test('extend past a deadline that has passed too: OVERDUE is raised afresh against the new one', async () => {
  const key = 'tel:013900000404';
  const id = await register(key, 'ZGL2026000000004', Date.now() - 3 * 3_600_000, Date.now() - 2 * 3_600_000);
  fix(key, at['2248-T01']!, Date.now() - 1000);
  await until('OVERDUE is raised', async () => (await db.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE type = 'OVERDUE' AND consignment_id = $1`, [id])).rows[0].n === 1);
  assert.equal((await extend('sh-sup', id, { deadline: iso(Date.now() - 3_600_000), reason: '补录' })).status, 200);
  await until(
    'the old episode is cleared and a new one raised',
    async () =>
      (
        await db.pool.query(
          `SELECT count(*) FILTER (WHERE cleared_at IS NOT NULL)::int AS cleared, count(*)::int AS n FROM alerts WHERE type = 'OVERDUE' AND consignment_id = $1`,
          [id],
        )
      ).rows[0].n === 2,
  );
  const rows = (await db.pool.query(`SELECT cleared_at, detail FROM alerts WHERE type = 'OVERDUE' AND consignment_id = $1 ORDER BY id`, [id])).rows;
  assert.notEqual(rows[0].cleared_at, null);
  assert.equal(rows[1].cleared_at, null);
  assert.equal(rows[1].detail.deadline, app.movements.get(id)!.deadline, 'raised against the new deadline');
});

test('hand-over: the movement goes to another vehicle; live scopes, rules and track follow it; audited and on the timeline', async () => {
  const oldKey = 'tel:013900000403';
  const newKey = 'tel:013900000407';
  const [oldId, newId] = [assetId(oldKey), assetId(newKey)];
  const id = await register(oldKey, 'ZGL2026000000003', Date.now() - 30 * 60_000);
  const t0 = Date.now();
  fix(oldKey, at['2248-T01']!, t0 - 20 * 60_000);
  fix(newKey, at['2248-T01']!, t0 - 19 * 60_000); // the new truck before the hand-over
  const ys = await listen('ys-view');
  try {
    await until('the office sees the old truck', () => ys.meta.some((m) => m.id === oldId && m.consignment === 'ZGL2026000000003'));
    assert.ok(app.hub.scopeOf(oldId).has('2248'));
    assert.ok(!app.hub.scopeOf(newId).has('2248'), 'a Waigaoqiao truck with no Yangshan movement');

    // Refusals first: nothing changes.
    const ysFail = await handOver('ys-sup', id, { asset: newKey, reason: '换车' });
    assert.equal(ysFail.status, 403, 'a sibling office’s truck is not Yangshan’s to use');
    const unknown = await handOver('ys-sup', id, { asset: 'tel:013999999999', reason: '换车' });
    assert.deepEqual([unknown.status, unknown.body.error.replace('tel:013999999999', 'K')], [403, ysFail.body.error.replace(newKey, 'K')], 'unknown and foreign answer alike');
    assert.equal((await handOver('sh-sup', id, { asset: 'tel:013900000405', reason: '换车' })).status, 403, "Ningbo's truck is not Shanghai's");
    assert.equal((await handOver('nb-sup', id, { asset: 'tel:013900000405', reason: '换车' })).status, 404, "Ningbo may not see Shanghai's movement");
    assert.equal((await handOver('sh-sup', id, { asset: oldKey, reason: '换车' })).status, 400, 'the same truck');
    assert.equal((await handOver('sh-sup', id, { asset: newKey })).status, 400, 'no reason');
    assert.equal((await handOver('sh-sup', id, { asset: newKey, reason: '' })).status, 400);
    assert.equal((await handOver('ys-view', id, { asset: newKey, reason: '换车' })).status, 403, 'a viewer');
    assert.equal((await db.pool.query('SELECT asset_id FROM consignments WHERE id = $1', [id])).rows[0].asset_id, oldId, 'nothing changed');
    assert.equal((await audits(id, 'consignment_handover')).length, 0);

    await new Promise((r) => setTimeout(r, 20));
    const r = await handOver('sh-sup', id, { asset: newKey, reason: '车辆故障，换车转运' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.asset, newKey);
    const handedAt = Date.parse(r.body.at);
    await new Promise((res) => setTimeout(res, 20));

    // Live: the old truck leaves the office's rooms, the new one joins them labelled with the movement.
    await until('the office is told the old truck is gone', () => ys.gone.includes(oldId));
    await until('the office is told of the new truck', () => ys.meta.some((m) => m.id === newId && m.consignment === 'ZGL2026000000003'));
    assert.ok(!app.hub.scopeOf(oldId).has('2248'));
    assert.ok(app.hub.scopeOf(newId).has('2248'));
    assert.equal(app.movements.forAsset(oldId), undefined);
    assert.equal(app.movements.forAsset(newId)?.id, id);

    // Rules: the old truck reaching the destination ends nothing; the new one does.
    fix(oldKey, at['2248-B01']!, Date.now() - 5, 5);
    await new Promise((res) => setTimeout(res, 1500));
    assert.ok(!ys.alerts.some((a) => a.type === 'ARRIVED' && a.consignmentId === id), 'the old truck no longer carries it');
    assert.equal(app.rules!.engine.status(id), 'in_transit');
    fix(newKey, at['2248-B01']!, Date.now() - 5, 5);
    await until('the new truck arrives with it', () => ys.alerts.some((a) => a.type === 'ARRIVED' && a.consignmentId === id && a.assetId === newId));

    // Audit and hand-over rows.
    const a = await audits(id, 'consignment_handover');
    assert.equal(a.length, 1);
    assert.equal(a[0].username, 'sh-sup');
    assert.deepEqual([a[0].before.asset, a[0].after.asset, a[0].after.plate, a[0].after.reason], [oldKey, newKey, '沪T·00407', '车辆故障，换车转运']);
    const h = (await db.pool.query('SELECT from_asset, to_asset FROM consignment_handovers WHERE consignment_id = $1', [id])).rows;
    assert.deepEqual(h, [{ from_asset: oldId, to_asset: newId }]);

    // Track: the old truck's fixes until the hand-over, the new truck's after it (for the office too).
    await until('the fixes are stored', async () => (await db.pool.query('SELECT count(*)::int AS n FROM positions WHERE asset_id = ANY($1)', [[oldId, newId]])).rows[0].n >= 4);
    const journey = (await loadJourney(db.pool, '2248', id, JourneyQuery.parse({})))!;
    const times = journey.track.fixes.map((f) => f[2]);
    assert.deepEqual(
      times.map((t) => (t < handedAt ? 'old' : 'new')),
      ['old', 'new'],
      `one fix of each leg: the old truck's at T01, then the new truck's at B01 (${times.map(iso)})`,
    );
    assert.equal(journey.track.fixes[1]![0], at['2248-B01']!.lon);
    const entry = journey.timeline.find((e) => e.kind === 'action' && e.code === 'consignment_handover');
    assert.deepEqual(entry && [entry.by, entry.from, entry.to, entry.reason], ['sh-sup', '沪T·00403', '沪T·00407', '车辆故障，换车转运']);

    const ended = await handOver('sh-sup', id, { asset: oldKey, reason: 'back' });
    assert.equal(ended.status, 409, 'arrived: ended');
  } finally {
    ys.socket.close();
  }
  const v = await verifyLedger(db.pool);
  assert.equal(v.ok, true, JSON.stringify(v.firstBad));
});
