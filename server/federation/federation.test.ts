// Federation through two real app instances on two databases, over real HTTP: a regional one whose
// forwarder sends its ledger to a national one. The national is stopped, the regional keeps
// storing, the national comes back on the same port and database, and the regional catches up:
// the same counts on both sides, nothing lost, nothing twice. Then the signed link's refusals, and
// the national's verification of the region's ledger, which names the seq of a tampered record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as batchesApi from '@/app/api/federation/batches/route';
import * as cursorApi from '@/app/api/federation/cursor/route';
import * as recordsApi from '@/app/api/federation/records/route';
import * as regionsApi from '@/app/api/federation/regions/route';
import * as regionApi from '@/app/api/federation/regions/[id]/route';
import * as verifyApi from '@/app/api/federation/regions/[id]/verify/route';
import { createTestUser, sessionCookie } from '@/server/auth/testing';
import { freshDatabase, testPoolMax, type TestDatabase } from '@/db/testing';
import { startApp, type App } from '@/server/app';
import { loadConfig } from '@/server/config';
import { checkpoint } from '@/server/ledger/checkpoint';
import { signedHeaders } from '@/server/links/signing';
import { declareTransit } from '@/server/links/gate/testing';
import { seedLinkWorld, startLinkTestServer, type LinkTestServer } from '@/server/links/testing';
import { federationLag, federationLinkUp, federationReceived, federationRefused } from '@/server/metrics';
import { issueRegion } from './regions';
import { readBatch } from './batchReader';
import { verifyRegion } from './verify';

const REGION = 'shanghai';
let national: App;
let nationalDb: TestDatabase;
let nationalDir: string;
let nationalPort: number;
let regional: LinkTestServer;
let secret: string;
let regionId: number;
let n = 0;

/** What Next does in production: the national's federation routes. */
async function nextLike(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const route =
    req.method === 'POST' && url.pathname === '/api/federation/batches'
      ? batchesApi.POST
      : req.method === 'GET' && url.pathname === '/api/federation/cursor'
        ? cursorApi.GET
        : undefined;
  if (!route) return void res.writeHead(404).end();
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const response = await route(new Request(url, { method: req.method, headers, ...(req.method === 'POST' && { body: Buffer.concat(chunks) }) }));
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

async function startNational(port: number): Promise<App> {
  const config = loadConfig({
    DATABASE_URL: nationalDb.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    SIM: '0',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
    DATA_DIR: nationalDir,
    LINKS_DIR: 'off',
    MAX_BODY_BYTES: String(8 * 1024 * 1024),
  });
  // Started last, its context is the one the route handlers above act in.
  return startApp(config, { handler: nextLike, say: () => {}, ...(port === 0 && { seed: seedLinkWorld }) });
}

const count = async (pool: { query: App['db']['pool']['query'] }, sql: string, params: unknown[] = []) => Number((await pool.query(sql, params)).rows[0].n);

async function waitFor(what: string, ok: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Regional activity: a movement (chained), an alert on it (chained), a batch of positions (chained) and a checkpoint. */
async function activity(rows: number): Promise<void> {
  const i = ++n;
  const id = await declareTransit(regional, { reference: `FED-${i}`, plate: '沪A12345', origin: 'YS-TERM', dest: 'WGQ-BZ', status: null });
  const asset = Number((await regional.db.pool.query(`SELECT id FROM assets WHERE plate = '沪A12345'`)).rows[0].id);
  const raised = await regional.app.alerts.raiseExternal({
    type: 'GATE_MISMATCH',
    assetId: asset,
    consignmentId: id,
    time: Date.now(),
    lon: 121.6,
    lat: 31.34,
    detail: { n: i },
    episode: `fed-${i}`,
    districts: ['2200'],
  });
  assert.ok(raised);
  const t0 = Date.now() - 60_000;
  for (let k = 0; k < rows; k++)
    regional.app.writer.add({
      assetId: asset,
      time: t0 + k * 10,
      lon: 121.6 + k * 1e-5,
      lat: 31.3 + k / 3e5,
      speed: k % 7 === 0 ? undefined : 40.1 + k / 3,
      course: 90,
      source: 'jt808',
    });
  await regional.app.writer.flush();
  await checkpoint(regional.db.pool);
}

const regionalCounts = async () => {
  const p = regional.db.pool;
  return {
    ledger: await count(p, 'SELECT count(*) AS n FROM ledger'),
    positions: await count(p, 'SELECT count(*) AS n FROM positions'),
    consignments: await count(p, 'SELECT count(*) AS n FROM consignments'),
    alerts: await count(p, 'SELECT count(*) AS n FROM alerts'),
    head: await count(p, 'SELECT coalesce(max(seq), 0) AS n FROM ledger'),
  };
};
const nationalCounts = async () => {
  const p = nationalDb.pool;
  return {
    ledger: await count(p, 'SELECT count(*) AS n FROM federated_ledger WHERE region_id = $1', [regionId]),
    positions: await count(p, 'SELECT count(*) AS n FROM federated_positions WHERE region_id = $1', [regionId]),
    consignments: await count(p, `SELECT count(*) AS n FROM federated_records WHERE region_id = $1 AND tbl = 'consignments'`, [regionId]),
    alerts: await count(p, `SELECT count(*) AS n FROM federated_records WHERE region_id = $1 AND tbl = 'alerts'`, [regionId]),
    head: await count(p, 'SELECT coalesce(max(seq), 0) AS n FROM federated_ledger WHERE region_id = $1', [regionId]),
  };
};
const caughtUp = async () => JSON.stringify(await regionalCounts()) === JSON.stringify(await nationalCounts());

before(async () => {
  nationalDb = await freshDatabase();
  nationalDir = mkdtempSync(join(tmpdir(), 'tw-national-'));
  national = await startNational(0);
  nationalPort = national.port;
  const issued = await issueRegion(nationalDb.pool, national.secrets, { code: REGION, name: '上海关区' }, undefined, null);
  secret = issued.secret;
  regionId = issued.id;
  const secretFile = join(nationalDir, 'region.secret');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  chmodSync(secretFile, 0o600);
  const ctx = (await import('@/server/context')).getContext();
  regional = await startLinkTestServer(undefined, {
    FEDERATION_UPSTREAM_URL: `http://127.0.0.1:${nationalPort}`,
    FEDERATION_REGION: REGION,
    FEDERATION_SECRET_FILE: secretFile,
    FEDERATION_POLL_MS: '50',
    FEDERATION_BACKOFF_BASE_MS: '50',
    FEDERATION_BACKOFF_CAP_MS: '400',
    FEDERATION_BATCH_ENTRIES: '7',
    FEDERATION_BATCH_ROWS: '250',
    STORE_FLUSH_MS: '60000',
  });
  // The route handlers act for the national node.
  (await import('@/server/context')).setContext(ctx);
});
let nationalUp = true;
after(async () => {
  await regional?.close();
  if (nationalUp) await national?.close();
  await nationalDb?.drop();
  rmSync(nationalDir, { recursive: true, force: true });
});

test('forwarding: movements, alerts, positions and the ledger reach the national node, with their source region', async () => {
  assert.ok(regional.app.forwarder, 'the rules node runs the forwarder');
  await activity(300);
  await activity(120);
  await waitFor('the first catch-up', caughtUp);
  const r = await regionalCounts();
  assert.equal(r.positions, 420);
  assert.ok(r.consignments === 2 && r.alerts === 2);
  const state = regional.app.forwarder!.state();
  assert.equal(state.link, 'up');
  assert.equal(state.lastSentSeq, r.head);
  assert.equal(state.lag, 0);
  // Source region: the records carry it; the national's own tables hold none of them.
  const own = await count(nationalDb.pool, 'SELECT count(*) AS n FROM consignments');
  assert.equal(own, 0, "the national's own movements are untouched");
  const rec = await nationalDb.pool.query(
    `SELECT g.code, r.doc->>'reference' AS reference FROM federated_records r JOIN federation_regions g ON g.id = r.region_id WHERE r.tbl = 'consignments' ORDER BY 2`,
  );
  assert.deepEqual(
    rec.rows.map((x) => [x.code, x.reference]),
    [
      [REGION, 'FED-1'],
      [REGION, 'FED-2'],
    ],
  );
  const region = (await nationalDb.pool.query('SELECT last_seq::int AS s, head_seq::int AS h, last_batch_at FROM federation_regions WHERE id = $1', [regionId])).rows[0];
  assert.equal(region.s, r.head);
  assert.ok(region.last_batch_at);
});

test('national down: the regional keeps storing; national back: catch-up with exact counts, no loss, no duplicates', async () => {
  nationalUp = false;
  await national.close();
  await activity(200); // stored on the regional while the national is gone
  const changed = Number((await regional.db.pool.query(`SELECT episode FROM alerts ORDER BY id LIMIT 1`)).rows.length);
  assert.equal(changed, 1);
  await regional.app.alerts.clearExternal('fed-1', Date.now(), { note: 'cleared while the link was down' }); // a row changed: chained again
  await activity(50);
  await waitFor('the link seen down', async () => regional.app.forwarder!.state().link === 'down' && regional.app.forwarder!.state().failures >= 2);
  const down = regional.app.forwarder!.state();
  assert.ok(down.downSince && down.lastError);
  assert.equal((await federationLinkUp.get()).values[0]?.value, 0, 'tw_federation_link_up');
  const r = await regionalCounts();
  assert.equal(r.positions, 670, 'the regional stored everything while alone');
  assert.ok((await nationalCounts()).head < r.head);

  national = await startNational(nationalPort);
  nationalUp = true;
  await waitFor('the catch-up', caughtUp);
  assert.equal(regional.app.forwarder!.state().link, 'up');
  await waitFor('the lag gauge at 0', async () => (await federationLag.get()).values[0]?.value === 0);
  assert.equal((await federationLinkUp.get()).values[0]?.value, 1);
  assert.equal((await federationReceived.get()).values[0]?.value, (await regionalCounts()).ledger, 'every entry received once');
  const nat = await nationalCounts();
  assert.deepEqual(nat, await regionalCounts(), 'the same counts on both sides');
  const dupes = await count(
    nationalDb.pool,
    `SELECT count(*) AS n FROM (SELECT batch, asset_id, time FROM federated_positions WHERE region_id = $1 GROUP BY 1, 2, 3 HAVING count(*) > 1) d`,
    [regionId],
  );
  assert.equal(dupes, 0, 'no position twice');
  // The alert's latest state came across.
  const doc = (await nationalDb.pool.query(`SELECT doc FROM federated_records WHERE region_id = $1 AND tbl = 'alerts' AND doc->>'episode' = 'fed-1'`, [regionId])).rows[0].doc;
  assert.ok(doc.cleared_at, 'the cleared alert as it is now');
});

const base = () => `http://127.0.0.1:${nationalPort}`;
async function post(body: string, opts: { region?: string; key?: string; timestamp?: number; nonce?: string } = {}) {
  const headers = signedHeaders(opts.region ?? REGION, opts.key ?? secret, body, { path: '/api/federation/batches', timestamp: opts.timestamp, nonce: opts.nonce });
  const res = await fetch(`${base()}/api/federation/batches`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.json() };
}

test('the signed link refuses: unknown region and bad signature alike 401, stale 401, replay 409, malformed 400, a batch not at the cursor 409 with the cursor', async () => {
  const cursor = (await nationalCounts()).head;
  const body = JSON.stringify({ after: cursor, head: cursor, entries: [] });
  const refusedFor = async (reason: string) => (await federationRefused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
  const signatureRefusals = await refusedFor('signature');
  const unknown = await post(body, { region: 'nowhere' });
  const wrongKey = await post(body, { key: 'x'.repeat(43) });
  assert.equal(unknown.status, 401);
  assert.equal(wrongKey.status, 401);
  assert.deepEqual(unknown.body, wrongKey.body, 'no telling an unknown region from a wrong secret');
  assert.equal(await refusedFor('signature'), signatureRefusals + 2, 'counted');
  assert.equal((await post(body, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status, 401);
  const nonce = 'fed-replay-nonce-0001';
  const malformed = await post(body, { nonce });
  assert.equal(malformed.status, 400);
  assert.match(malformed.body.error, /entries/);
  assert.equal((await post(body, { nonce })).status, 409, 'a replayed nonce');
  const unsigned = await fetch(`${base()}/api/federation/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(unsigned.status, 401);

  // A retried batch (its answer lost): 409 naming the cursor; nothing stored twice.
  const old = (await readBatch(regional.db.pool, 0, { entries: 5, positionRows: 10_000 }))!;
  const before = await nationalCounts();
  const retried = await post(JSON.stringify(old));
  assert.equal(retried.status, 409, JSON.stringify(retried.body));
  assert.equal(retried.body.cursor, cursor);
  assert.deepEqual(await nationalCounts(), before);
  const elsewhere = await post(JSON.stringify({ ...old, after: 1, entries: old.entries.slice(1) }));
  assert.equal(elsewhere.status, 409);
  assert.equal(elsewhere.body.cursor, cursor);
  assert.match((await post(JSON.stringify({ ...old, after: 3 }))).body.error, /entries\.0\.seq: seq 1 is not after 3/, 'out of order: 400 naming the entry');
  // The cursor, asked as the forwarder does on (re)connect.
  const res = await fetch(`${base()}/api/federation/cursor`, { headers: signedHeaders(REGION, secret, '', { method: 'GET', path: '/api/federation/cursor' }) });
  assert.deepEqual(await res.json(), { region: REGION, cursor });
});

test('verify: the forwarded chain, checkpoint roots, positions digests and records check out; a tampered record and position are named by seq', async () => {
  const ok = (await verifyRegion(nationalDb.pool, regionId))!;
  assert.equal(ok.ok, true, JSON.stringify(ok.findings));
  assert.equal(ok.entries, (await regionalCounts()).ledger);
  assert.ok(ok.checkpoints >= 4);
  assert.equal(ok.positionRows, 670);
  assert.equal(ok.rows, 8);

  const rec = (await nationalDb.pool.query(`SELECT id, seq::int AS seq FROM federated_records WHERE region_id = $1 AND tbl = 'consignments' ORDER BY id LIMIT 1`, [regionId]))
    .rows[0];
  await nationalDb.pool.query(`UPDATE federated_records SET doc = jsonb_set(doc, '{status}', '"closed"') WHERE region_id = $1 AND tbl = 'consignments' AND id = $2`, [
    regionId,
    rec.id,
  ]);
  const batch = Number((await nationalDb.pool.query('SELECT max(batch) AS b FROM federated_positions WHERE region_id = $1', [regionId])).rows[0].b);
  await nationalDb.pool.query(`UPDATE federated_positions SET speed = 99 WHERE ctid = (SELECT ctid FROM federated_positions WHERE region_id = $1 AND batch = $2 LIMIT 1)`, [
    regionId,
    batch,
  ]);
  const bad = (await verifyRegion(nationalDb.pool, regionId))!;
  assert.equal(bad.ok, false);
  assert.deepEqual(
    bad.findings.map((f) => [f.seq, f.check]).sort((a, b) => Number(a[0]) - Number(b[0])),
    [
      [rec.seq, 'row'],
      [batch, 'positions'],
    ].sort((a, b) => Number(a[0]) - Number(b[0])),
  );
  assert.match(bad.findings.find((f) => f.check === 'row')!.reason, new RegExp(`consignments ${rec.id} does not match`));

  // The operator's command says the same, and exits 1.
  const cli = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['bin/transitwatch.mjs', 'federation-verify', '--region', REGION], { env: { ...process.env, DATABASE_URL: nationalDb.url } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
  assert.equal(cli.code, 1, cli.err);
  assert.equal(JSON.parse(cli.out).firstBad.seq, Math.min(rec.seq, batch));
  assert.match(cli.err, new RegExp(`the first at seq ${Math.min(rec.seq, batch)}`));
});

test('provisioning: HQ only, the secret once, audited; a revoked region is refused; regions, records and verify over the API', async () => {
  const hq = await sessionCookie(national.sessions, await createTestUser(nationalDb.pool, { username: 'fed-hq', role: 'supervisor', district: '0000' }));
  const sh = await sessionCookie(national.sessions, await createTestUser(nationalDb.pool, { username: 'fed-sh', role: 'supervisor', district: '2200' }));
  const req = (method: string, path: string, cookie: string, body?: unknown) =>
    new Request(`http://127.0.0.1${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
  assert.equal((await regionsApi.POST(req('POST', '/api/federation/regions', sh, { code: 'guangzhou', name: '广州关区' }))).status, 403);
  assert.equal((await regionsApi.GET(req('GET', '/api/federation/regions', sh))).status, 403);
  const res = await regionsApi.POST(req('POST', '/api/federation/regions', hq, { code: 'guangzhou', name: '广州关区' }));
  const gz = await res.json();
  assert.equal(res.status, 201, JSON.stringify(gz));
  assert.equal(gz.secret.length, 43);
  assert.equal((await regionsApi.POST(req('POST', '/api/federation/regions', hq, { code: 'guangzhou', name: 'again' }))).status, 409);
  assert.equal((await regionsApi.POST(req('POST', '/api/federation/regions', hq, { code: 'Bad Code', name: 'x' }))).status, 400);
  const listed = await (await regionsApi.GET(req('GET', '/api/federation/regions', hq))).json();
  assert.deepEqual(
    listed.map((r: { code: string; lag: number }) => [r.code, r.lag]),
    [
      ['guangzhou', 0],
      [REGION, 0],
    ],
  );
  assert.equal(JSON.stringify(listed).includes(gz.secret), false, 'never a secret in the list');
  const sealed = (await nationalDb.pool.query('SELECT secret FROM federation_regions WHERE code = $1', ['guangzhou'])).rows[0].secret;
  assert.ok(sealed.startsWith('v1:') && !sealed.includes(gz.secret), 'sealed at rest');

  const cursorAs = (key: string) =>
    fetch(`${base()}/api/federation/cursor`, { headers: signedHeaders('guangzhou', key, '', { method: 'GET', path: '/api/federation/cursor' }) }).then((r) => r.status);
  assert.equal(await cursorAs(gz.secret), 200);
  const revoked = await regionApi.DELETE(req('DELETE', `/api/federation/regions/${gz.id}`, hq), { params: Promise.resolve({ id: String(gz.id) }) });
  assert.equal(revoked.status, 200);
  assert.ok((await revoked.json()).revokedAt);
  assert.equal(await cursorAs(gz.secret), 401, 'a revoked region is refused');
  const audited = (await nationalDb.pool.query(`SELECT action FROM audit_log WHERE entity = 'federation_region' AND entity_id = $1 ORDER BY id`, [String(gz.id)])).rows;
  assert.deepEqual(
    audited.map((a) => a.action),
    ['federation_region_issue', 'federation_region_revoke'],
  );

  const records = await (await recordsApi.GET(req('GET', '/api/federation/records?table=alerts', hq))).json();
  assert.equal(records.length, 4);
  assert.ok(records.every((r: { region: string; regionName: string }) => r.region === REGION && r.regionName === '上海关区'));
  const verified = await verifyApi.GET(req('GET', `/api/federation/regions/${regionId}/verify`, hq), { params: Promise.resolve({ id: String(regionId) }) });
  const v = await verified.json();
  assert.equal(verified.status, 200);
  assert.equal(v.ok, false, 'the tampered record of the test before');
  assert.equal(v.findingsTotal, 2);
});
