// The transit declaration link through the real receiver, server and PostGIS: a declaration
// creates a watched movement (route, deadline, vehicle, e-seal, bills, containers), release and
// write-off and cancel move it, refusals keep nothing, jurisdiction gives no oracle, MessageIDs
// are idempotent, and POST /api/links/transit answers 201 then 200.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POST as postLink } from '@/app/api/links/[system]/route';
import { customsTimeString } from '../fields';
import { verifyLedger } from '../../ledger/verify';
import { startLinkTestServer, type LinkTestServer } from '../testing';
import type { LinkSystem } from '../types';
import { advanceDeclaration, type DeclarationStatus } from './progress';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

let s: LinkTestServer;

/**
 * The gate link's part (departed, arrived) stands in here as a probe message: `<Probe><Head>
 * <MessageID/></Head><Consignment/><To/><Time/></Probe>` calls advanceDeclaration like the gate will.
 */
const probe: LinkSystem<{ consignment: number; to: DeclarationStatus; time: number }> = {
  name: 'gate',
  parse(text) {
    const o = JSON.parse(text) as { id: string; consignment: number; to: DeclarationStatus; time: number };
    return { messageId: o.id, messageType: 'PROBE', doc: o };
  },
  async apply(ctx, msg) {
    const step = await advanceDeclaration(ctx, msg.doc.consignment, msg.doc.to, msg.doc.time, { gate: 'probe' });
    return { summary: { step: step?.to ?? 'none' }, movements: [msg.doc.consignment] };
  },
};

/** The fixture with its times moved to now: sent a minute ago, due in eight hours. */
function fresh(text: string, now = Date.now()): string {
  return text
    .replace(/<SendTime>\d+<\/SendTime>/, `<SendTime>${customsTimeString(now - 60_000)}</SendTime>`)
    .replace(/<ValidTime>\d+<\/ValidTime>/, `<ValidTime>${customsTimeString(now + 8 * 3_600_000).slice(0, 14)}</ValidTime>`)
    .replace(/"SendTime": "[^"]+"/, `"SendTime": "${customsTimeString(now - 60_000)}"`)
    .replace(/"ValidTime": "[^"]+"/, `"ValidTime": "${customsTimeString(now + 8 * 3_600_000).slice(0, 14)}"`);
}

const receive = (text: string, district: '0000' | '2200' | '2248' | '5100' = '2200') => s.app.links.receiver.receive('transit', text, s.caller(district));
const declaration = async (preId: string) =>
  (
    await s.db.pool.query(
      'SELECT t.*, k.status AS movement_status, k.id AS movement FROM transit_declarations t JOIN consignments k ON k.id = t.consignment_id WHERE pre_id = $1',
      [preId],
    )
  ).rows[0];
const gate = (consignment: number, to: DeclarationStatus, id: string, time = Date.now()) =>
  s.app.links.receiver.receive('gate', JSON.stringify({ id, consignment, to, time }), s.caller('2248', 'http:probe-gate'));

/** A manifest (MT1101) of COSCO TEST voyage 061E that declared the first bill, as the manifest link stores it. */
async function seedManifest(pool: import('pg').Pool): Promise<void> {
  await pool.query(`
    WITH msg AS (
      INSERT INTO link_messages (system, message_id, message_type, format, via, source, district, raw, raw_sha256)
      VALUES ('manifest', 'MT1101-SEED', 'MT1101', 'xml', 'http', 'http:seed', '2200', '<Manifest/>', '\\x00') RETURNING id),
    m AS (
      INSERT INTO manifests (vessel_id, journey_id, vessel_imo, vessel_name, district, message)
      SELECT 'UN9000001', '061E', '9000001', 'COSCO TEST', '2200', id FROM msg RETURNING id)
    INSERT INTO manifest_bills (manifest_id, bill_no, gross_mass, goods) SELECT id, 'COSU6123456780', 21500, 'FROZEN MACKEREL' FROM m`);
}

before(async () => {
  s = await startLinkTestServer(seedManifest);
  s.app.links.receiver.register(probe as LinkSystem);
});
after(() => s.close());

test('a declaration creates a planned, watched movement on the approved route with its vehicle, e-seal, bills and containers', async () => {
  const r = await receive(fresh(fixture('declaration.xml')));
  assert.equal(r.status, 'applied');
  assert.equal(r.messageType, 'TrnDeclaration');
  const d = await declaration('224820261000012345');
  assert.equal(d.status, 'declared');
  assert.equal(d.movement_status, 'planned');
  assert.equal(d.origin_customs, '2248');
  assert.equal(d.dest_customs, '2200');
  assert.equal(d.e_seal, true);
  assert.equal(d.traf_customs_no, '沪A12345');
  const m = s.app.movements.get(d.movement);
  assert.ok(m, 'the movement is open and in the index the rules watch');
  assert.equal(m.status, 'planned');
  const k = (
    await s.db.pool.query(
      `SELECT k.reference, k.seal_id, k.carrier, k.goods, r.code AS route, a.plate, o.code AS origin, t.code AS dest FROM consignments k JOIN routes r ON r.id = k.route_id
       JOIN assets a ON a.id = k.asset_id JOIN sites o ON o.id = k.origin_site JOIN sites t ON t.id = k.dest_site WHERE k.id = $1`,
      [d.movement],
    )
  ).rows[0];
  assert.deepEqual(k, {
    reference: '224820261000012345',
    seal_id: 'ES2248000981',
    carrier: '上海洋山集装箱运输有限公司',
    goods: 'FROZEN MACKEREL',
    route: 'YS-WGQ',
    plate: '沪A12345',
    origin: 'YS-TERM',
    dest: 'WGQ-BZ',
  });
  const bills = await s.db.pool.query(
    'SELECT bill_no, voyage_no, ie_date::text, manifest_id IS NOT NULL AS on_manifest FROM transit_bills WHERE declaration_id = $1 ORDER BY bill_no',
    [d.id],
  );
  assert.deepEqual(bills.rows, [
    { bill_no: 'COSU6123456780', voyage_no: '061E', ie_date: '2026-12-04', on_manifest: true },
    { bill_no: 'COSU6123456791', voyage_no: '061E', ie_date: '2026-12-04', on_manifest: false },
  ]);
  assert.equal(r.summary.goods, 'FROZEN MACKEREL', 'the goods as the manifest declared them');
  assert.deepEqual(r.summary.manifestBills, ['COSU6123456780']);
  const containers = await s.db.pool.query('SELECT container_no, model, seal_no FROM transit_containers WHERE declaration_id = $1 ORDER BY container_no', [d.id]);
  assert.deepEqual(containers.rows, [
    { container_no: 'CBHU3202732', model: '22G1', seal_no: null },
    { container_no: 'CSNU6184520', model: '45G1', seal_no: 'ES2248000981' },
  ]);
  assert.equal(r.summary.status, 'declared');
  assert.equal(r.summary.declaration, '224820261000012345');
  assert.equal(r.summary.eseal, 'ES2248000981');
  assert.equal(r.summary.plate, '沪A12345');
  assert.equal(r.summary.route, 'YS-WGQ');
  assert.deepEqual(r.summary.containers, ['CSNU6184520', 'CBHU3202732']);
  const ev = await s.db.pool.query(`SELECT kind, link_message::int AS msg FROM events WHERE consignment_id = $1 ORDER BY id`, [d.movement]);
  assert.deepEqual(ev.rows, [{ kind: 'trn_declared', msg: r.id }]);
  const docs = await s.db.pool.query('SELECT consignment_id FROM link_message_movements WHERE message_id = $1', [r.id]);
  assert.deepEqual(docs.rows, [{ consignment_id: d.movement }]);
  const audit = await s.db.pool.query(`SELECT username FROM audit_log WHERE action = 'consignment_declare' AND entity_id = $1`, [String(d.movement)]);
  assert.equal(audit.rows[0].username, 'link:transit:http:test-2200');
});

test('a duplicate MessageID gets the first answer; another declaration under the same TrnPreId is a conflict', async () => {
  const text = fresh(fixture('declaration.xml')).replace('TRN-2248-20261205-000123', 'TRN-DUP-1').replace('224820261000012345', '224820261000019999');
  const first = await receive(text);
  const second = await receive(text);
  assert.equal(second.status, 'duplicate');
  assert.equal(second.id, first.id);
  assert.deepEqual(second.summary, first.summary);
  await assert.rejects(receive(text.replace('TRN-DUP-1', 'TRN-DUP-2')), /declaration 224820261000019999 exists/);
  const n = await s.db.pool.query(`SELECT count(*)::int AS n FROM consignments WHERE reference = '224820261000019999'`);
  assert.equal(n.rows[0].n, 1);
});

test('release sets the transit number; a gate-less departure, then the write-off closes the movement', async () => {
  const rel = await receive(fresh(fixture('release.xml')));
  assert.equal(rel.summary.status, 'released');
  assert.equal(rel.summary.turnNo, '@2248261205000123');
  let d = await declaration('224820261000012345');
  assert.equal(d.turn_no, '@2248261205000123');
  assert.equal(d.movement_status, 'planned');
  // Write-off before departure is not in the flow.
  await assert.rejects(receive(fresh(fixture('writeoff.xml')).replace('TRN-WO-20261205-000123', 'TRN-WO-EARLY'), '2200'), /is released: it cannot become written_off/);
  await gate(d.movement, 'departed', 'G-1');
  d = await declaration('224820261000012345');
  assert.equal(d.status, 'departed');
  assert.equal(d.movement_status, 'in_transit');
  const wo = await receive(fresh(fixture('writeoff.xml')), '2200');
  assert.equal(wo.summary.status, 'written_off');
  d = await declaration('224820261000012345');
  assert.equal(d.status, 'written_off');
  assert.equal(d.movement_status, 'closed');
  assert.equal(s.app.movements.get(d.movement), undefined, 'a closed movement leaves the index');
  const ev = await s.db.pool.query(`SELECT kind FROM events WHERE consignment_id = $1 ORDER BY id`, [d.movement]);
  assert.deepEqual(
    ev.rows.map((e) => e.kind),
    ['trn_declared', 'trn_released', 'trn_departed', 'trn_written_off'],
  );
  const ledger = await s.db.pool.query(`SELECT count(*)::int AS n FROM ledger WHERE kind = 'transit_declaration' AND payload->>'id' = $1`, [String(d.id)]);
  assert.equal(ledger.rows[0].n, 4, 'the declaration row is chained at each of its steps');
});

test('JSON: a declaration, then a cancel; a cancelled declaration moves no further', async () => {
  const r = await receive(fresh(fixture('declaration.json')));
  assert.equal(r.summary.eseal, 'ES2248000982');
  assert.deepEqual(r.summary.bills, ['COSU6123456802']);
  const c = await receive(fixture('cancel.json'));
  assert.equal(c.summary.status, 'cancelled');
  assert.equal(c.summary.note, '申报有误，撤销重报');
  const d = await declaration('224820261000012346');
  assert.equal(d.movement_status, 'cancelled');
  assert.equal(s.app.movements.get(d.movement), undefined);
  await assert.rejects(receive(fresh(fixture('release.xml')).replace('TRN-REL-20261205-000123', 'TRN-REL-X').replace('224820261000012345', '224820261000012346')), /is cancelled/);
});

test('a release after the rules saw the truck leave keeps the movement in transit (it never moves back)', async () => {
  const text = fresh(fixture('declaration.xml'))
    .replace('TRN-2248-20261205-000123', 'TRN-BACK-1')
    .replace(/224820261000012345/g, '224820261000017777');
  await receive(text);
  const d = await declaration('224820261000017777');
  await s.app.movements.applyRuleStatus(d.movement, 'in_transit', Date.now());
  const rel = fresh(fixture('release.xml')).replace('TRN-REL-20261205-000123', 'TRN-BACK-REL').replace('224820261000012345', '224820261000017777');
  assert.equal((await receive(rel)).summary.status, 'released');
  assert.equal((await declaration('224820261000017777')).movement_status, 'in_transit');
});

test('a return trip runs the approved route backwards; no approved route between the sites: refused with the reason, nothing kept', async () => {
  const back = fresh(fixture('declaration.xml'))
    .replace('TRN-2248-20261205-000123', 'TRN-RETURN')
    .replace('224820261000012345', '224820261000013333')
    .replace('<IEPort>2248</IEPort>', '<IEPort>2200</IEPort>')
    .replace('<DestCustoms>2200</DestCustoms>', '<DestCustoms>2248</DestCustoms>')
    .replace('<OriginSite>YS-TERM</OriginSite>', '<OriginSite>WGQ-BZ</OriginSite>')
    .replace('<DestSite>WGQ-BZ</DestSite>', '<DestSite>YS-TERM</DestSite>');
  assert.equal((await receive(back, '2200')).summary.route, 'YS-WGQ');
  const text = fresh(fixture('declaration.xml'))
    .replace('TRN-2248-20261205-000123', 'TRN-NOROUTE')
    .replace('224820261000012345', '224820261000018888')
    .replace('<DestCustoms>2200</DestCustoms>', '<DestCustoms>5100</DestCustoms>')
    .replace('<DestSite>WGQ-BZ</DestSite>', '<DestSite>GZ-WH</DestSite>');
  await assert.rejects(receive(text, '0000'), (err: Error) => {
    assert.match(err.message, /no approved route from YS-TERM to GZ-WH/);
    return true;
  });
  const kept = await s.db.pool.query(
    `SELECT (SELECT count(*)::int FROM link_messages WHERE message_id = 'TRN-NOROUTE') AS m, (SELECT count(*)::int FROM consignments WHERE reference = '224820261000018888') AS k`,
  );
  assert.deepEqual(kept.rows[0], { m: 0, k: 0 });
  // A site of another customs than the one named.
  await assert.rejects(
    receive(fresh(fixture('declaration.xml')).replace('TRN-2248-20261205-000123', 'TRN-SITE').replace('<DestSite>WGQ-BZ</DestSite>', '<DestSite>GZ-WH</DestSite>')),
    /DestSite: no supervised site GZ-WH under customs 2200/,
  );
});

test('jurisdiction: another district and an unknown thing get the same refusal', async () => {
  const other = fresh(fixture('declaration.xml')).replace('TRN-2248-20261205-000123', 'TRN-GZ').replace('224820261000012345', '224820261000016666');
  await assert.rejects(receive(other, '5100'), /neither the origin customs 2248 \(IEPort\) nor the destination customs 2200 \(DestCustoms\) is in your jurisdiction/);
  // Another district's truck and a truck nobody has: the same words.
  const reasons: string[] = [];
  for (const plate of ['粤B54321', '沪Z99999']) {
    const t = other.replace(/沪A12345/g, plate).replace('TRN-GZ', `TRN-${plate}`);
    await receive(t, '2200').then(
      () => assert.fail('accepted'),
      (err: Error & { kind?: string }) => reasons.push(`${err.kind}: ${err.message.replace(plate, 'X').replace(plate, 'X')}`),
    );
  }
  assert.equal(reasons[0], reasons[1]);
  assert.match(reasons[0]!, /^forbidden: TrnHead\.TrafCustomsNo: no vehicle X that you may declare/);
  // Steps on a declaration the sender may not see read as unknown.
  const seen: string[] = [];
  for (const preId of ['224820261000014444', '999920261000000000']) {
    const rel = fresh(fixture('release.xml')).replace('TRN-REL-20261205-000123', `TRN-GZ-${preId}`).replace('224820261000012345', preId);
    await receive(rel, '5100').then(
      () => assert.fail('accepted'),
      (err: Error & { kind?: string }) => seen.push(`${err.kind}: ${err.message.replace(preId, 'X')}`),
    );
  }
  assert.deepEqual(seen, [
    'not_found: TrnHead.TrnPreId: no transit declaration X that you may report on',
    'not_found: TrnHead.TrnPreId: no transit declaration X that you may report on',
  ]);
});

test('bad messages name the field', async () => {
  const bad = (from: string, to: string) => fresh(fixture('declaration.xml')).replace(from, to);
  await assert.rejects(receive(bad('<MessageType>TrnDeclaration</MessageType>', '<MessageType>TrnFoo</MessageType>')), /Head\.MessageType/);
  await assert.rejects(receive(bad('<IEPort>2248</IEPort>', '<IEPort>22480</IEPort>')), /TrnHead\.IEPort/);
  await assert.rejects(receive(bad('<ContaNo>CSNU6184520</ContaNo>', '<ContaNo>NOT A BOX</ContaNo>')), /TrnContainers\.TrnContainer\.0\.ContaNo/);
  await assert.rejects(receive(bad(/<ValidTime>\d+<\/ValidTime>/.exec(fresh(fixture('declaration.xml')))![0], '<ValidTime>yesterday</ValidTime>')), /TrnHead\.ValidTime/);
  await assert.rejects(receive(fresh(fixture('release.xml')).replace(/<TurnNo>.*<\/TurnNo>/, '')), /TurnNo: a release carries the transit number/);
  const late = fresh(fixture('declaration.xml')).replace(/<ValidTime>\d+<\/ValidTime>/, `<ValidTime>${customsTimeString(Date.now() - 3_600_000).slice(0, 14)}</ValidTime>`);
  await assert.rejects(receive(late.replace('TRN-2248-20261205-000123', 'TRN-LATE')), /ValidTime: must be after/);
});

test('POST /api/links/transit with a link:transit token: 201, then 200 for the same message', async () => {
  const token = await s.token('eport-2200', '2200', 'link:transit');
  const body = fresh(fixture('declaration.xml')).replace('TRN-2248-20261205-000123', 'TRN-HTTP-1').replace('224820261000012345', '224820261000015555');
  const post = () =>
    postLink(new Request('http://localhost/api/links/transit', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body }), {
      params: Promise.resolve({ system: 'transit' }),
    });
  const first = await post();
  assert.equal(first.status, 201);
  const receipt = await first.json();
  assert.equal(receipt.summary.declaration, '224820261000015555');
  const second = await post();
  assert.equal(second.status, 200);
  assert.equal((await second.json()).status, 'duplicate');
  const source = await s.db.pool.query(`SELECT source, district FROM link_messages WHERE message_id = 'TRN-HTTP-1'`);
  assert.deepEqual(source.rows[0], { source: 'http:eport-2200', district: '2200' });
});

test('the ledger verifies: every row these messages wrote or changed was chained as it now stands', async () => {
  const v = await verifyLedger(s.db.pool);
  assert.equal(v.ok, true, JSON.stringify(v.firstBad));
});
