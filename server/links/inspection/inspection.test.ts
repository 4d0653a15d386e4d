// The inspection link through the real receiver, server and PostGIS: a flag (message or officer in
// the console) makes a task at the destination, the task list shows it within jurisdiction, the
// sweep raises INSPECTION_OVERDUE once the flagged movement has arrived and waited, and the result
// closes the task and clears the alert.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POST as postFlag } from '@/app/api/consignments/[id]/inspection/route';
import { GET as getTasks } from '@/app/api/inspections/route';
import { createTestUser, sessionCookie } from '../../auth/testing';
import { customsTimeString } from '../fields';
import { verifyLedger } from '../../ledger/verify';
import { startLinkTestServer, type LinkTestServer } from '../testing';
import type { LinkSystem } from '../types';
import { buildTransitDeclaration, buildTransitRelease } from '../transit/build';
import { advanceDeclaration, type DeclarationStatus } from '../transit/progress';

const FIXTURES = join(import.meta.dirname, 'fixtures');
/** A fixture sent a minute ago. */
const fixture = (name: string) =>
  readFileSync(join(FIXTURES, name), 'utf8')
    .replace(/<SendTime>\d+<\/SendTime>/, `<SendTime>${customsTimeString(Date.now() - 60_000)}</SendTime>`)
    .replace(/"SendTime": "[^"]+"/, `"SendTime": "${customsTimeString(Date.now() - 60_000)}"`);

let s: LinkTestServer;
const ids: Record<string, number> = {};
const cookies: Record<string, string> = {};

/** The gate link's part (departed, arrived), as a probe message calling advanceDeclaration. */
const probe: LinkSystem<{ consignment: number; to: DeclarationStatus; time: number }> = {
  name: 'gate',
  parse(text) {
    const o = JSON.parse(text) as { id: string; consignment: number; to: DeclarationStatus; time: number };
    return { messageId: o.id, messageType: 'PROBE', doc: o };
  },
  async apply(ctx, msg) {
    await advanceDeclaration(ctx, msg.doc.consignment, msg.doc.to, msg.doc.time);
    return { summary: {}, movements: [msg.doc.consignment] };
  },
};
const gate = (consignment: number, to: DeclarationStatus, time: number) =>
  s.app.links.receiver.receive('gate', JSON.stringify({ id: `G-${consignment}-${to}`, consignment, to, time }), s.caller('2200', 'http:probe-gate'));
const receive = (text: string, district: '0000' | '2200' | '2248' | '5100' = '2200') => s.app.links.receiver.receive('inspection', text, s.caller(district));

async function declare(preId: string): Promise<number> {
  const text = buildTransitDeclaration({
    messageId: `TRN-${preId}`,
    sentAt: Date.now() - 5 * 3_600_000,
    preId,
    plate: '沪A12345',
    originCustoms: '2248',
    destCustoms: '2200',
    originSite: 'YS-TERM',
    destSite: 'WGQ-BZ',
    validTime: Date.now() + 8 * 3_600_000,
    bills: [{ billNo: `BL${preId.slice(-6)}`, voyageNo: '061E' }],
    containers: [{ containerNo: 'CSNU6184520', model: '45G1', sealNo: 'ES2248000981' }],
  });
  const r = await s.app.links.receiver.receive('transit', text, s.caller('2200'));
  return r.summary.movement as number;
}

async function tasks(cookie: string, query = ''): Promise<{ status: number; tasks: Record<string, unknown>[] }> {
  const res = await getTasks(new Request(`http://localhost/api/inspections${query}`, { headers: { cookie } }));
  return { status: res.status, tasks: res.status === 200 ? (await res.json()).tasks : [] };
}

/** The receiver clears after the commit, off the caller's path: wait for it. */
async function cleared(episode: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const r = await s.db.pool.query('SELECT cleared_at FROM alerts WHERE episode = $1', [episode]);
    if (r.rows[0]?.cleared_at) return true;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return false;
}

before(async () => {
  // Goods not received (the site ledger's sweep) would be due too: this file counts inspection alerts only.
  s = await startLinkTestServer(undefined, { LINKS_INSPECTION_MINUTES: '60', LINKS_RECEIVE_MINUTES: '10080' });
  s.app.links.receiver.register(probe as LinkSystem);
  ids.first = await declare('224820261000030001');
  ids.second = await declare('224820261000030002');
  for (const [name, role, district] of [
    ['officer-sh', 'officer', '2200'],
    ['viewer-sh', 'viewer', '2200'],
    ['officer-gz', 'officer', '5100'],
  ] as const) {
    cookies[name] = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: name, role, district }));
  }
});
after(() => s.close());

test('a flag message makes an open task at the destination, on the timeline and audited; a second flag is a conflict', async () => {
  const flag = fixture('flag.xml');
  const r = await receive(flag);
  assert.equal(r.status, 'applied');
  assert.equal(r.messageType, 'InspFlag');
  assert.equal(r.summary.status, 'flagged');
  assert.equal(r.summary.site, 'WGQ-BZ');
  assert.equal(r.summary.reason, '风险布控：申报品名与舱单不符，抵达后开箱查验');
  const row = (await s.db.pool.query('SELECT consignment_id, flagged_by, result FROM inspections WHERE id = $1', [r.summary.inspection])).rows[0];
  assert.deepEqual(row, { consignment_id: ids.first, flagged_by: 'http:test-2200', result: null });
  const ev = await s.db.pool.query(`SELECT kind FROM events WHERE consignment_id = $1 AND kind LIKE 'inspection_%'`, [ids.first]);
  assert.deepEqual(ev.rows, [{ kind: 'inspection_flagged' }]);
  const audit = await s.db.pool.query(`SELECT username FROM audit_log WHERE action = 'inspection_flag' AND entity_id = $1`, [String(r.summary.inspection)]);
  assert.equal(audit.rows[0].username, 'link:inspection:http:test-2200');
  const docs = await s.db.pool.query('SELECT consignment_id FROM link_message_movements WHERE message_id = $1', [r.id]);
  assert.deepEqual(docs.rows, [{ consignment_id: ids.first }]);
  await assert.rejects(receive(fixture('flag.xml').replace('INSP-2200-20261205-000045', 'INSP-AGAIN')), /already has an open inspection/);
  // The same message again is the first answer, not a conflict.
  assert.equal((await receive(flag)).status, 'duplicate');
});

test('another district and an unknown movement get the same answer; bad messages name the field', async () => {
  const seen: string[] = [];
  for (const [ref, district] of [
    ['224820261000030002', '5100'],
    ['999920261000000000', '2200'],
  ] as const) {
    await receive(fixture('flag.xml').replace('224820261000030001', ref).replace('INSP-2200-20261205-000045', `INSP-${ref}`), district).then(
      () => assert.fail('accepted'),
      (err: Error & { kind?: string }) => seen.push(`${err.kind}: ${err.message.replace(ref, 'X')}`),
    );
  }
  assert.deepEqual(seen, ['not_found: Inspection.Reference: no movement X that you may report on', 'not_found: Inspection.Reference: no movement X that you may report on']);
  await assert.rejects(receive(fixture('result.xml').replace(/<NewSealNo>.*<\/NewSealNo>/, '')), /Inspection\.NewSealNo: a replaced seal needs the new seal number/);
  await assert.rejects(receive(fixture('result.xml').replace('seal_replaced', 'maybe')), /Inspection\.Result: one of passed, issue, seal_replaced/);
  await assert.rejects(receive(fixture('flag.xml').replace(/<Reason>.*<\/Reason>/, '')), /Inspection\.Reason/);
  await assert.rejects(receive(fixture('flag.xml').replace(/<Reference>.*<\/Reference>/, '')), /Inspection\.Reference/);
  await assert.rejects(receive(fixture('flag.json').replace('"WGQ-BZ"', '"GZ-WH"').replace('000047', '000099')), /Inspection\.Site: no site GZ-WH that you may name/);
});

test('the task list: within jurisdiction, by site and state', async () => {
  const mine = await tasks(cookies['officer-sh']!, '?site=WGQ-BZ&state=open');
  assert.equal(mine.status, 200);
  assert.equal(mine.tasks.length, 1);
  const t = mine.tasks[0]!;
  assert.equal(t.consignmentId, ids.first);
  assert.equal(t.reference, '224820261000030001');
  assert.equal(t.plate, '沪A12345');
  assert.equal(t.site, 'WGQ-BZ');
  assert.equal(t.siteName, '外高桥保税区');
  assert.equal(t.flaggedBy, 'http:test-2200');
  assert.equal(t.arrivedAt, null);
  assert.equal(t.result, null);
  assert.deepEqual((await tasks(cookies['officer-gz']!, '?state=all')).tasks, []);
  assert.deepEqual((await tasks(cookies['officer-sh']!, '?state=done')).tasks, []);
  assert.deepEqual((await tasks(cookies['officer-sh']!, '?site=YS-TERM')).tasks, []);
  assert.equal((await tasks(cookies['officer-sh']!, '?state=soon')).status, 400);
  assert.equal((await tasks(cookies['officer-sh']!, '?site=WGQ%00BZ')).status, 400, 'a NUL byte is a 400, not a 500');
});

test('INSPECTION_OVERDUE: raised by the sweep once the flagged movement arrived over an hour ago; the result closes the task and clears it', async () => {
  const task = (await s.db.pool.query('SELECT id FROM inspections WHERE consignment_id = $1', [ids.first])).rows[0].id as number;
  const episode = `INSPECTION_OVERDUE/${task}`;
  assert.equal(await s.app.links.receiver.sweep(), 0, 'not arrived: nothing is due');
  const release = buildTransitRelease({ messageId: 'REL-30001', sentAt: Date.now() - 4 * 3_600_000, preId: '224820261000030001', turnNo: '@2248261205030001' });
  await s.app.links.receiver.receive('transit', release, s.caller('2200'));
  await gate(ids.first!, 'departed', Date.now() - 3 * 3_600_000);
  await gate(ids.first!, 'arrived', Date.now() - 2 * 3_600_000);
  assert.equal(await s.app.links.receiver.sweep(Date.now() - 90 * 60_000), 0, 'thirty minutes after arrival: not yet');
  assert.equal(await s.app.links.receiver.sweep(), 1);
  assert.equal(await s.app.links.receiver.sweep(), 0, 'one alert per task');
  const alert = (await s.db.pool.query('SELECT type, consignment_id, districts, detail FROM alerts WHERE episode = $1', [episode])).rows[0];
  assert.equal(alert.type, 'INSPECTION_OVERDUE');
  assert.equal(alert.consignment_id, ids.first);
  assert.ok(alert.districts.includes('2200'));
  assert.equal(alert.detail.site, 'WGQ-BZ');
  assert.ok((await tasks(cookies['officer-sh']!)).tasks[0]!.arrivedAt);

  const r = await receive(fixture('result.xml'));
  assert.equal(r.summary.status, 'done');
  assert.equal(r.summary.result, 'seal_replaced');
  assert.equal(r.summary.newSeal, 'ES2200004711');
  assert.ok(await cleared(episode), 'the result cleared the alert');
  const done = (await tasks(cookies['officer-sh']!, '?state=done')).tasks;
  assert.equal(done.length, 1);
  assert.equal(done[0]!.result, 'seal_replaced');
  assert.equal(done[0]!.newSeal, 'ES2200004711');
  assert.ok(done[0]!.resultAt);
  // The movement keeps the seal it was declared with (movements change only through MovementService).
  const seal = (await s.db.pool.query('SELECT seal_id FROM consignments WHERE id = $1', [ids.first])).rows[0].seal_id;
  assert.equal(seal, 'ES2248000981');
  const ev = await s.db.pool.query(`SELECT kind, seal_id FROM events WHERE consignment_id = $1 AND kind = 'inspection_result'`, [ids.first]);
  assert.deepEqual(ev.rows, [{ kind: 'inspection_result', seal_id: 'ES2200004711' }]);
  await assert.rejects(receive(fixture('result.xml').replace('INSP-2200-20261205-000046', 'INSP-TWICE')), /has no open inspection/);
  assert.equal(await s.app.links.receiver.sweep(), 0);
});

test('an officer flags in the console (through the same link, audited with the user); JSON flag and result', async () => {
  const post = (cookie: string, id: number, body: unknown) =>
    postFlag(
      new Request(`http://localhost/api/consignments/${id}/inspection`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      {
        params: Promise.resolve({ id: String(id) }),
      },
    );
  assert.equal((await post(cookies['viewer-sh']!, ids.second!, { reason: 'x' })).status, 403);
  assert.equal((await post(cookies['officer-gz']!, ids.second!, { reason: 'x' })).status, 404);
  assert.equal((await post(cookies['officer-sh']!, 999_999, { reason: 'x' })).status, 404);
  assert.equal((await post(cookies['officer-sh']!, ids.second!, { reason: '' })).status, 400);
  assert.equal((await post(cookies['officer-sh']!, ids.second!, { reason: 'a\u0000b' })).status, 400);
  assert.equal((await post(cookies['officer-sh']!, ids.second!, { reason: 'x'.repeat(501) })).status, 400);
  assert.equal((await post(cookies['officer-sh']!, ids.second!, { reason: 'x', site: 'GZ-WH' })).status, 400, 'a site the officer may not name');
  const res = await post(cookies['officer-sh']!, ids.second!, { reason: '现场关员：铅封有划痕' });
  assert.equal(res.status, 201);
  const receipt = await res.json();
  assert.equal(receipt.summary.flaggedBy, 'user:officer-sh');
  const audit = (await s.db.pool.query(`SELECT user_id, username FROM audit_log WHERE action = 'inspection_flag' AND entity_id = $1`, [String(receipt.summary.inspection)]))
    .rows[0];
  assert.ok(audit.user_id, 'audited with the user');
  assert.equal(audit.username, 'link:inspection:user:officer-sh');
  const msg = (await s.db.pool.query('SELECT source, format FROM link_messages WHERE id = $1', [receipt.id])).rows[0];
  assert.deepEqual(msg, { source: 'user:officer-sh', format: 'json' });
  assert.equal((await post(cookies['officer-sh']!, ids.second!, { reason: 'again' })).status, 409);
  // The inspection system's JSON flag meets the open task; its JSON result closes it.
  await assert.rejects(receive(fixture('flag.json')), /already has an open inspection/);
  const r = await receive(fixture('result.json'));
  assert.equal(r.summary.result, 'passed');
  assert.equal(r.summary.reason, '现场关员：铅封有划痕');
  assert.equal((await receive(fixture('flag.json'))).summary.status, 'flagged', 'a new task once the last is done');
});

test('the ledger verifies: every row these messages wrote or changed was chained as it now stands', async () => {
  const v = await verifyLedger(s.db.pool);
  assert.equal(v.ok, true, JSON.stringify(v.firstBad));
});
