// Webhooks out against a real local HTTP receiver (node:http on a free port) that answers, fails
// (500), hangs (never answers) and recovers, on a real PostGIS with the whole app running: the
// outbox is written with the alert in one transaction (and rolls back with it), delivery is at
// least once with no event accepted twice, dead-lettered after WEBHOOKS_MAX_ATTEMPTS, redelivered on
// request, signed (Notification-Signature), refused for private addresses, within jurisdiction; a
// hanging receiver neither stops alerts from committing nor holds another subscription's slots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as listApi from '@/app/api/webhooks/route';
import * as oneApi from '@/app/api/webhooks/[id]/route';
import * as deliveriesApi from '@/app/api/webhooks/[id]/deliveries/route';
import * as redeliverApi from '@/app/api/webhooks/[id]/redeliver/route';
import { createTestUser, sessionCookie } from '@/server/auth/testing';
import { withTransaction } from '@/db/transaction';
import type { AlertType } from '@/lib/domain';
import { startLinkTestServer, type LinkTestServer } from '../links/testing';
import { deliver } from './deliver';
import { addressRefusal, checkUrl } from './ssrf';
import type { SubscriptionOut } from './subscriptions';
import { webhookApiRefused } from './apiMetrics';
import { TestReceiver, waitFor } from './testing';

const MAX_ATTEMPTS = 4;
let s: LinkTestServer;
let shSupervisor: string;
let gzSupervisor: string;
const receivers: TestReceiver[] = [];
let n = 0;

const url = (path: string) => `http://127.0.0.1${path}`;
const send = (method: string, path: string, cookie: string, body?: unknown) =>
  new Request(url(path), { method, headers: { cookie, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function subscribe(r: TestReceiver, body: Record<string, unknown>, cookie = shSupervisor): Promise<SubscriptionOut> {
  const res = await listApi.POST(send('POST', '/api/webhooks', cookie, { url: r.url, ...body }));
  const out = await res.json();
  assert.equal(res.status, 201, JSON.stringify(out));
  assert.match(out.secret, /^[A-Za-z0-9_-]{43}$/);
  r.secret = out.secret;
  return out;
}

const state = async (id: string, cookie = shSupervisor): Promise<SubscriptionOut> => (await oneApi.GET(send('GET', `/api/webhooks/${id}`, cookie), params(id))).json();
const remove = async (id: string) => assert.equal((await oneApi.DELETE(send('DELETE', `/api/webhooks/${id}`, shSupervisor), params(id))).status, 200);

/** Raises an external alert in Shanghai (or `district`); its id. */
async function raise(type: AlertType = 'UNDECLARED_OUT', district = '2200'): Promise<number> {
  const row = await s.app.alerts.raiseExternal({
    type,
    assetId: null,
    consignmentId: null,
    time: Date.now(),
    lon: 121.6,
    lat: 31.34,
    detail: { test: ++n },
    episode: `WEBHOOK-TEST/${n}`,
    districts: [district],
  });
  assert.ok(row, 'a new alert');
  return Number(row.id);
}

const outbox = (sub: string) =>
  s.db.pool
    .query<{ event_id: string; state: string; attempts: number; last_error: string | null }>(
      'SELECT event_id, state, attempts, last_error FROM webhook_outbox WHERE subscription_id = $1 ORDER BY id',
      [sub],
    )
    .then((r) => r.rows);

async function receiver(): Promise<TestReceiver> {
  const r = await TestReceiver.start();
  receivers.push(r);
  return r;
}

before(async () => {
  s = await startLinkTestServer(undefined, {
    WEBHOOKS_ALLOW_PRIVATE: '1',
    WEBHOOKS_TIMEOUT_MS: '300',
    WEBHOOKS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    WEBHOOKS_BACKOFF_BASE_MS: '20',
    WEBHOOKS_BACKOFF_CAP_MS: '100',
    WEBHOOKS_POLL_MS: '50',
    WEBHOOKS_PER_SUBSCRIPTION: '2',
  });
  shSupervisor = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: 'sh-supervisor', role: 'supervisor', district: '2200' }));
  gzSupervisor = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: 'gz-supervisor', role: 'supervisor', district: '5100' }));
});
after(async () => {
  await s.close();
  for (const r of receivers) await r.close();
});

test('an alert is delivered once, signed with the subscription secret (Notification-Signature over the raw body), with its event id', async () => {
  const r = await receiver();
  const sub = await subscribe(r, { alertTypes: ['UNDECLARED_OUT'] });
  assert.equal((await listApi.GET(send('GET', '/api/webhooks', shSupervisor))).status, 200);
  const alertId = await raise();
  const seen = await waitFor(() => r.seen[0], 'a delivery');
  assert.equal(seen.signed, true, 'the signature verifies with the secret given at create');
  const body = JSON.parse(seen.body);
  assert.equal(body.type, 'alert.raised');
  assert.equal(body.eventId, seen.eventId);
  assert.equal(body.data.id, alertId);
  assert.equal(body.data.type, 'UNDECLARED_OUT');
  assert.deepEqual(body.data.districts, ['2200']);
  assert.notEqual(seen.body.length, 0);
  assert.equal(createHmac('sha256', 'not the secret').update(seen.body).digest('hex').length, 64);
  const st = await waitFor(async () => ((await state(sub.id)).delivered === 1 ? state(sub.id) : undefined), 'delivered on the subscription');
  assert.equal(st.pending, 0);
  assert.ok(st.lastSuccessAt);
  assert.equal('secret' in st, false, 'the secret is never shown again');
  const listed = await (await listApi.GET(send('GET', '/api/webhooks', shSupervisor))).json();
  assert.equal(JSON.stringify(listed).includes(r.secret), false);
  // Another alert type is not sent to it.
  await raise('SEAL_ALARM');
  await s.app.alerts.apply([]);
  assert.equal((await outbox(sub.id)).length, 1);
  await remove(sub.id);
});

test('a failing receiver: every event retried with backoff until it recovers, then accepted exactly once', async () => {
  const r = await receiver();
  r.mode = 'fail';
  const sub = await subscribe(r, { alertTypes: ['UNDECLARED_OUT'] });
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await raise());
  await waitFor(async () => (await outbox(sub.id)).every((o) => o.attempts >= 2) && (await outbox(sub.id)).length === 5, 'each tried twice');
  const failing = await state(sub.id);
  assert.match(failing.lastError ?? '', /HTTP 500/);
  r.mode = 'ok';
  await waitFor(async () => (await outbox(sub.id)).every((o) => o.state === 'delivered' || o.state === 'dead'), 'all settled');
  for (const o of await outbox(sub.id)) if (o.state === 'dead') await redeliverApi.POST(send('POST', `/api/webhooks/${sub.id}/redeliver`, shSupervisor, {}), params(sub.id));
  await waitFor(async () => (await outbox(sub.id)).every((o) => o.state === 'delivered'), 'all delivered');
  const accepted = r.accepted();
  assert.equal(accepted.size, 5, 'every event accepted');
  assert.deepEqual([...accepted.values()], [1, 1, 1, 1, 1], 'no event accepted twice');
  assert.ok(r.seen.length > 5, 'failures were retried');
  assert.ok(r.seen.every((x) => x.signed));
  await remove(sub.id);
});

test('dead-lettered after WEBHOOKS_MAX_ATTEMPTS tries, shown on the subscription; redeliver sends it again', async () => {
  const r = await receiver();
  r.mode = 'fail';
  const sub = await subscribe(r, { alertTypes: ['UNDECLARED_OUT'] });
  await raise();
  const [dead] = await waitFor(async () => ((await outbox(sub.id))[0]?.state === 'dead' ? outbox(sub.id) : undefined), 'dead-lettered');
  assert.equal(dead!.attempts, MAX_ATTEMPTS);
  assert.equal(r.seen.length, MAX_ATTEMPTS, 'tried exactly N times');
  const st = await state(sub.id);
  assert.equal(st.dead, 1);
  assert.equal(st.pending, 0);
  assert.match(st.lastError ?? '', /attempt 4: HTTP 500: receiver down/);
  const rows = await (await deliveriesApi.GET(send('GET', `/api/webhooks/${sub.id}/deliveries?state=dead`, shSupervisor), params(sub.id))).json();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].attempts, MAX_ATTEMPTS);
  // Nothing more is tried while it is dead.
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(r.seen.length, MAX_ATTEMPTS);
  r.mode = 'ok';
  const res = await redeliverApi.POST(send('POST', `/api/webhooks/${sub.id}/redeliver`, shSupervisor, {}), params(sub.id));
  assert.deepEqual(await res.json(), { redelivered: 1 });
  await waitFor(async () => (await outbox(sub.id))[0]?.state === 'delivered', 'delivered after redeliver');
  assert.deepEqual([...r.accepted().values()], [1]);
  const audited = await s.db.pool.query(`SELECT action FROM audit_log WHERE entity = 'webhook_subscription' AND entity_id = $1 ORDER BY id`, [sub.id]);
  assert.deepEqual(
    audited.rows.map((x) => x.action),
    ['webhook_create', 'webhook_redeliver'],
  );
  await remove(sub.id);
});

test('a hanging receiver: alerts keep committing, another subscription keeps receiving, and after recovery each event is accepted once', async () => {
  const hung = await receiver();
  hung.mode = 'hang';
  const healthy = await receiver();
  const subHung = await subscribe(hung, { alertTypes: ['UNDECLARED_OUT'] });
  const subOk = await subscribe(healthy, { alertTypes: ['UNDECLARED_OUT'] });
  const first = await raise();
  await waitFor(() => hung.seen.length >= 1, 'the hanging receiver holds a delivery');
  // While it hangs, alerts are raised and committed (the outbox rows with them) …
  const more = [];
  for (let i = 0; i < 20; i++) more.push(await raise());
  const stored = await s.db.pool.query('SELECT count(*)::int AS n FROM alerts WHERE id = ANY ($1)', [[first, ...more]]);
  assert.equal(stored.rows[0].n, 21);
  assert.equal((await outbox(subHung.id)).length, 21);
  // … and the healthy subscription gets all of them meanwhile: the hung one holds only its own slots.
  await waitFor(() => healthy.accepted().size === 21, 'the healthy receiver got all 21');
  assert.ok(
    hung.seen.every((x) => x.answered === null),
    'the hung receiver answered nothing',
  );
  hung.mode = 'ok';
  await waitFor(async () => (await outbox(subHung.id)).every((o) => o.state !== 'pending'), 'all settled');
  await redeliverApi.POST(send('POST', `/api/webhooks/${subHung.id}/redeliver`, shSupervisor, {}), params(subHung.id));
  await waitFor(async () => (await outbox(subHung.id)).every((o) => o.state === 'delivered'), 'all delivered after recovery');
  assert.equal(hung.accepted().size, 21);
  assert.ok(
    [...hung.accepted().values()].every((c) => c === 1),
    'no event accepted twice',
  );
  assert.ok([...healthy.accepted().values()].every((c) => c === 1));
  await remove(subHung.id);
  await remove(subOk.id);
});

test('the outbox row is written in the alert transaction and rolls back with it; one row per event and subscription', async () => {
  const r = await receiver();
  const sub = await subscribe(r, { alertTypes: ['UNDECLARED_OUT'] });
  await withTransaction(s.db.pool, async (c) => {
    await c.query(`INSERT INTO alerts (type, severity, time, detail, episode, districts) VALUES ('UNDECLARED_OUT', 'critical', now(), '{}', 'ROLLBACK-1', '{2200}')`);
    const inside = await c.query('SELECT count(*)::int AS n FROM webhook_outbox WHERE subscription_id = $1', [sub.id]);
    assert.equal(inside.rows[0].n, 1, 'written by the same transaction');
    await c.query('ROLLBACK');
    await c.query('BEGIN');
  });
  assert.equal((await outbox(sub.id)).length, 0, 'gone with the alert');
  // The same episode raised twice is one alert and so one delivery.
  const again = { type: 'UNDECLARED_OUT' as const, assetId: null, consignmentId: null, time: Date.now(), detail: {}, episode: 'ONCE-1', districts: ['2200'] };
  assert.ok(await s.app.alerts.raiseExternal(again));
  assert.equal(await s.app.alerts.raiseExternal(again), null);
  await waitFor(async () => (await outbox(sub.id))[0]?.state === 'delivered', 'delivered');
  assert.equal((await outbox(sub.id)).length, 1);
  await assert.rejects(
    s.db.pool.query(
      `INSERT INTO webhook_outbox (subscription_id, event_id, kind, payload) SELECT subscription_id, event_id, kind, payload FROM webhook_outbox WHERE subscription_id = $1`,
      [sub.id],
    ),
    /duplicate key/,
  );
  await remove(sub.id);
});

test('jurisdiction: districts within yours; another district neither sees nor changes it; its alerts are not sent', async () => {
  const r = await receiver();
  const refused = await listApi.POST(send('POST', '/api/webhooks', gzSupervisor, { url: r.url, alertTypes: ['UNDECLARED_OUT'], districts: ['2200'] }));
  assert.equal(refused.status, 403);
  assert.match((await refused.json()).error, /2200 outside your jurisdiction/);
  const sub = await subscribe(r, { alertTypes: ['UNDECLARED_OUT'], districts: ['2248'] });
  assert.equal((await oneApi.GET(send('GET', `/api/webhooks/${sub.id}`, gzSupervisor), params(sub.id))).status, 404);
  assert.equal((await oneApi.PATCH(send('PATCH', `/api/webhooks/${sub.id}`, gzSupervisor, { enabled: false }), params(sub.id))).status, 404);
  assert.equal((await oneApi.DELETE(send('DELETE', `/api/webhooks/${sub.id}`, gzSupervisor), params(sub.id))).status, 404);
  const gzList = await (await listApi.GET(send('GET', '/api/webhooks', gzSupervisor))).json();
  assert.equal(
    gzList.some((x: SubscriptionOut) => x.id === sub.id),
    false,
  );
  // Subscribed to Yangshan (2248) only: a Guangzhou alert and a Shanghai-only one are not sent; a Yangshan one is.
  await raise('UNDECLARED_OUT', '5100');
  await raise('UNDECLARED_OUT', '2200');
  const ys = await raise('UNDECLARED_OUT', '2248');
  await waitFor(() => r.accepted().size === 1, 'the Yangshan alert delivered');
  assert.equal(JSON.parse(r.seen[0]!.body).data.id, ys);
  assert.equal((await outbox(sub.id)).length, 1);
  // Disabled: nothing more is queued for it.
  const off = await oneApi.PATCH(send('PATCH', `/api/webhooks/${sub.id}`, shSupervisor, { enabled: false }), params(sub.id));
  assert.equal((await off.json()).enabled, false);
  await raise('UNDECLARED_OUT', '2248');
  assert.equal((await outbox(sub.id)).length, 1);
  await remove(sub.id);
});

test('bad input: a clear 400 and nothing stored', async () => {
  const before = (await s.db.pool.query('SELECT count(*)::int AS n FROM webhook_subscriptions')).rows[0].n;
  const counted400 = async () => (await webhookApiRefused.get()).values.find((v) => v.labels.status === '400')?.value ?? 0;
  const refusedBefore = await counted400();
  const cases: [unknown, RegExp][] = [
    [{ url: 'ftp://example.org/x', alertTypes: ['UNDECLARED_OUT'] }, /only http and https/],
    [{ url: 'http://user:pw@example.org/x', alertTypes: ['UNDECLARED_OUT'] }, /no credentials/],
    [{ url: 'not a url', alertTypes: ['UNDECLARED_OUT'] }, /not a URL/],
    [{ url: 'http://169.254.169.254/latest/meta-data', alertTypes: ['UNDECLARED_OUT'] }, /metadata address/],
    [{ url: 'http://127.0.0.1:9/x', alertTypes: [] }, /at least one alert type/],
    [{ url: 'http://127.0.0.1:9/x', alertTypes: ['NO_SUCH_TYPE'] }, /alertTypes\.0/],
    [{ url: 'http://127.0.0.1:9/x', eventKinds: ['drop_tables'] }, /eventKinds\.0/],
    [{ url: 'http://127.0.0.1:9/x', alertTypes: ['UNDECLARED_OUT'], districts: ['9999'] }, /no district 9999/],
    [{ url: 'http://127.0.0.1:9/x', alertTypes: ['UNDECLARED_OUT'], secret: 'mine' }, /secret/],
  ];
  for (const [body, why] of cases) {
    const res = await listApi.POST(send('POST', '/api/webhooks', shSupervisor, body));
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match((await res.json()).error, why);
  }
  assert.equal((await s.db.pool.query('SELECT count(*)::int AS n FROM webhook_subscriptions')).rows[0].n, before);
  assert.equal(await counted400(), refusedBefore + cases.length, 'each refusal counted');
});

test('SSRF: loopback, private, link-local, mapped and metadata addresses refused unless WEBHOOKS_ALLOW_PRIVATE; checked again at delivery', async () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.1.1', '::1', '::ffff:127.0.0.1', 'fe80::1', 'fd00::1', '0.0.0.0', '100.64.0.1']) {
    assert.ok(addressRefusal(a, false), a);
  }
  for (const a of ['203.0.113.9', '8.8.8.8', '2400:3200::1']) assert.equal(addressRefusal(a, false), null, a);
  assert.ok(addressRefusal('169.254.169.254', true), 'metadata even where private is allowed');
  assert.equal(addressRefusal('127.0.0.1', true), null);
  await assert.rejects(checkUrl('http://127.0.0.1:8080/x', false), /loopback, private/);
  await assert.rejects(checkUrl('http://[::ffff:7f00:1]/x', false), /loopback, private/);
  await assert.rejects(checkUrl('http://localhost/x', false), /loopback, private/);
  // At delivery time too (a subscription saved when allowed, or a name that changed address): nothing is sent.
  const r = await receiver();
  const out = await deliver({ url: r.url, body: '{}', secret: 'x', eventId: 'e', eventType: 't', attempt: 1 }, { timeoutMs: 1000, allowPrivate: false });
  assert.equal(out.ok, false);
  assert.equal(!out.ok && out.reason, 'address');
  assert.equal(r.seen.length, 0);
});
