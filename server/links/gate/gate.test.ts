// The smart gate link through the real receiver and PostGIS: clean passes move the movement (and
// its transit declaration), mismatches hold the truck and raise GATE_MISMATCH, unread plates go to
// an officer, ordinary traffic passes, jurisdiction, duplicates, bad input, and the builders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POST as postLink } from '@/app/api/links/[system]/route';
import { DomainError } from '@/server/errors';
import { INBOX, OUTBOX } from '../inbox';
import { startLinkTestServer, type LinkTestServer } from '../testing';
import { buildGatherInfoJson, buildGatherInfoXml, type GatherInfoInput } from './build';
import { parseGate } from './gate';
import { declareTransit, eventually, seedGateTrucks, truck } from './testing';

let s: LinkTestServer;
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const receive = (text: string, district: '0000' | '2200' | '2248' | '5100' = '2200') => s.app.links.receiver.receive('gate', text, s.caller(district));
let seq = 0;
const pass = (p: Partial<GatherInfoInput> & Pick<GatherInfoInput, 'site' | 'direction'>): GatherInfoInput => ({
  channel: p.direction === 'in' ? 'CH-I-01' : 'CH-E-01',
  seqNo: `T${Date.now()}${String(++seq).padStart(4, '0')}`,
  time: Date.now() - 60_000,
  ...p,
});

async function statusOf(id: number): Promise<{ movement: string; declaration: string | null }> {
  const { rows } = await s.db.pool.query(
    `SELECT k.status AS movement, t.status AS declaration FROM consignments k LEFT JOIN transit_declarations t ON t.consignment_id = k.id WHERE k.id = $1`,
    [id],
  );
  return rows[0];
}

async function mismatchAlert(
  messageRowId: number,
): Promise<{ type: string; severity: string; consignment_id: number | null; districts: string[]; detail: { mismatch: string[] } }> {
  return eventually(async () => (await s.db.pool.query(`SELECT * FROM alerts WHERE episode = $1`, [`GATE_MISMATCH/${messageRowId}`])).rows[0], 'the GATE_MISMATCH alert');
}

before(async () => {
  s = await startLinkTestServer(seedGateTrucks);
});
after(() => s.close());

test('a clean out-pass departs the movement and its declaration; a clean in-pass at the destination arrives it', async () => {
  const id = await declareTransit(s, {
    reference: 'TRN-GATE-CLEAN',
    plate: '沪A12345',
    origin: 'YS-TERM',
    dest: 'WGQ-BZ',
    status: 'released',
    eSeal: true,
    containers: [
      { no: 'MSKU1234565', seal: 'ES2248000123' },
      { no: 'TGHU7654321', seal: 'ES2248000123' },
    ],
  });
  const out = await receive(fixture('gather_out_yangshan.xml'));
  assert.equal(out.status, 'applied');
  assert.equal(out.messageType, '81');
  assert.equal(out.messageId, '20251204093015000301');
  assert.deepEqual(out.summary, {
    site: 'YS-TERM',
    direction: 'out',
    plate: '沪A12345',
    containers: ['MSKU1234565', 'TGHU7654321'],
    eseal: 'ES2248000123',
    decision: 'release',
    mismatch: [],
    declaration: 'TRN-GATE-CLEAN',
    weightKg: 31860,
  });
  assert.equal(out.reply?.messageType, '82');
  assert.deepEqual(out.reply?.body, {
    AREA_ID: 'YS-TERM',
    CHNL_NO: 'YS-E-03',
    I_E_TYPE: 'E',
    SEQ_NO: '20251204093015000301',
    decision: 'release',
    reasons: [],
    OP_HINT: '放行',
    FORM_ID: 'TRN-GATE-CLEAN',
  });
  assert.deepEqual(await statusOf(id), { movement: 'in_transit', declaration: 'departed' });
  const ev = await s.db.pool.query(`SELECT kind, plate, seal_id, link_message FROM events WHERE consignment_id = $1 ORDER BY id`, [id]);
  assert.deepEqual(
    ev.rows.map((r) => r.kind),
    ['trn_departed', 'gate_out'],
  );
  assert.equal(ev.rows[1].link_message, String(out.id));
  assert.equal(ev.rows[1].seal_id, 'ES2248000123');
  const gp = await s.db.pool.query(`SELECT direction, decision, containers, gross_kg::float8 AS kg, consignment_id FROM gate_passes WHERE message = $1`, [out.id]);
  assert.deepEqual(gp.rows[0], { direction: 'out', decision: 'release', containers: ['MSKU1234565', 'TGHU7654321'], kg: 31860, consignment_id: id });
  const linked = await s.db.pool.query(`SELECT consignment_id FROM link_message_movements WHERE message_id = $1`, [out.id]);
  assert.deepEqual(linked.rows, [{ consignment_id: id }]);

  const arrived = await receive(fixture('gather_in_waigaoqiao.json'));
  assert.equal(arrived.summary.decision, 'release');
  assert.equal(arrived.summary.direction, 'in');
  assert.deepEqual(await statusOf(id), { movement: 'arrived', declaration: 'arrived' });
  const kinds = await s.db.pool.query(`SELECT kind FROM events WHERE consignment_id = $1 ORDER BY id`, [id]);
  assert.deepEqual(
    kinds.rows.map((r) => r.kind),
    ['trn_departed', 'gate_out', 'trn_arrived', 'gate_in'],
  );
  const alerts = await s.db.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE type = 'GATE_MISMATCH' AND consignment_id = $1`, [id]);
  assert.equal(alerts.rows[0].n, 0);
});

test('a movement registered by hand (no declaration) is moved through MovementTx', async () => {
  const id = await declareTransit(s, { reference: 'HAND-GATE-1', plate: truck(1), origin: 'YS-TERM', dest: 'WGQ-BZ', status: null, sealId: 'ES-HAND-1' });
  const r = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(1), eseal: 'ES-HAND-1' })));
  assert.equal(r.summary.decision, 'release');
  assert.equal(r.summary.declaration, undefined, 'no transit declaration');
  assert.equal(r.reply?.body.FORM_ID, 'HAND-GATE-1', 'the gate is told the movement it passed under');
  assert.deepEqual(await statusOf(id), { movement: 'in_transit', declaration: null });
  await receive(buildGatherInfoXml(pass({ site: 'WGQ-BZ', direction: 'in', plate: truck(1), eseal: 'ES-HAND-1' })));
  assert.deepEqual(await statusOf(id), { movement: 'arrived', declaration: null });
  const audit = await s.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'consignment' AND entity_id = $1::text AND action = 'consignment_status'`, [id]);
  assert.equal(audit.rows[0].n, 2, 'each move is audited by MovementTx');
});

test('wrong truck: the plate has no movement here but the containers are declared on one → hold, GATE_MISMATCH', async () => {
  const id = await declareTransit(s, { reference: 'TRN-WRONG-TRUCK', plate: truck(2), origin: 'YS-TERM', dest: 'WGQ-BZ', status: 'released', containers: [{ no: 'CSNU2000021' }] });
  const r = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(3), containers: ['CSNU2000021'] })));
  assert.equal(r.summary.decision, 'hold');
  assert.equal(r.reply?.body.decision, 'hold');
  assert.match((r.reply?.body.reasons as string[])[0]!, /container CSNU2000021 is declared on TRN-WRONG-TRUCK for 沪A20002, not 沪A20003/);
  const alert = await mismatchAlert(r.id);
  assert.equal(alert.type, 'GATE_MISMATCH');
  assert.equal(alert.severity, 'critical');
  assert.equal(alert.consignment_id, id);
  assert.ok(alert.districts.includes('2248'), 'the site district sees it');
  assert.deepEqual(await statusOf(id), { movement: 'planned', declaration: 'released' }, 'a held truck moves nothing');
  const gp = await s.db.pool.query(`SELECT decision, reasons FROM gate_passes WHERE message = $1`, [r.id]);
  assert.equal(gp.rows[0].decision, 'hold');
  assert.equal(gp.rows[0].reasons.length, 1);
});

test('container mismatch: the plate matches but a container is not on the declaration → hold', async () => {
  const id = await declareTransit(s, { reference: 'TRN-CONTA-MIS', plate: truck(4), origin: 'YS-TERM', dest: 'WGQ-BZ', status: 'released', containers: [{ no: 'CSNU4000041' }] });
  const r = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(4), containers: ['CSNU4999999'] })));
  assert.equal(r.summary.decision, 'hold');
  assert.deepEqual(r.summary.mismatch, ['container: CSNU4999999 is not on declaration TRN-CONTA-MIS', 'container: CSNU4000041 of declaration TRN-CONTA-MIS is not on the truck']);
  assert.deepEqual(r.reply?.body.reasons, r.summary.mismatch);
  const alert = await mismatchAlert(r.id);
  assert.equal(alert.consignment_id, id);
  assert.deepEqual(alert.detail.mismatch, r.summary.mismatch);
  assert.deepEqual(await statusOf(id), { movement: 'planned', declaration: 'released' });
});

test('e-seal mismatch → hold; a declaration not yet released → hold', async () => {
  const id = await declareTransit(s, {
    reference: 'TRN-SEAL-MIS',
    plate: truck(5),
    origin: 'YS-TERM',
    dest: 'WGQ-BZ',
    status: 'released',
    eSeal: true,
    containers: [{ no: 'CSNU5000051', seal: 'ES5000051' }],
  });
  const r = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(5), containers: ['CSNU5000051'], eseal: 'ES9999999' })));
  assert.equal(r.summary.decision, 'hold');
  assert.deepEqual(r.summary.mismatch, ['e-seal: ES9999999 is not the declared ES5000051']);
  assert.equal((await mismatchAlert(r.id)).consignment_id, id);

  await declareTransit(s, { reference: 'TRN-NOT-RELEASED', plate: truck(6), origin: 'YS-TERM', dest: 'WGQ-BZ', status: 'declared', containers: [{ no: 'CSNU6000061' }] });
  const early = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(6), containers: ['CSNU6000061'] })));
  assert.equal(early.summary.decision, 'hold');
  assert.deepEqual(early.summary.mismatch, ['declaration: TRN-NOT-RELEASED is declared, not released for transit']);
});

test('in bond with no movement here: a container on an open declaration elsewhere, or on an unreleased manifest bill → hold', async () => {
  const id = await declareTransit(s, { reference: 'TRN-IN-BOND', plate: truck(7), origin: 'YS-TERM', dest: 'WGQ-BZ', status: 'departed', containers: [{ no: 'CSNU7000071' }] });
  const r = await receive(buildGatherInfoXml(pass({ site: 'WGQ-BZ', direction: 'out', plate: truck(8), containers: ['CSNU7000071'] })));
  assert.equal(r.summary.decision, 'hold');
  assert.deepEqual(r.summary.mismatch, [`in bond: container CSNU7000071 is on an open transit declaration, and no movement of ${truck(8)} passes here`]);
  assert.equal((await mismatchAlert(r.id)).consignment_id, id);

  const msg = await s.db.pool.query(
    `INSERT INTO link_messages (system, message_id, message_type, format, via, source, district, raw, raw_sha256)
     VALUES ('manifest', 'FIX-MT1101', 'MT1101', 'xml', 'demo', 'fixture', '2200', '<fixture/>', '\\x00') RETURNING id`,
  );
  const mf = await s.db.pool.query(`INSERT INTO manifests (vessel_id, journey_id, district, message) VALUES ('UN9000001', '512E', '2200', $1) RETURNING id`, [msg.rows[0].id]);
  await s.db.pool.query(`INSERT INTO manifest_containers (manifest_id, bill_no, container_no) VALUES ($1, 'COSU6300001', 'OOLU8000081')`, [mf.rows[0].id]);
  const m = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(8), containers: ['OOLU8000081'] })));
  assert.equal(m.summary.decision, 'hold');
  assert.deepEqual(m.summary.mismatch, [`in bond: container OOLU8000081 is on manifest bill COSU6300001, not released, and no movement of ${truck(8)} passes here`]);
  const alert = await mismatchAlert(m.id);
  assert.equal(alert.consignment_id, null);
  assert.deepEqual(alert.districts.sort(), ['2200', '2248'], "the site's district, and the truck's home");
});

test("a movement registered by hand carrying another declaration's in-bond container → hold", async () => {
  await declareTransit(s, { reference: 'TRN-BOND-2', plate: truck(13), origin: 'WGQ-BZ', dest: 'YS-TERM', status: 'released', containers: [{ no: 'CSNU9900099' }] });
  const id = await declareTransit(s, { reference: 'HAND-GATE-2', plate: truck(11), origin: 'YS-TERM', dest: 'WGQ-BZ', status: null });
  const r = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(11), containers: ['CSNU9900099'] })));
  assert.equal(r.summary.decision, 'hold');
  assert.deepEqual(r.summary.mismatch, ['in bond: container CSNU9900099 is on an open transit declaration']);
  assert.equal((await mismatchAlert(r.id)).consignment_id, id);
  assert.deepEqual(await statusOf(id), { movement: 'planned', declaration: null });
});

test('plain passes are released; an unread plate goes to an officer (manual), with no alert', async () => {
  const empty = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'in', plate: truck(9) })));
  assert.equal(empty.summary.decision, 'release');
  const free = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(9), containers: ['FREE0000001'] })));
  assert.equal(free.summary.decision, 'release', 'containers under no supervision pass');
  const unread = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', containers: ['CSNU9000091'] })));
  assert.equal(unread.summary.decision, 'manual');
  assert.deepEqual(unread.reply?.body.reasons, ['plate: not read']);
  assert.equal(unread.reply?.body.OP_HINT, '人工处理');
  const gp = await s.db.pool.query(`SELECT count(*)::int AS n FROM gate_passes WHERE message = ANY ($1::bigint[])`, [[empty.id, free.id, unread.id]]);
  assert.equal(gp.rows[0].n, 3);
  const alerts = await s.db.pool.query(`SELECT count(*)::int AS n FROM alerts WHERE episode = ANY ($1::text[])`, [[empty.id, free.id, unread.id].map((i) => `GATE_MISMATCH/${i}`)]);
  assert.equal(alerts.rows[0].n, 0);
  const ev = await s.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE link_message = ANY ($1::bigint[])`, [[empty.id, free.id, unread.id]]);
  assert.equal(ev.rows[0].n, 0, 'no movement, no timeline event');
});

test('the camera and the vehicle tag disagree on the plate → hold', async () => {
  await declareTransit(s, { reference: 'TRN-TAG-MIS', plate: truck(10), origin: 'YS-TERM', dest: 'WGQ-BZ', status: 'released' });
  const r = await receive(buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(10), tagPlate: truck(11) })));
  assert.equal(r.summary.decision, 'hold');
  assert.deepEqual(r.summary.mismatch, [`plate: the camera read ${truck(10)}, the vehicle tag is ${truck(11)}`]);
});

test("another district's gate is refused like an unknown site; nothing is kept", async () => {
  const text = buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(12) }));
  const theirs = await receive(text, '5100').catch((e: unknown) => e);
  const unknown = await receive(buildGatherInfoXml(pass({ site: 'NO-SUCH', direction: 'out', plate: truck(12) })), '5100').catch((e: unknown) => e);
  assert.ok(DomainError.is(theirs) && DomainError.is(unknown));
  assert.equal(theirs.kind, 'not_found');
  assert.equal(unknown.kind, 'not_found');
  assert.equal(theirs.message.replace('YS-TERM', 'X'), unknown.message.replace('NO-SUCH', 'X'));
  const kept = await s.db.pool.query(`SELECT count(*)::int AS n FROM link_messages WHERE system = 'gate' AND district = '5100'`);
  assert.equal(kept.rows[0].n, 0);
  // Its own district's office (2248, Yangshan) may report on its own site.
  assert.equal((await receive(text, '2248')).status, 'applied');
});

test('the same pass again is a duplicate: the first answer and decision, nothing new stored', async () => {
  const text = buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'in', plate: truck(12) }));
  const first = await receive(text);
  const again = await receive(text);
  assert.equal(again.status, 'duplicate');
  assert.equal(again.id, first.id);
  assert.deepEqual(again.summary, first.summary);
  assert.deepEqual(again.reply, first.reply, 'a gate that retries gets its 82 decision again');
  const gp = await s.db.pool.query(`SELECT count(*)::int AS n FROM gate_passes WHERE message = $1`, [first.id]);
  assert.equal(gp.rows[0].n, 1);
  await assert.rejects(receive(text.replace('<GROSS_WT></GROSS_WT>', '<GROSS_WT>1</GROSS_WT>')), /already used/);
});

test('bad input names the field', async () => {
  const ok = buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(12) }));
  await assert.rejects(receive(ok.replace('I_E_TYPE="E"', 'I_E_TYPE="X"')), /@I_E_TYPE: I \(in\) or E \(out\)/);
  await assert.rejects(receive(ok.replace('<GROSS_WT></GROSS_WT>', '<GROSS_WT>1e12</GROSS_WT>')), /WEIGHT\.GROSS_WT: at most 200000 kg/);
  await assert.rejects(receive(ok.replace('<CONTA_ID_F></CONTA_ID_F>', '<CONTA_ID_F>ab;drop</CONTA_ID_F>')), /CONTA\.CONTA_ID_F: a container number/);
  await assert.rejects(receive(ok.replace(/SEQ_NO="[^"]*"/, '')), /@SEQ_NO/);
  await assert.rejects(receive(ok.replace(/<GATHER_TIME>[^<]*</, '<GATHER_TIME>2999-01-01 00:00:00<')), /GATHER_TIME: in the future/);
  await assert.rejects(receive(ok.replace(/<GATHER_TIME>[^<]*</, '<GATHER_TIME>yesterday<')), /GATHER_TIME: a time/);
});

test('the builders round-trip: XML and JSON parse back to what was built', () => {
  const input: GatherInfoInput = {
    site: 'YS-TERM',
    channel: 'YS-E-03',
    direction: 'out',
    seqNo: '20251204093015000301',
    time: Date.parse('2025-12-04T09:30:15+08:00'),
    plate: '沪A12345',
    tagNo: 'E0040000F4F0BE05',
    veCustomsNo: '2248100123',
    containers: ['MSKU1234565', 'TGHU7654321'],
    eseal: 'ES2248000123',
    grossKg: 31860.5,
    vehicleKg: 14200,
    icNo: '3101998877',
  };
  const expected = {
    site: 'YS-TERM',
    channel: 'YS-E-03',
    direction: 'out',
    seqNo: '20251204093015000301',
    time: input.time,
    plate: '沪A12345',
    tagPlate: '沪A12345',
    tagNo: 'E0040000F4F0BE05',
    veCustomsNo: '2248100123',
    containers: ['MSKU1234565', 'TGHU7654321'],
    eseal: 'ES2248000123',
    grossKg: 31860.5,
    vehicleKg: 14200,
    icNo: '3101998877',
  };
  const x = parseGate(buildGatherInfoXml(input), 'xml');
  assert.deepEqual(x.doc, expected);
  assert.equal(x.messageId, input.seqNo);
  assert.deepEqual(parseGate(buildGatherInfoJson(input), 'json').doc, expected);
  const bare = parseGate(buildGatherInfoXml({ site: 'A&B', channel: 'C<1>', direction: 'in', seqNo: 'S1', time: input.time }), 'xml').doc;
  assert.deepEqual(bare, { site: 'A&B', channel: 'C<1>', direction: 'in', seqNo: 'S1', time: input.time, containers: [] }, 'escaped, and empty elements read as absent');
  // The fixtures parse to the same shape.
  assert.equal(parseGate(fixture('gather_out_yangshan.xml'), 'xml').doc.time, Date.parse('2025-12-04T09:30:15+08:00'));
  assert.deepEqual(parseGate(fixture('gather_in_waigaoqiao.json'), 'json').doc.containers, ['MSKU1234565', 'TGHU7654321']);
});

test('the decision goes back in the HTTP answer (POST /api/links/gate) and, for a dropped file, to OutBox', async () => {
  const token = await s.token('ys-gate', '2248', 'link:gate');
  const text = buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'out', plate: truck(14), containers: ['CSNU7000071'] }));
  const res = await postLink(
    new Request('http://localhost/api/links/gate', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body: text }),
    {
      params: Promise.resolve({ system: 'gate' }),
    },
  );
  assert.equal(res.status, 201);
  const receipt = await res.json();
  assert.equal(receipt.reply.messageType, '82');
  assert.equal(receipt.reply.body.decision, 'hold');
  assert.equal(receipt.summary.decision, 'hold');

  await s.app.links.inbox!.prepare();
  const base = join(s.linksDir, 'gate');
  const past = new Date(Date.now() - 5000);
  writeFileSync(join(base, INBOX, 'pass-0001.xml'), buildGatherInfoXml(pass({ site: 'YS-TERM', direction: 'in', plate: truck(15) })));
  utimesSync(join(base, INBOX, 'pass-0001.xml'), past, past);
  assert.deepEqual(await s.app.links.inbox!.pass(), { applied: 1, duplicates: 0, failed: 0, retry: 0 });
  const reply = JSON.parse(readFileSync(join(base, OUTBOX, 'pass-0001.xml.reply.json'), 'utf8'));
  assert.equal(reply.messageType, '82');
  assert.equal(reply.body.decision, 'release');
  assert.equal(reply.body.I_E_TYPE, 'I');
});
