// The site ledger link through the real receiver and PostGIS: goods in tie to the movement that
// arrived and clear NOT_RECEIVED, undeclared goods out raise UNDECLARED_OUT, the reconciliation
// sweep (LINKS_RECEIVE_MINUTES from the config), GET /api/sites/{code}/ledger, and the builder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GET as ledgerGET } from '@/app/api/sites/[code]/ledger/route';
import { createTestUser, sessionCookie } from '@/server/auth/testing';
import { DomainError } from '@/server/errors';
import { verifyLedger } from '@/server/ledger/verify';
import { buildGatherInfoXml } from '../gate/build';
import { declareTransit, eventually, seedGateTrucks, truck } from '../gate/testing';
import { startLinkTestServer, type LinkTestServer } from '../testing';
import { buildSiteLedgerXml, type SiteLedgerInput } from './build';
import { parseSiteLedger } from './site-ledger';

let s: LinkTestServer;
let shCookie: string;
let gzCookie: string;
const RECEIVE_MINUTES = 45;
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const receive = (system: 'gate' | 'site-ledger', text: string, district: '2200' | '5100' = '2200') => s.app.links.receiver.receive(system, text, s.caller(district));
let n = 0;
const id = (p: string) => `${p}-${++n}`;

/** The truck passes its destination gate `minutesAgo` minutes before `now`. */
async function gateIn(plate: string, site: string, containers: string[], at: number): Promise<void> {
  const r = await receive('gate', buildGatherInfoXml({ site, channel: 'CH-I-01', direction: 'in', seqNo: id('SEQ'), time: at, plate, containers }));
  assert.equal(r.summary.decision, 'release');
}

const alertOf = (episode: string) => s.db.pool.query(`SELECT * FROM alerts WHERE episode = $1`, [episode]).then((r) => r.rows[0]);

before(async () => {
  s = await startLinkTestServer(seedGateTrucks, { LINKS_RECEIVE_MINUTES: String(RECEIVE_MINUTES) });
  shCookie = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: 'sh-viewer', district: '2200' }));
  gzCookie = await sessionCookie(s.app.sessions, await createTestUser(s.db.pool, { username: 'gz-viewer', district: '5100' }));
});
after(() => s.close());

test('arrived through the gate and not received: NOT_RECEIVED once, after LINKS_RECEIVE_MINUTES; the goods-in ties and clears it', async () => {
  const now = Date.now();
  const cid = await declareTransit(s, {
    reference: 'TRN-SL-ARRIVED',
    plate: '沪A12345',
    origin: 'YS-TERM',
    dest: 'WGQ-BZ',
    status: 'departed',
    containers: [{ no: 'MSKU1234565' }, { no: 'TGHU7654321' }],
    bills: ['COSU6300012345'],
  });
  await gateIn('沪A12345', 'WGQ-BZ', ['MSKU1234565', 'TGHU7654321'], now - 40 * 60_000);
  assert.equal(await s.app.links.receiver.sweep(now), 0, `40 minutes is within the ${RECEIVE_MINUTES} configured`);
  const later = now + 10 * 60_000;
  assert.equal(await s.app.links.receiver.sweep(later), 1);
  assert.equal(await s.app.links.receiver.sweep(later + 60_000), 0, 'raised once');
  const alert = await alertOf(`NOT_RECEIVED/${cid}`);
  assert.equal(alert.type, 'NOT_RECEIVED');
  assert.equal(alert.severity, 'warning');
  assert.equal(alert.consignment_id, cid);
  assert.ok(alert.districts.includes('2200'));

  const r = await receive('site-ledger', fixture('goods_in_waigaoqiao.xml'));
  assert.equal(r.status, 'applied');
  assert.equal(r.messageType, 'GOODS_IO');
  assert.deepEqual(r.summary, {
    site: 'WGQ-BZ',
    direction: 'in',
    records: 2,
    containers: ['MSKU1234565', 'TGHU7654321'],
    bills: ['COSU6300012345'],
    packages: 1652,
    weightKg: 17580.5,
    tied: 2,
    undeclared: [],
  });
  const linked = await s.db.pool.query(`SELECT consignment_id FROM link_message_movements WHERE message_id = $1`, [r.id]);
  assert.deepEqual(linked.rows, [{ consignment_id: cid }]);
  const ev = await s.db.pool.query(`SELECT kind, detail FROM events WHERE consignment_id = $1 AND kind = 'goods_in' ORDER BY id`, [cid]);
  assert.equal(ev.rows.length, 2);
  assert.equal(ev.rows[0].detail.container, 'MSKU1234565');
  const cleared = await eventually(async () => (await alertOf(`NOT_RECEIVED/${cid}`))?.cleared_at, 'NOT_RECEIVED cleared');
  assert.ok(cleared);
  assert.equal(await s.app.links.receiver.sweep(later + 120_000), 0);
  const entries = await s.db.pool.query(`SELECT consignment_id, packages, weight_kg::float8 AS kg FROM site_ledger WHERE message = $1 ORDER BY id`, [r.id]);
  assert.deepEqual(entries.rows, [
    { consignment_id: cid, packages: 860, kg: 8830.5 },
    { consignment_id: cid, packages: 792, kg: 8750 },
  ]);
});

test('goods out with no departing movement: UNDECLARED_OUT (critical) for the site; goods out on a released declaration tie to it', async () => {
  const r = await receive('site-ledger', fixture('goods_out_yangshan.json'));
  assert.deepEqual(r.summary.undeclared, ['CSNU6620417']);
  assert.equal(r.summary.tied, 0);
  const entry = (await s.db.pool.query(`SELECT id FROM site_ledger WHERE message = $1`, [r.id])).rows[0].id;
  const alert = await eventually(() => alertOf(`UNDECLARED_OUT/${entry}`), 'UNDECLARED_OUT');
  assert.equal(alert.type, 'UNDECLARED_OUT');
  assert.equal(alert.severity, 'critical');
  assert.deepEqual(alert.districts, ['2248']);
  assert.equal(alert.detail.container, 'CSNU6620417');

  const cid = await declareTransit(s, { reference: 'TRN-SL-OUT', plate: truck(1), origin: 'YS-TERM', dest: 'WGQ-BZ', status: 'released', containers: [{ no: 'CSNU1100011' }] });
  const t = Date.now() - 5 * 60_000;
  const ok = await receive(
    'site-ledger',
    buildSiteLedgerXml({ messageId: id('OUT'), site: 'YS-TERM', records: [{ direction: 'out', container: 'CSNU1100011', packages: 40, weightKg: 12000, time: t }] }),
  );
  assert.deepEqual(ok.summary.undeclared, []);
  assert.equal(ok.summary.tied, 1);
  const ev = await s.db.pool.query(`SELECT kind FROM events WHERE consignment_id = $1 AND link_message = $2`, [cid, ok.id]);
  assert.deepEqual(ev.rows, [{ kind: 'goods_out' }]);
  const okEntry = (await s.db.pool.query(`SELECT id FROM site_ledger WHERE message = $1`, [ok.id])).rows[0].id;
  assert.equal(await alertOf(`UNDECLARED_OUT/${okEntry}`), undefined);
});

test("another district's site is refused like an unknown one; duplicates are idempotent; bad input names the field", async () => {
  const msg = (site: string, mid = id('X')) => buildSiteLedgerXml({ messageId: mid, site, records: [{ direction: 'in', container: 'CSNU3300033', time: Date.now() - 60_000 }] });
  const theirs = await receive('site-ledger', msg('WGQ-BZ'), '5100').catch((e: unknown) => e);
  const unknown = await receive('site-ledger', msg('NO-SUCH'), '5100').catch((e: unknown) => e);
  assert.ok(DomainError.is(theirs) && DomainError.is(unknown));
  assert.equal(theirs.kind, 'not_found');
  assert.equal(theirs.message.replace('WGQ-BZ', 'X'), unknown.message.replace('NO-SUCH', 'X'));

  const text = msg('WGQ-BZ', 'DUP-1');
  const first = await receive('site-ledger', text);
  const again = await receive('site-ledger', text);
  assert.equal(again.status, 'duplicate');
  assert.equal(again.id, first.id);
  const kept = await s.db.pool.query(`SELECT count(*)::int AS n FROM site_ledger WHERE message = $1`, [first.id]);
  assert.equal(kept.rows[0].n, 1);

  await assert.rejects(receive('site-ledger', text.replace('DUP-1', 'BAD-1').replace('<IEFlag>I</IEFlag>', '<IEFlag>Q</IEFlag>')), /GoodsRecord\.0\.IEFlag/);
  await assert.rejects(receive('site-ledger', text.replace('DUP-1', 'BAD-2').replace('<ContaNo>CSNU3300033</ContaNo>', '')), /name the container \(ContaNo\) or the bill/);
  await assert.rejects(receive('site-ledger', text.replace('DUP-1', 'BAD-3').replace('</ContaNo>', '</ContaNo><PackNo>-4</PackNo>')), /PackNo/);
  await assert.rejects(receive('site-ledger', text.replace('DUP-1', 'BAD-4').replace('GOODS_IO', 'OTHER')), /Head\.MessageType: must be GOODS_IO/);
  await assert.rejects(receive('site-ledger', text.replace('DUP-1', 'BAD-5').replace(/<IOTime>\d+</, '<IOTime>29990101000000<')), /IOTime: in the future/);
});

test('GET /api/sites/{code}/ledger: entries latest first, paged; the balance is the containers in and not out; other districts get 404', async () => {
  const t = Date.now() - 30 * 60_000;
  await receive(
    'site-ledger',
    buildSiteLedgerXml({
      messageId: id('BAL'),
      site: 'GZ-WH',
      records: [
        { direction: 'in', container: 'GZHU0000001', bill: 'B1', packages: 10, weightKg: 1000, time: t },
        { direction: 'in', container: 'GZHU0000002', bill: 'B2', packages: 20, weightKg: 2000, time: t + 60_000 },
        { direction: 'out', container: 'GZHU0000001', bill: 'B1', packages: 10, weightKg: 1000, time: t + 120_000 },
      ],
    }),
    '5100',
  );
  const get = (code: string, cookie: string, query = '') =>
    ledgerGET(new Request(`http://localhost/api/sites/${encodeURIComponent(code)}/ledger${query}`, { headers: { cookie } }), { params: Promise.resolve({ code }) });
  const res = await get('GZ-WH', gzCookie);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.site.code, 'GZ-WH');
  assert.equal(body.balance.containers, 1);
  assert.equal(body.balance.held[0].container, 'GZHU0000002');
  assert.deepEqual(
    body.entries.map((e: { container: string; direction: string }) => `${e.direction}:${e.container}`),
    ['out:GZHU0000001', 'in:GZHU0000002', 'in:GZHU0000001'],
  );
  assert.equal(body.next, null);
  const p1 = await (await get('GZ-WH', gzCookie, '?limit=2')).json();
  assert.equal(p1.entries.length, 2);
  const p2 = await (await get('GZ-WH', gzCookie, `?limit=2&before=${p1.next}`)).json();
  assert.deepEqual(
    p2.entries.map((e: { container: string }) => e.container),
    ['GZHU0000001'],
  );
  assert.equal(p2.next, null);
  assert.equal((await get('GZ-WH', shCookie)).status, 404, "Shanghai may not see Guangzhou's warehouse");
  assert.equal((await get('NO-SUCH', gzCookie)).status, 404);
  assert.equal((await get('GZ-WH', gzCookie, '?limit=100000')).status, 400);
  assert.equal((await get('GZ-WH', '')).status, 401);
  const ys = await (await get('YS-TERM', shCookie)).json();
  assert.ok(ys.entries.length >= 1, 'a direct customs sees its office’s site');
});

test('the builder round-trips', () => {
  const input: SiteLedgerInput = {
    messageId: 'WMS-1',
    site: 'WGQ-BZ',
    records: [
      { direction: 'in', container: 'MSKU1234565', bill: 'COSU&1', reference: 'TRN-1', packages: 12, weightKg: 1234.5, time: Date.parse('2025-12-04T11:32:00+08:00') },
      { direction: 'out', bill: 'B<2>', time: Date.parse('2025-12-04T12:00:00+08:00') },
    ],
  };
  const parsed = parseSiteLedger(buildSiteLedgerXml(input), 'xml');
  assert.equal(parsed.messageId, 'WMS-1');
  assert.equal(parsed.doc.site, 'WGQ-BZ');
  assert.deepEqual(
    parsed.doc.records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))),
    input.records,
  );
  assert.equal(parseSiteLedger(fixture('goods_out_yangshan.json'), 'json').doc.records[0]!.time, Date.parse('2025-12-04T14:02:00+08:00'));
});

test('every gate pass, ledger entry and event written here verifies in the ledger chain', async () => {
  const v = await verifyLedger(s.db.pool);
  assert.equal(v.ok, true, JSON.stringify(v.firstBad));
  const kinds = await s.db.pool.query(`SELECT DISTINCT payload->>'table' AS t FROM ledger WHERE payload ? 'table' ORDER BY 1`);
  const tables = kinds.rows.map((r) => r.t);
  for (const t of ['gate_passes', 'site_ledger', 'events']) assert.ok(tables.includes(t), `${t} is chained`);
});
