// The signed warehouse link through its route, the real links receiver and PostGIS: a good signed
// call feeds the site ledger (tied to its movement, the events table, a webhook), the sender's
// retry gets the first receipt, and every forged, stale, replayed, out-of-scope or malformed call
// gets its clear 401/409/403/400, is counted, and leaves nothing behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as wmsApi from '@/app/api/links/wms/route';
import * as systemsApi from '@/app/api/links/wms/systems/route';
import * as systemApi from '@/app/api/links/wms/systems/[id]/route';
import * as webhooksApi from '@/app/api/webhooks/route';
import { createTestUser, sessionCookie } from '@/server/auth/testing';
import { TestReceiver, waitFor } from '@/server/webhooks/testing';
import { declareTransit, seedGateTrucks, truck } from '../gate/testing';
import { linkMessages } from '../metrics';
import { startLinkTestServer, type LinkTestServer } from '../testing';
import { signedHeaders } from './signature';

let s: LinkTestServer;
let shSupervisor: string;
let gzSupervisor: string;
let secret: string;
let systemId: number;
let n = 0;
const SYSTEM = 'wgq-wms';
const url = (path: string) => `http://127.0.0.1${path}`;
const send = (method: string, path: string, cookie: string, body?: unknown) =>
  new Request(url(path), { method, headers: { cookie, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });

const event = (over: Record<string, unknown> = {}) => ({
  eventId: `WMS-EVT-${++n}`,
  type: 'GOODS_IN',
  site: 'WGQ-BZ',
  time: new Date(Date.now() - 60_000).toISOString(),
  order: 'SO-2026-001',
  container: 'MSKU1234565',
  seal: 'SEAL-778899',
  packages: 120,
  grossWeightKg: 18250.5,
  netWeightKg: 17100,
  ...over,
});

/** Posts a body signed as `system` with `key` (the test's own client, as a partner would sign). */
async function post(body: string, opts: { system?: string; key?: string; timestamp?: number; nonce?: string; headers?: Record<string, string> } = {}) {
  const headers = { ...signedHeaders(opts.system ?? SYSTEM, opts.key ?? secret, body, { timestamp: opts.timestamp, nonce: opts.nonce }), ...opts.headers };
  const res = await wmsApi.POST(new Request(url('/api/links/wms'), { method: 'POST', headers, body }));
  return { status: res.status, body: await res.json() };
}

const refused = async (reason: string) =>
  (await linkMessages.get()).values.find((v) => v.labels.system === 'wms' && v.labels.outcome === 'refused' && v.labels.reason === reason)?.value ?? 0;
const ledgerRows = async () => (await s.db.pool.query('SELECT count(*)::int AS n FROM site_ledger')).rows[0].n as number;

before(async () => {
  s = await startLinkTestServer(seedGateTrucks, { WEBHOOKS_ALLOW_PRIVATE: '1', WEBHOOKS_POLL_MS: '50', WEBHOOKS_TIMEOUT_MS: '1000' });
  shSupervisor = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: 'sh-supervisor', role: 'supervisor', district: '2200' }));
  gzSupervisor = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: 'gz-supervisor', role: 'supervisor', district: '5100' }));
  const res = await systemsApi.POST(send('POST', '/api/links/wms/systems', shSupervisor, { name: SYSTEM, district: '2200', sites: ['WGQ-BZ'] }));
  const out = await res.json();
  assert.equal(res.status, 201, JSON.stringify(out));
  secret = out.secret;
  systemId = out.id;
});
after(() => s.close());

test('provisioning: within jurisdiction, sites of its district, the secret once and sealed, audited', async () => {
  const gz = await systemsApi.POST(send('POST', '/api/links/wms/systems', gzSupervisor, { name: 'gz-try', district: '2200', sites: ['WGQ-BZ'] }));
  assert.equal(gz.status, 403);
  const wrongSite = await systemsApi.POST(send('POST', '/api/links/wms/systems', shSupervisor, { name: 'sh-try', district: '2200', sites: ['GZ-WH'] }));
  assert.equal(wrongSite.status, 400);
  assert.match((await wrongSite.json()).error, /GZ-WH is not a site of district 2200/);
  const again = await systemsApi.POST(send('POST', '/api/links/wms/systems', shSupervisor, { name: SYSTEM, district: '2200', sites: ['WGQ-BZ'] }));
  assert.equal(again.status, 409);
  const listed = await (await systemsApi.GET(send('GET', '/api/links/wms/systems', shSupervisor))).json();
  assert.deepEqual(
    listed.map((x: { name: string }) => x.name),
    [SYSTEM],
  );
  assert.equal(JSON.stringify(listed).includes(secret), false);
  assert.deepEqual(await (await systemsApi.GET(send('GET', '/api/links/wms/systems', gzSupervisor))).json(), []);
  const stored = (await s.db.pool.query('SELECT secret FROM wms_systems WHERE name = $1', [SYSTEM])).rows[0].secret as string;
  assert.match(stored, /^v1:/);
  assert.equal(stored.includes(secret), false, 'sealed, not the secret itself');
  const audited = await s.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'wms_system_issue'`);
  assert.equal(audited.rows[0].n, 1);
});

test('a signed goods-in ties to its movement: site ledger, events table (order, seal, weights), a webhook; the retry gets the first receipt', async () => {
  const cid = await declareTransit(s, {
    reference: 'TRN-WMS-1',
    plate: truck(1),
    origin: 'YS-TERM',
    dest: 'WGQ-BZ',
    status: 'departed',
    containers: [{ no: 'MSKU1234565' }],
  });
  const r = await TestReceiver.start();
  try {
    const hook = await webhooksApi.POST(send('POST', '/api/webhooks', shSupervisor, { url: r.url, eventKinds: ['goods_in'] }));
    r.secret = (await hook.json()).secret;
    const body = JSON.stringify(event({ eventId: 'WMS-GOOD-1' }));
    const first = await post(body);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.status, 'applied');
    assert.equal(first.body.summary.eventId, 'WMS-GOOD-1');
    assert.equal(first.body.summary.tied, 1);
    const row = (await s.db.pool.query('SELECT * FROM site_ledger WHERE message = $1', [first.body.id])).rows[0];
    assert.equal(row.consignment_id, cid);
    assert.equal(row.direction, 'in');
    assert.equal(Number(row.weight_kg), 18250.5);
    const ev = (await s.db.pool.query('SELECT * FROM events WHERE link_message = $1', [first.body.id])).rows[0];
    assert.equal(ev.kind, 'goods_in');
    assert.equal(ev.seal_id, 'SEAL-778899');
    assert.equal(ev.source, `wms:${SYSTEM}`, 'attributed to the provisioned system, not the body');
    assert.deepEqual([ev.detail.order, ev.detail.netWeightKg, ev.detail.packages], ['SO-2026-001', 17100, 120]);
    // The same event again (a new nonce and time, as a retry is): the first receipt, nothing new.
    const retry = await post(body);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.status, 'duplicate');
    assert.equal(retry.body.id, first.body.id);
    assert.equal((await s.db.pool.query('SELECT count(*)::int AS n FROM site_ledger WHERE message = $1', [first.body.id])).rows[0].n, 1);
    // Another body under the same event id is a conflict.
    const other = await post(JSON.stringify(event({ eventId: 'WMS-GOOD-1', packages: 7 })));
    assert.equal(other.status, 409);
    const seen = await waitFor(() => r.seen[0], 'the goods_in webhook');
    const delivered = JSON.parse(seen.body);
    assert.equal(delivered.type, 'movement.event');
    assert.equal(delivered.data.kind, 'goods_in');
    assert.equal(delivered.data.consignment, 'TRN-WMS-1');
    assert.equal(seen.signed, true);
  } finally {
    await r.close();
  }
});

test('untied goods out is UNDECLARED_OUT and still on the events table', async () => {
  const res = await post(JSON.stringify(event({ type: 'GOODS_OUT', container: 'TGHU7654321', eventId: 'WMS-OUT-1' })));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual(res.body.summary.undeclared, ['TGHU7654321']);
  const ev = (await s.db.pool.query('SELECT kind, consignment_id FROM events WHERE link_message = $1', [res.body.id])).rows[0];
  assert.deepEqual(ev, { kind: 'goods_out', consignment_id: null });
  await waitFor(async () => (await s.db.pool.query(`SELECT 1 FROM alerts WHERE type = 'UNDECLARED_OUT' AND detail->>'container' = 'TGHU7654321'`)).rows[0], 'UNDECLARED_OUT');
});

test('forged, stale, replayed and unsigned calls: 401/409, the same answer for an unknown system and a bad signature, counted, nothing stored', async () => {
  const rows = await ledgerRows();
  const body = JSON.stringify(event());
  const before = { signature: await refused('signature'), stale: await refused('stale'), replay: await refused('replay'), unsigned: await refused('unsigned') };

  const wrongKey = await post(body, { key: 'not-the-secret' });
  const unknown = await post(body, { system: 'nobody-wms' });
  assert.equal(wrongKey.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(wrongKey.body, unknown.body, 'no telling an unknown system from a wrong secret');
  // A body changed after signing.
  const headers = signedHeaders(SYSTEM, secret, body);
  const tampered = await wmsApi.POST(new Request(url('/api/links/wms'), { method: 'POST', headers, body: body.replace('120', '121') }));
  assert.equal(tampered.status, 401);
  // Signed for another path.
  assert.equal(
    (await wmsApi.POST(new Request(url('/api/links/wms'), { method: 'POST', headers: signedHeaders(SYSTEM, secret, body, { path: '/api/links/gate' }), body }))).status,
    401,
  );

  const stale = await post(body, { timestamp: Math.floor(Date.now() / 1000) - 301 });
  assert.equal(stale.status, 401);
  assert.match(stale.body.error, /more than 300 s/);
  assert.equal((await post(body, { timestamp: Math.floor(Date.now() / 1000) + 400 })).status, 401, 'from the future too');

  const nonce = 'replay-nonce-0123456789';
  const once = await post(JSON.stringify(event()), { nonce });
  assert.equal(once.status, 201);
  const replay = await post(JSON.stringify(event()), { nonce });
  assert.equal(replay.status, 409);
  assert.match(replay.body.error, /already used/);

  const unsigned = await wmsApi.POST(new Request(url('/api/links/wms'), { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
  assert.equal(unsigned.status, 401);
  assert.equal((await post(body, { nonce: 'short' })).status, 401);

  assert.equal(await ledgerRows(), rows + 1, 'only the one good call stored');
  assert.equal(await refused('signature'), before.signature + 4);
  assert.equal(await refused('stale'), before.stale + 2);
  assert.equal(await refused('replay'), before.replay + 1);
  assert.equal(await refused('unsigned'), before.unsigned + 2);
});

test("another district's site, or a site not given to the system: refused (403), nothing stored", async () => {
  const rows = await ledgerRows();
  const gz = await post(JSON.stringify(event({ site: 'GZ-WH' })));
  assert.equal(gz.status, 403);
  assert.match(gz.body.error, /GZ-WH is not one of the sites/);
  const ys = await post(JSON.stringify(event({ site: 'YS-TERM' })));
  assert.equal(ys.status, 403, 'in its district, but not its site');
  assert.equal(await ledgerRows(), rows);
});

test('malformed bodies: a clear 400 naming the field, counted, nothing stored', async () => {
  const rows = await ledgerRows();
  const before = await refused('invalid');
  const cases: [string, RegExp][] = [
    ['{not json', /not valid JSON/],
    ['<SiteLedger/>', /takes one JSON event/],
    [JSON.stringify(event({ container: undefined, bill: undefined })), /name the container or the bill/],
    [JSON.stringify(event({ type: 'GOODS_SIDEWAYS' })), /type: GOODS_IN or GOODS_OUT/],
    [JSON.stringify(event({ time: 'yesterday' })), /time: a time/],
    [JSON.stringify(event({ packages: -1 })), /packages/],
    [JSON.stringify(event({ netWeightKg: 20000 })), /netWeightKg must not exceed/],
    [JSON.stringify(event({ surprise: 1 })), /surprise/],
    [JSON.stringify(event({ time: new Date(Date.now() + 3_600_000).toISOString() })), /in the future/],
  ];
  for (const [body, why] of cases) {
    const res = await post(body);
    assert.equal(res.status, 400, body);
    assert.match(res.body.error, why);
  }
  assert.equal(await ledgerRows(), rows);
  assert.equal(await refused('invalid'), before + cases.length);
});

test('a revoked system is refused like an unknown one; revocation is audited and in jurisdiction', async () => {
  const gz = await systemApi.DELETE(send('DELETE', `/api/links/wms/systems/${systemId}`, gzSupervisor), { params: Promise.resolve({ id: String(systemId) }) });
  assert.equal(gz.status, 404);
  const res = await systemApi.DELETE(send('DELETE', `/api/links/wms/systems/${systemId}`, shSupervisor), { params: Promise.resolve({ id: String(systemId) }) });
  assert.equal(res.status, 200);
  assert.ok((await res.json()).revokedAt);
  assert.equal((await post(JSON.stringify(event()))).status, 401);
  const audited = await s.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'wms_system_revoke'`);
  assert.equal(audited.rows[0].n, 1);
});
