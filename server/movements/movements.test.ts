// The movement service as the one owner of movements, end to end: the REST route handlers against
// the real server (real PostGIS, real Socket.IO clients). A movement registered over REST reaches
// the office's live socket at once with its label, and its alerts carry its districts; when it ends
// (closed, cancelled, or arrived as the rules decide) its asset is gone from that socket within a
// tick while HQ keeps it; an office cannot claim a foreign asset; a restart restores it all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { decodeFrame, frameAsset, type AssetMeta } from '../../lib/wire';
import type { AssetStatus } from '../../lib/domain';
import { startApp, type App } from '../app';
import { CLOSED_AT_ONCE_NOTE } from '../alerts/alertService';
import { AlertQuery, listAlerts } from '../queries/alerts';
import { loadConfig, type Config } from '../config';
import { createTestUser, sessionCookie } from '../auth/testing';
import { verifyLedger } from '../ledger/verify';
import { DEFAULT_SEAL_ALARM_MASK } from '../rules/types';
import { seedWorld } from '../sim/seed';
import { POST as createMovement } from '../../app/api/consignments/route';
import { POST as closeMovement } from '../../app/api/consignments/[id]/close/route';
import { POST as cancelMovement } from '../../app/api/consignments/[id]/cancel/route';

const TICK_MS = 200;
let db: TestDatabase;
let config: Config;
let app: App;
/** A point inside each site the tests use (R01 runs from 2248-T01 to 2248-B01, both in Yangshan). */
const at: Record<string, { lon: number; lat: number }> = {};

// Vehicles and their home districts: 2218 (Waigaoqiao, a sibling office of Yangshan under
// Shanghai 2200), 3100 (Ningbo), none.
const ASSETS = [
  ['tel:013900000301', '2218'],
  ['tel:013900000302', '2218'],
  ['tel:013900000303', '2218'],
  ['tel:013900000304', '2218'],
  ['tel:013900000305', '3100'],
  ['tel:013900000306', null],
  ['tel:013900000307', '2218'],
] as const;
const assetId = (key: string) => app.registry.get(key)!.id;

before(async () => {
  db = await freshDatabase();
  config = loadConfig({ ...process.env, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', SIM: '0', LIVE_TICK_MS: String(TICK_MS), DATABASE_POOL_MAX: String(testPoolMax()) });
  app = await startApp(config, {
    say: () => {},
    seed: async (pool) => {
      await seedWorld(pool);
      await createTestUser(pool, { username: 'sh-sup', role: 'supervisor', district: '2200' });
      await createTestUser(pool, { username: 'ys-sup', role: 'supervisor', district: '2248' });
      await createTestUser(pool, { username: 'ys-view', role: 'viewer', district: '2248' });
      await createTestUser(pool, { username: 'hq-view', role: 'viewer', district: '0000' });
      for (const [key, home] of ASSETS) {
        await pool.query(`INSERT INTO assets (key, kind, label, terminal, district) VALUES ($1, 'vehicle', $2, $3, $4)`, [key, `沪T·${key.slice(-5)}`, key.slice(4), home]);
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

async function call(fn: (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>, url: string, cookie: string, body: unknown, id = '0') {
  const res = await fn(
    new Request(`http://x${url}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({ id }) },
  );
  return { status: res.status, body: await res.json() };
}
const register = (cookie: string, body: Record<string, unknown>) => call((r) => createMovement(r), '/api/consignments', cookie, body);
const end = (action: 'close' | 'cancel', cookie: string, id: number | string, body: unknown) =>
  call(action === 'close' ? closeMovement : cancelMovement, `/api/consignments/${id}/${action}`, cookie, body, String(id));

const iso = (ms: number) => new Date(ms).toISOString();
const movementOn = (key: string, reference: string, departure = Date.now() - 60_000) => ({
  reference,
  asset: key,
  route: 'R01',
  departure: iso(departure),
  deadline: iso(departure + 4 * 3_600_000),
  goods: '电子元件',
});

/** A live client that writes down everything it is sent. */
interface Live {
  socket: Socket;
  snapshot: Set<number>;
  meta: AssetMeta[];
  deltas: { id: number; lon: number; status: AssetStatus }[];
  gone: number[];
  alerts: Record<string, unknown>[];
}

async function listen(username: string): Promise<Live> {
  const cookie = await cookieFor(username);
  const socket = connect(`http://127.0.0.1:${app.port}`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  const live: Live = { socket, snapshot: new Set(), meta: [], deltas: [], gone: [], alerts: [] };
  socket.on('delta', (buf: Buffer) => {
    const f = decodeFrame(buf);
    for (let i = 0; i < f.count; i++) {
      const a = frameAsset(f, i);
      live.deltas.push({ id: a.id, lon: a.lon, status: a.status });
    }
  });
  socket.on('assets', (m: AssetMeta[]) => live.meta.push(...m));
  socket.on('gone', (ids: number[]) => live.gone.push(...ids));
  socket.on('alert', (a: Record<string, unknown>) => live.alerts.push(a));
  await new Promise<void>((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('snapshot', (msg: { frame: Buffer; meta: AssetMeta[] }) => {
      const f = decodeFrame(msg.frame);
      for (let i = 0; i < f.count; i++) live.snapshot.add(f.id[i]!);
      live.meta.push(...msg.meta);
      resolve();
    });
  });
  return live;
}

/** Waits (up to 8 s, a failure rather than a timing claim) until `check` holds. */
async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 8000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const ticks = (n: number) => new Promise((r) => setTimeout(r, n * TICK_MS));

function fix(key: string, p: { lon: number; lat: number }, ageMs: number, extra: { speed?: number; alarm?: number } = {}) {
  const r = app.pipeline.ingest({
    assetKey: key,
    kind: 'vehicle',
    source: 'sim',
    lon: p.lon,
    lat: p.lat,
    time: Date.now() - ageMs,
    speed: extra.speed ?? 40,
    ...(extra.alarm !== undefined && { alarm: extra.alarm }),
  });
  assert.deepEqual(r, { ok: true });
}

/** After the asset left the office: a new fix reaches HQ, and (two ticks later) still not the office. */
async function onlyHqGets(key: string, ys: Live, hq: Live, lon: number): Promise<{ status: AssetStatus }> {
  const id = assetId(key);
  const goneAt = ys.deltas.length;
  fix(key, { lon, lat: at['2248-T01']!.lat }, 1000);
  await until('HQ gets the next fix', () => hq.deltas.some((d) => d.id === id && d.lon === lon));
  await ticks(2);
  assert.deepEqual(
    ys.deltas.slice(goneAt).filter((d) => d.id === id),
    [],
    'the office gets no frame of the asset after it is gone',
  );
  assert.ok(!hq.gone.includes(id), 'HQ was never told it is gone');
  return hq.deltas.filter((d) => d.id === id).at(-1)!;
}

test('a movement registered over REST reaches the office at once with its label; its alert carries its districts; closed, it is gone from the office within a tick while HQ keeps it', async () => {
  const key = 'tel:013900000301';
  const id0 = assetId(key);
  fix(key, at['2248-T01']!, 120_000, { speed: 0 });
  const ys = await listen('ys-view');
  const hq = await listen('hq-view');
  try {
    assert.ok(!ys.snapshot.has(id0), "before its movement, a Waigaoqiao truck is not Yangshan's to see");
    assert.ok(hq.snapshot.has(id0));

    const created = await register(await cookieFor('sh-sup'), movementOn(key, 'ZGT2026000000001'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.ok(created.body.districts.includes('2248'), 'R01 lies in Yangshan');
    const id = created.body.id as number;

    await until('the office is told of the asset, labelled with the movement', () => ys.meta.some((m) => m.id === id0 && m.consignment === 'ZGT2026000000001'));
    await until('the office gets the asset in a frame', () => ys.deltas.some((d) => d.id === id0));
    assert.equal(app.movements.forAsset(id0)?.id, id, 'the index holds it');
    assert.equal(app.rules!.engine.status(id), 'in_transit', 'the rules watch it');

    // The door opens: SEAL_ALARM, stamped with the movement's districts, reaches the office.
    fix(key, at['2248-T01']!, 60_000, { alarm: DEFAULT_SEAL_ALARM_MASK });
    await until('the office gets the alert', () => ys.alerts.some((a) => a.type === 'SEAL_ALARM' && a.consignmentId === id));
    const alert = ys.alerts.find((a) => a.type === 'SEAL_ALARM')!;
    const stored = (await db.pool.query('SELECT districts FROM alerts WHERE id = $1', [alert.id])).rows[0].districts as string[];
    assert.ok(stored.includes('2248') && stored.includes('2218'), `the alert carries the movement's and the home district (${stored})`);
    assert.deepEqual(alert.districts, stored);
    await until('the map shows the asset critical', () => ys.deltas.some((d) => d.id === id0 && d.status === 'critical'));

    const closed = await end('close', await cookieFor('sh-sup'), id, { reason: '监管结束 supervision complete' });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.deepEqual(closed.body, { id, status: 'closed' });
    await until('the office is told the asset is gone', () => ys.gone.includes(id0));
    const last = await onlyHqGets(key, ys, hq, 121.90001);
    assert.equal(last.status, 'normal', "the ended movement's seal alarm no longer colours the map");
    assert.equal(app.movements.forAsset(id0), undefined);
    assert.equal(app.rules!.engine.status(id), undefined, 'the rules no longer watch it');

    const row = (await db.pool.query('SELECT status FROM consignments WHERE id = $1', [id])).rows[0];
    assert.equal(row.status, 'closed');
    const audits = (await db.pool.query(`SELECT action, username, after FROM audit_log WHERE entity = 'consignment' AND entity_id = $1 ORDER BY id`, [String(id)])).rows;
    assert.deepEqual(
      audits.map((a) => [a.action, a.username]),
      [
        ['consignment_create', 'sh-sup'],
        ['consignment_close', 'sh-sup'],
      ],
    );
    assert.equal(audits[1].after.reason, '监管结束 supervision complete');
    const chained = (await db.pool.query(`SELECT count(*)::int AS n FROM ledger WHERE payload->>'table' = 'consignments' AND payload->>'id' = $1`, [String(id)])).rows[0].n;
    assert.equal(chained, 2, 'the row is chained when created and when closed');
  } finally {
    ys.socket.close();
    hq.socket.close();
  }
});

test('a cancelled movement is gone from the office within a tick; HQ keeps the asset', async () => {
  const key = 'tel:013900000302';
  const id0 = assetId(key);
  fix(key, at['2248-T01']!, 30_000, { speed: 0 });
  const ys = await listen('ys-view');
  const hq = await listen('hq-view');
  try {
    const created = await register(await cookieFor('sh-sup'), movementOn(key, 'ZGT2026000000002', Date.now() + 3_600_000));
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'planned');
    await until("the office gets the planned movement's asset", () => ys.meta.some((m) => m.id === id0 && m.consignment === 'ZGT2026000000002'));
    const cancelled = await end('cancel', await cookieFor('sh-sup'), created.body.id, { reason: 'declaration withdrawn' });
    assert.deepEqual(cancelled, { status: 200, body: { id: created.body.id, status: 'cancelled' } });
    await until('the office is told the asset is gone', () => ys.gone.includes(id0));
    await onlyHqGets(key, ys, hq, 121.90002);
    assert.equal((await db.pool.query('SELECT status FROM consignments WHERE id = $1', [created.body.id])).rows[0].status, 'cancelled');
  } finally {
    ys.socket.close();
    hq.socket.close();
  }
});

test('an arrival decided by the rules ends the movement: gone from the office within a tick, HQ keeps the asset', async () => {
  const key = 'tel:013900000303';
  const id0 = assetId(key);
  fix(key, at['2248-T01']!, 45 * 60_000, { speed: 0 });
  const ys = await listen('ys-view');
  const hq = await listen('hq-view');
  try {
    const created = await register(await cookieFor('sh-sup'), movementOn(key, 'ZGT2026000000003'));
    assert.equal(created.status, 201);
    const id = created.body.id as number;
    await until('the office gets the asset', () => ys.deltas.some((d) => d.id === id0));
    fix(key, at['2248-B01']!, 60_000, { speed: 5 }); // inside the destination site
    await until('the office hears of the arrival', () => ys.alerts.some((a) => a.type === 'ARRIVED' && a.consignmentId === id));
    // A normal arrival is information, not work: it comes already closed, by no one, at its own time.
    const arrived = ys.alerts.find((a) => a.type === 'ARRIVED' && a.consignmentId === id)!;
    assert.equal(arrived.state, 'resolved');
    assert.equal(arrived.resolvedBy, null);
    assert.equal(arrived.resolvedAt, arrived.time);
    assert.equal(arrived.note, CLOSED_AT_ONCE_NOTE);
    const pending = await listAlerts(db.pool, '0000', AlertQuery.parse({ state: 'open', consignment: String(id) }));
    assert.ok(!pending.items.some((a) => a.type === 'ARRIVED'), 'not in the pending list');
    await until('the office is told the asset is gone', () => ys.gone.includes(id0));
    await onlyHqGets(key, ys, hq, 121.90003);
    const row = (await db.pool.query('SELECT status, arrived_at FROM consignments WHERE id = $1', [id])).rows[0];
    assert.equal(row.status, 'arrived');
    assert.ok(row.arrived_at);
    const audit = (await db.pool.query(`SELECT username, user_id, after FROM audit_log WHERE action = 'consignment_status' AND entity_id = $1`, [String(id)])).rows;
    assert.deepEqual(
      audit.map((a) => [a.username, a.user_id, a.after.status]),
      [['system', null, 'arrived']],
      "the rules' decision is audited as the system",
    );
    // Closing it now is too late: it has ended.
    const late = await end('close', await cookieFor('sh-sup'), id, { reason: 'too late' });
    assert.equal(late.status, 409);
    assert.match(late.body.error, /already ended/);
  } finally {
    ys.socket.close();
    hq.socket.close();
  }
});

test('attack: an office supervisor registering a movement on an asset whose home is outside their jurisdiction gets 403 and nothing is stored', async () => {
  const ys = await listen('ys-view');
  const cookie = await cookieFor('ys-sup');
  try {
    const cases = [
      ['tel:013900000304', /is not a vehicle of your jurisdiction/], // a sibling office's truck
      ['tel:013900000305', /is not a vehicle of your jurisdiction/], // another customs' truck
      ['tel:013900000306', /is not a vehicle of your jurisdiction/], // a truck that belongs to nobody yet
    ] as const;
    for (const [key, reason] of cases) {
      fix(key, at['2248-T01']!, 10_000);
      const reference = `ZGX${key.slice(-6)}00000001`;
      const auditBefore = (await db.pool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
      const r = await register(cookie, movementOn(key, reference)); // R01 does touch Yangshan
      assert.equal(r.status, 403, `${key}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error, reason);
      assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM consignments WHERE reference = $1', [reference])).rows[0].n, 0, 'no row');
      assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n, auditBefore, 'no audit row');
      assert.ok(!app.movements.open().some((m) => m.reference === reference), 'not in the index');
      assert.ok(!app.hub.scopeOf(assetId(key)).has('2248'), "not in Yangshan's live scope");
    }
    // An unknown key answers exactly like a foreign one: no oracle for keys or home districts.
    const unknown = await register(cookie, movementOn('tel:013999999998', 'ZGX99999800000001'));
    assert.equal(unknown.status, 403);
    assert.match(unknown.body.error, /is not a vehicle of your jurisdiction/);
    await ticks(3);
    const foreign = new Set(cases.map(([key]) => assetId(key)));
    assert.deepEqual(
      [...ys.snapshot, ...ys.deltas.map((d) => d.id), ...ys.meta.map((m) => m.id)].filter((id) => foreign.has(id)),
      [],
      'the office never received them',
    );
    // The same movement by their parent customs, whose jurisdiction holds the home, is allowed.
    const ok = await register(await cookieFor('sh-sup'), movementOn('tel:013900000304', 'ZGX30400000000002'));
    assert.equal(ok.status, 201);
    // A viewer may not register at all.
    assert.equal((await register(await cookieFor('ys-view'), movementOn('tel:013900000304', 'ZGX30400000000003'))).status, 403);
  } finally {
    ys.socket.close();
  }
});

test('attack: closing or cancelling a movement the user may not see is 404; bad reasons are 400; nothing changes', async () => {
  const hidden = (
    await db.pool.query(
      `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, status, districts)
     SELECT 'ZGNB000000000001', a.id, o.id, d.id, r.id, now(), now() + interval '2 hours', 'in_transit', touched_districts(o.id, d.id, r.id)
     FROM assets a, sites o, sites d, routes r WHERE a.key = 'tel:013900000305' AND o.code = '3104-T01' AND d.code = '3104-B01' AND r.code = 'R18'
     RETURNING id, districts`,
    )
  ).rows[0];
  assert.ok(!hidden.districts.includes('2248') && !hidden.districts.includes('2200'), 'a Ningbo movement');
  const ys = await cookieFor('ys-sup');
  for (const action of ['close', 'cancel'] as const) {
    assert.equal((await end(action, ys, hidden.id, { reason: 'mine now' })).status, 404, `${action} a foreign movement`);
    assert.equal((await end(action, ys, 999_999, { reason: 'nothing there' })).status, 404);
  }
  const mine = await register(await cookieFor('sh-sup'), movementOn('tel:013900000304', 'ZGX30400000000004'));
  assert.equal(mine.status, 201);
  const bad = [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 'a\u0000b' }, { reason: 42 }, 'not json'];
  for (const body of bad) {
    const r = await end('close', ys, mine.body.id, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
  }
  assert.equal((await end('close', await cookieFor('ys-view'), mine.body.id, { reason: 'a viewer' })).status, 403);
  assert.equal((await end('close', ys, 'abc', { reason: 'x' })).status, 400);
  const nul = await register(await cookieFor('sh-sup'), { ...movementOn('tel:013900000304', 'ZGX30400000000005'), goods: 'a\u0000b' });
  assert.equal(nul.status, 400);
  const statuses = (await db.pool.query('SELECT id, status FROM consignments WHERE id = ANY($1) ORDER BY id', [[hidden.id, mine.body.id]])).rows;
  assert.deepEqual(
    statuses.map((r) => r.status),
    ['in_transit', 'in_transit'],
    'nothing changed',
  );
  await db.pool.query(`UPDATE consignments SET status = 'closed' WHERE id = $1`, [hidden.id]); // not the app's: keep the later tests clean
});

test('after a restart the open movements and their live scopes come back from the one loader', async () => {
  const key = 'tel:013900000307';
  const id0 = assetId(key);
  const created = await register(await cookieFor('sh-sup'), movementOn(key, 'ZGT2026000000007'));
  assert.equal(created.status, 201);
  fix(key, at['2248-T01']!, 5_000);
  const closedEarlier = (await db.pool.query(`SELECT id FROM consignments WHERE reference = 'ZGT2026000000001'`)).rows[0].id;
  const expectOpen = (await db.pool.query(`SELECT id FROM consignments WHERE status IN ('planned', 'in_transit', 'overdue', 'diverted') ORDER BY id`)).rows.map((r) => r.id);

  await app.close();
  app = await startApp(config, { say: () => {} });

  assert.deepEqual(
    app.movements
      .open()
      .map((m) => m.id)
      .sort((a, b) => a - b),
    expectOpen,
    'the index holds what the database holds open',
  );
  const m = app.movements.get(created.body.id)!;
  assert.deepEqual(m.districts, created.body.districts);
  assert.equal(app.rules!.engine.status(created.body.id), 'in_transit', 'the rules watch it again');
  assert.equal(app.rules!.engine.status(closedEarlier), undefined, 'a closed one is not watched again');
  assert.ok(app.hub.scopeOf(id0).has('2248'));
  const ys = await listen('ys-view');
  try {
    assert.ok(ys.snapshot.has(id0), 'the office sees the asset again at once');
    assert.equal(ys.meta.find((x) => x.id === id0)?.consignment, 'ZGT2026000000007');
  } finally {
    ys.socket.close();
  }
  const v = await verifyLedger(db.pool);
  assert.equal(v.ok, true, JSON.stringify(v.firstBad));
});
