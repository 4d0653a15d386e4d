// POST /api/ingest/positions and /api/ingest/events, called as Next calls them (the route
// handlers with a Request) inside a running server (real PostGIS, pipeline and writer), and the
// guard's ingest-token check over real HTTP. Two direct customs with their own trucks and
// movements: Shanghai (2200, with office 2248 under it) and Guangzhou (5100).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, testPoolMax, type TestDatabase } from '../../db/testing';
import { startApp, type App } from '../app';
import { createTestUser, sessionCookie } from '../auth/testing';
import { CSRF_HEADER } from '../auth/cookies';
import { loadConfig } from '../config';
import { POST as postPositions } from '../../app/api/ingest/positions/route';
import { POST as postEvents } from '../../app/api/ingest/events/route';
import { issueIngestToken, revokeIngestToken } from './tokens';

const LEGACY = 'legacy-ingest-token-0123456789';
let db: TestDatabase;
let app: App;
// Issued in `before`.
const tokens = { sh: '', shPositions: '', shEvents: '', yangshan: '', revoked: '' };
let supervisorCookie = '';
let supervisorCsrf = '';
let viewerCookie = '';

const box = (x0: number, y0: number, x1: number, y1: number) => `ST_Multi(ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326))`;

async function seed(pool: TestDatabase['pool']): Promise<void> {
  await pool.query(`
    INSERT INTO districts (code, name_zh, name_en, level, parent, area) VALUES
      ('0000', '海关总署', 'HQ', 'hq', NULL, ${box(73, 3, 136, 54)}),
      ('2200', '上海海关', 'Shanghai', 'direct', '0000', ${box(120, 30, 122.5, 32)}),
      ('2248', '洋山海关', 'Yangshan', 'office', '2200', ${box(121.9, 30.5, 122.2, 30.7)}),
      ('5100', '广州海关', 'Guangzhou', 'direct', '0000', ${box(112, 22, 114.5, 24)});
    INSERT INTO sites (code, name_zh, name_en, kind, district, area) VALUES
      ('SH-GATE', '上海卡口', 'SH gate', 'border', '2200', ST_MakeEnvelope(121.4, 31.2, 121.41, 31.21, 4326)),
      ('GZ-GATE', '广州卡口', 'GZ gate', 'border', '5100', ST_MakeEnvelope(113.2, 23.1, 113.21, 23.11, 4326));
    INSERT INTO assets (key, kind, label, plate, district) VALUES
      ('tel:013900000001', 'vehicle', '沪A00001', '沪A00001', '2200'),
      ('tel:013900000002', 'vehicle', '粤A00002', '粤A00002', '5100');
    INSERT INTO consignments (reference, seal_id, asset_id, origin_site, dest_site, departure, deadline, status, districts)
    SELECT 'SH-REF-1', 'SEAL-SH', a.id, s.id, s.id, now() - interval '1 hour', now() + interval '5 hours', 'in_transit', '{2200}'
    FROM assets a, sites s WHERE a.key = 'tel:013900000001' AND s.code = 'SH-GATE';
    INSERT INTO consignments (reference, seal_id, asset_id, origin_site, dest_site, departure, deadline, status, districts)
    SELECT 'GZ-REF-2', 'SEAL-GZ', a.id, s.id, s.id, now() - interval '1 hour', now() + interval '5 hours', 'in_transit', '{5100}'
    FROM assets a, sites s WHERE a.key = 'tel:013900000002' AND s.code = 'GZ-GATE';`);
}

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    INGEST_TOKEN: LEGACY,
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
    STORE_FLUSH_MS: '60000',
  });
  app = await startApp(config, { say: () => {}, seed });
  tokens.sh = (await issueIngestToken(db.pool, { name: 'sh-gate', district: '2200', kind: 'both' })).token;
  tokens.shPositions = (await issueIngestToken(db.pool, { name: 'sh-tracker', district: '2200', kind: 'positions' })).token;
  tokens.shEvents = (await issueIngestToken(db.pool, { name: 'sh-wms', district: '2200', kind: 'events' })).token;
  tokens.yangshan = (await issueIngestToken(db.pool, { name: 'ys-gate', district: '2248', kind: 'both' })).token;
  tokens.revoked = (await issueIngestToken(db.pool, { name: 'old-gate', district: '2200', kind: 'both' })).token;
  await revokeIngestToken(db.pool, 'old-gate');
  const sup = await createTestUser(db.pool, { username: 'sh-sup', role: 'supervisor', district: '2200' });
  supervisorCookie = await sessionCookie(app.sessions, sup);
  supervisorCsrf = (await app.sessions.resolve(supervisorCookie.split('=')[1]!))!.csrf;
  viewerCookie = await sessionCookie(app.sessions, await createTestUser(db.pool, { username: 'sh-view', role: 'viewer', district: '2200' }));
});
after(async () => {
  await app.close();
  await db.drop();
});

function request(path: string, body: unknown, auth: { token?: string; cookie?: string; csrf?: string } = {}): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-tw-client-ip': '203.0.113.9' };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.csrf) headers[CSRF_HEADER] = auth.csrf;
  return new Request(`http://localhost${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
const positions = (body: unknown, auth: Parameters<typeof request>[2]) => postPositions(request('/api/ingest/positions', body, auth));
const events = (body: unknown, auth: Parameters<typeof request>[2]) => postEvents(request('/api/ingest/events', body, auth));

let clock = Date.now() - 600_000;
const fix = (assetKey: string, extra: Record<string, unknown> = {}) => ({ assetKey, kind: 'vehicle', time: (clock += 1000), lon: 121.45, lat: 31.22, speed: 30, ...extra });

async function storedSources(assetKey: string): Promise<string[]> {
  await app.writer.flush();
  const { rows } = await db.pool.query(`SELECT p.source FROM positions p JOIN assets a ON a.id = p.asset_id WHERE a.key = $1 ORDER BY p.time`, [assetKey]);
  return rows.map((r) => r.source);
}
async function auditRows(action: string): Promise<{ username: string; entity: string; entity_id: string; after: Record<string, unknown>; ip: string; user_id: number | null }[]> {
  const { rows } = await db.pool.query(`SELECT username, entity, entity_id, after, ip, user_id FROM audit_log WHERE action = $1 ORDER BY id`, [action]);
  return rows;
}
const eventCount = async () => Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);

test("attack: a source in the body is ignored; the stored source is the token's (http:<name>), the legacy token's (http:env) or the user's", async () => {
  const key = 'tel:013900000001';
  const claimed = ['sim', 'jt808', 'replay', 'anything-at-all', undefined];
  const res = await positions({ reports: claimed.map((source) => fix(key, source === undefined ? {} : { source })) }, { token: tokens.sh });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { accepted: 5, rejected: [] });
  assert.equal((await positions([fix(key, { source: 'ais' })], { token: LEGACY })).status, 200);
  assert.equal((await positions([fix(key, { source: 'osmand' })], { cookie: supervisorCookie, csrf: supervisorCsrf })).status, 200);
  assert.deepEqual(await storedSources(key), [...Array(5).fill('http:sh-gate'), 'http:env', 'user:sh-sup']);
});

test("attack: a scoped token may not post fixes for another district's truck; an unknown asset gets the same answer; neither is stored or created", async () => {
  const res = await positions([fix('tel:013900000002'), fix('tel:013999999999'), fix('tel:013900000001')], { token: tokens.sh });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.accepted, 1);
  assert.deepEqual(
    body.rejected.map((r: { index: number }) => r.index),
    [0, 1],
  );
  const [outOfScope, unknown] = body.rejected.map((r: { reason: string }) => r.reason);
  assert.equal(outOfScope.replace('013900000002', 'X'), unknown.replace('013999999999', 'X'), 'one answer for both');
  assert.match(outOfScope, /^assetKey:/);
  assert.deepEqual(await storedSources('tel:013900000002'), []);
  assert.equal((await db.pool.query(`SELECT 1 FROM assets WHERE key = 'tel:013999999999'`)).rowCount, 0);
  // An office token sees Shanghai's truck only while it carries a movement touching the office: it does not here.
  const ys = await (await positions([fix('tel:013900000001')], { token: tokens.yangshan })).json();
  assert.equal(ys.accepted, 0);
  // HQ scope (the legacy token) may introduce a new asset, as the demo's systems do.
  assert.deepEqual(await (await positions([fix('tel:013977777777')], { token: LEGACY })).json(), { accepted: 1, rejected: [] });
});

test("attack: an event naming another district's movement, truck, seal or site answers like an unknown one and writes nothing to it", async () => {
  const t = Date.now() - 60_000;
  const before = await eventCount();
  const res = await events(
    {
      events: [
        { kind: 'seal_opened', time: t, reference: 'GZ-REF-2' },
        { kind: 'seal_opened', time: t, reference: 'NO-SUCH-REF' },
        { kind: 'gate_in', time: t, plate: '粤A00002' },
        { kind: 'gate_in', time: t, plate: '粤Z99999' },
        { kind: 'gate_in', time: t, site: 'GZ-GATE', plate: '沪A00001' },
        { kind: 'gate_in', time: t, site: 'NO-SITE', plate: '沪A00001' },
      ],
    },
    { token: tokens.sh },
  );
  assert.equal(res.status, 422);
  const body = await res.json();
  assert.equal(body.stored, 0);
  const reasons = body.rejected.map((r: { reason: string }) => r.reason);
  assert.equal(reasons[0].replace('GZ-REF-2', 'X'), reasons[1].replace('NO-SUCH-REF', 'X'));
  assert.equal(reasons[2], reasons[3]);
  assert.equal(reasons[4].replace('GZ-GATE', 'X'), reasons[5].replace('NO-SITE', 'X'));
  assert.equal(await eventCount(), before, 'nothing stored');
  // A seal of another district's movement is not tied to it: stored as the sender's own, unattached.
  const seal = await (await events([{ kind: 'seal_checked', time: t, sealId: 'SEAL-GZ' }], { token: tokens.sh })).json();
  const { rows } = await db.pool.query('SELECT consignment_id, asset_id, source FROM events WHERE id = $1', [seal.ids[0]]);
  assert.deepEqual(rows[0], { consignment_id: null, asset_id: null, source: 'http:sh-gate' });
  // Through a signed-in supervisor: their jurisdiction is the scope.
  const sup = await (await events([{ kind: 'seal_opened', time: t, reference: 'GZ-REF-2' }], { cookie: supervisorCookie, csrf: supervisorCsrf })).json();
  assert.equal(sup.stored, 0);
  assert.equal(sup.rejected[0].reason.replace('GZ-REF-2', 'X'), reasons[1].replace('NO-SUCH-REF', 'X'));
  const { rows: gz } = await db.pool.query(`SELECT count(*)::int AS n FROM events e JOIN consignments c ON c.id = e.consignment_id WHERE c.reference = 'GZ-REF-2'`);
  assert.equal(gz[0].n, 0, 'no event ever reached the Guangzhou movement');
});

test("positive: an event within scope is tied to the movement, the truck and the site, with the token's source; the answer holds ids only", async () => {
  const res = await events(
    [
      { kind: 'gate_out', time: Date.now() - 30_000, site: 'SH-GATE', plate: '沪A00001' },
      { kind: 'seal_checked', time: Date.now() - 20_000, reference: 'SH-REF-1' },
    ],
    { token: tokens.shEvents },
  );
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), ['ids', 'rejected', 'stored']);
  assert.equal(body.stored, 2);
  const { rows } = await db.pool.query(
    `SELECT c.reference, a.key, s.code AS site, e.source FROM events e LEFT JOIN consignments c ON c.id = e.consignment_id
     LEFT JOIN assets a ON a.id = e.asset_id LEFT JOIN sites s ON s.id = e.site_id WHERE e.id = ANY ($1) ORDER BY e.id`,
    [body.ids],
  );
  assert.deepEqual(rows, [
    { reference: 'SH-REF-1', key: 'tel:013900000001', site: 'SH-GATE', source: 'http:sh-wms' },
    { reference: 'SH-REF-1', key: 'tel:013900000001', site: null, source: 'http:sh-wms' },
  ]);
});

test('attack: every ingest call is audited once, with counts by reason, who and from where; not one row per fix', async () => {
  const before = (await auditRows('ingest_positions')).length;
  const beforeEvents = (await auditRows('ingest_events')).length;
  const key = 'tel:013900000001';
  const reports = [fix(key), fix(key), fix(key), fix(key, { lat: 95 }), fix('tel:013900000002'), fix(key, { time: Date.now() + 3_600_000 })];
  assert.equal((await positions(reports, { token: tokens.shPositions })).status, 200);
  const rows = (await auditRows('ingest_positions')).slice(before);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0], {
    username: 'http:sh-tracker',
    entity: 'ingest_token',
    entity_id: 'sh-tracker',
    ip: '203.0.113.9',
    user_id: null,
    after: { accepted: 3, rejected: 3, reasons: { lat: 1, assetKey: 1, time: 1 }, scope: '2200' },
  });
  // A body that is not JSON is audited too; so are events, and a supervisor's call names the user.
  assert.equal((await positions('not json', { token: tokens.sh })).status, 400);
  await events([{ kind: 'gate_in', time: Date.now() - 1000, reference: 'GZ-REF-2' }], { cookie: supervisorCookie, csrf: supervisorCsrf });
  const more = (await auditRows('ingest_positions')).slice(before + 1);
  assert.deepEqual(
    more.map((r) => [r.username, r.after.accepted, r.after.reasons]),
    [['http:sh-gate', 0, { body: 1 }]],
  );
  const ev = (await auditRows('ingest_events')).slice(beforeEvents);
  assert.deepEqual(
    ev.map((r) => [r.username, r.entity, r.after.accepted, r.after.reasons]),
    [['user:sh-sup', 'user', 0, { reference: 1 }]],
  );
  assert.equal(typeof ev[0]!.user_id, 'number');
  // The audit rows are chained into the ledger like every audit row.
  const { rows: chained } = await db.pool.query(
    `SELECT count(*)::int AS n FROM ledger WHERE kind = 'audit' AND payload->>'id' IN (SELECT id::text FROM audit_log WHERE action IN ('ingest_positions', 'ingest_events'))`,
  );
  assert.equal(chained[0].n, (await auditRows('ingest_positions')).length + (await auditRows('ingest_events')).length);
});

test('a token posts only its kind (403); a revoked or made-up token and no credential get 401; a viewer 403; nothing is audited for them', async () => {
  const audited = async () => (await auditRows('ingest_positions')).length + (await auditRows('ingest_events')).length;
  const before = await audited();
  assert.equal((await events([{ kind: 'gate_in', time: Date.now(), reference: 'SH-REF-1' }], { token: tokens.shPositions })).status, 403);
  assert.equal((await positions([fix('tel:013900000001')], { token: tokens.shEvents })).status, 403);
  assert.equal((await positions([fix('tel:013900000001')], { token: tokens.revoked })).status, 401);
  assert.equal((await positions([fix('tel:013900000001')], { token: 'twi_made-up-token-that-was-never-issued-000000' })).status, 401);
  assert.equal((await positions([fix('tel:013900000001')], {})).status, 401);
  assert.equal((await positions([fix('tel:013900000001')], { cookie: viewerCookie })).status, 403);
  assert.equal(await audited(), before);
});

test('the guard lets a valid ingest token through to /api/ingest/* only, and refuses a revoked one', async () => {
  const base = `http://127.0.0.1:${app.port}`;
  const post = (path: string, token: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '[]' });
  // Past the guard there is no Next handler in this test server: 404 means "let through".
  assert.equal((await post('/api/ingest/positions', tokens.sh)).status, 404);
  assert.equal((await post('/api/ingest/events', LEGACY)).status, 404);
  assert.equal((await post('/api/ingest/positions', tokens.revoked)).status, 401);
  assert.equal((await post('/api/consignments', tokens.sh)).status, 401, 'an ingest token is no session elsewhere');
});
