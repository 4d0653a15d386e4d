// The manifest link against the real server and PostGIS: realistic MT1101 and MT3101 messages
// (fixtures/, XML and JSON) parsed, stored, changed and arrived; another district's sender refused
// as if the manifest did not exist; duplicates idempotent; POST /api/links/manifest with a token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POST as postLink } from '../../../app/api/links/[system]/route';
import { startLinkTestServer, WORLD, type LinkTestServer } from '../testing';
import { buildMT1101, buildMT3101 } from './build';
import { parseManifest, type ArrivalReportDoc, type OriginalManifestDoc } from './parse';

/** The fixtures' own day: their arrival reports are not in the future then, whatever the clock says. */
const FIXTURE_NOW = Date.parse('2026-12-06T08:00:00+08:00');
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
let s: LinkTestServer;
let vesselId: number;

before(async () => {
  s = await startLinkTestServer();
  vesselId = (await s.db.pool.query(`SELECT id FROM assets WHERE mmsi = $1`, [WORLD.vessel.mmsi])).rows[0].id;
});
after(() => s.close());

const manifestOf = async (voyage: string) =>
  (
    await s.db.pool.query(`SELECT id, vessel_asset, vessel_imo, vessel_name, unloading_port, district, status, arrived_by, arrived_at FROM manifests WHERE journey_id = $1`, [
      voyage,
    ])
  ).rows[0];
const containersOf = async (manifestId: number) =>
  (
    await s.db.pool.query(
      `SELECT bill_no, container_no, size_type, fullness, seal_no, seal_agency, arrived FROM manifest_containers WHERE manifest_id = $1 ORDER BY bill_no, container_no`,
      [manifestId],
    )
  ).rows;

test('MT1101 parses: repeating bills, containers, seals and items; SealID@AgencyCode; XML and JSON the same document', () => {
  const x = parseManifest(fixture('mt1101.xml'), 'xml');
  assert.equal(x.messageType, 'MT1101');
  assert.equal(x.sentAt, Date.parse('2026-12-05T09:30:15.123+08:00'));
  const d = x.doc as OriginalManifestDoc;
  assert.equal(d.action, 'new');
  assert.deepEqual(d.vessel, { id: 'UN9000001', imo: '9000001', journeyId: '051E', name: 'COSCO TEST', typeCode: '1' });
  assert.deepEqual(d.port, { id: 'CNSHA/2248', district: '2248' });
  assert.equal(d.arrivalDate, Date.parse('2026-12-06T00:00:00+08:00'));
  assert.equal(d.bills.length, 3);
  const [b1, b2, b3] = d.bills;
  assert.deepEqual(b1, {
    billNo: 'COSU6301458810',
    houseNo: undefined,
    grossMassKg: 21450.5,
    goods: 'LITHIUM ION BATTERIES (+1)',
    hsCodes: ['8507600090', '8504403090'],
    containers: [{ containerNo: 'CSNU6218371', sizeType: '45G1', fullness: '5', sealNo: 'CN2611005', sealAgency: 'CA' }],
  });
  assert.equal(b2!.houseNo, 'HBL-SIN-0042');
  assert.deepEqual(
    b2!.containers.map((c) => c.containerNo),
    ['TGHU8451203', 'FCIU3025511'],
  );
  assert.deepEqual(b3!.containers, [{ containerNo: 'OOLU1177425', sizeType: '22G1', fullness: '8', sealNo: 'OL55012', sealAgency: undefined }]);

  const j = parseManifest(fixture('mt1101.json'), 'json');
  const jd = j.doc as OriginalManifestDoc;
  assert.equal(jd.vessel.journeyId, '052E');
  assert.deepEqual({ ...jd, vessel: { ...jd.vessel, journeyId: '051E' } }, d, 'the JSON form carries the same document');

  const a = parseManifest(fixture('mt3101.xml'), 'xml').doc as ArrivalReportDoc;
  assert.deepEqual(a, {
    type: 'MT3101',
    vessel: { id: 'UN9000001', imo: '9000001', journeyId: '051E', name: 'COSCO TEST', typeCode: '1' },
    port: { id: 'CNSHA/2248', district: '2248' },
    arrivedAt: Date.parse('2026-12-06T06:45:00+08:00'),
    containers: ['CSNU6218371', 'TGHU8451203'],
    bills: [],
  });
  const aj = parseManifest(fixture('mt3101.json'), 'json').doc as ArrivalReportDoc;
  assert.deepEqual(aj.containers, ['CSNU6218371']);
});

test('bad messages are refused with the field named', () => {
  const base = { messageId: 'BAD-1', vessel: { imo: '9000001', journeyId: 'X1' }, unloadingPort: 'CNSHA/2248', bills: [{ billNo: 'B1' }] };
  assert.throws(() => parseManifest(buildMT1101({ ...base, functionCode: '3' }), 'xml'), /FunctionCode: 3 \(delete\) is not taken/);
  assert.throws(() => parseManifest(fixture('mt1101.xml').replace('<FunctionCode>2<', '<FunctionCode>7<'), 'xml'), /Head\.FunctionCode: 7 is not one of/);
  assert.throws(
    () => parseManifest(buildMT1101({ ...base, bills: [{ billNo: 'B1', containers: [{ containerNo: 'NOTABOX' }] }] }), 'xml'),
    /Declaration\.Consignment\.0\.TransportEquipment\.0\.EquipmentIdentification\.ID: a container number/,
  );
  assert.throws(() => parseManifest(fixture('mt1101.xml').replace('<JourneyID>051E</JourneyID>', ''), 'xml'), /Declaration\.BorderTransportMeans\.JourneyID: /);
  assert.throws(() => parseManifest(fixture('mt1101.xml').replace('21450.5', '9e12'), 'xml'), /TotalGrossMassMeasure: less than 1,000,000,000 kg/);
  assert.throws(() => parseManifest(buildMT1101({ ...base, bills: [{ billNo: 'B1' }, { billNo: 'B1' }] }), 'xml'), /bill B1 appears twice/);
  assert.throws(() => parseManifest(buildMT1101({ ...base, unloadingPort: 'CNSHA' }), 'xml'), /CNSHA names no customs code/);
  assert.throws(() => parseManifest(fixture('mt3101.xml').replace('<ArrivalDate>20261206064500</ArrivalDate>', ''), 'xml'), /ArrivalDate: Required/);
  assert.throws(() => parseManifest(fixture('mt3101.xml').replace('20261206064500', '2026-13-45'), 'xml'), /ArrivalDate: a date/);
  assert.throws(() => parseManifest(fixture('mt1101.xml').replace('<MessageType>MT1101', '<MessageType>MT9999'), 'xml'), /Head\.MessageType/);
});

test('MT1101 stores vessel, voyage, bills and containers; the vessel is matched by IMO; again is a duplicate; another new is a conflict', async () => {
  const r = s.app.links.receiver;
  const first = await r.receive('manifest', fixture('mt1101.xml'), s.caller('2248'));
  assert.equal(first.status, 'applied');
  assert.deepEqual(first.summary, {
    status: 'declared',
    action: 'new',
    vessel: 'COSCO TEST',
    imo: '9000001',
    voyage: '051E',
    port: 'CNSHA/2248',
    bills: ['COSU6301458810', 'COSU6301458822', 'COSU6301458834'],
    billCount: 3,
    containers: 4,
  });
  const m = await manifestOf('051E');
  assert.equal(m.vessel_asset, vesselId);
  assert.deepEqual([m.vessel_imo, m.vessel_name, m.unloading_port, m.district, m.status], ['9000001', 'COSCO TEST', 'CNSHA/2248', '2248', 'declared']);
  const bills = (await s.db.pool.query(`SELECT bill_no, house_no, gross_mass::float8 AS kg, goods, hs_codes FROM manifest_bills WHERE manifest_id = $1 ORDER BY bill_no`, [m.id]))
    .rows;
  assert.deepEqual(bills[0], { bill_no: 'COSU6301458810', house_no: null, kg: 21450.5, goods: 'LITHIUM ION BATTERIES (+1)', hs_codes: ['8507600090', '8504403090'] });
  assert.equal(bills[1].house_no, 'HBL-SIN-0042');
  const boxes = await containersOf(m.id);
  assert.equal(boxes.length, 4);
  assert.deepEqual(boxes[0], { bill_no: 'COSU6301458810', container_no: 'CSNU6218371', size_type: '45G1', fullness: '5', seal_no: 'CN2611005', seal_agency: 'CA', arrived: false });
  const ev = await s.db.pool.query(`SELECT kind, detail FROM events WHERE asset_id = $1 AND link_message = $2`, [vesselId, first.id]);
  assert.equal(ev.rows[0].kind, 'manifest_declared');

  const again = await r.receive('manifest', fixture('mt1101.xml'), s.caller('2248'));
  assert.equal(again.status, 'duplicate');
  assert.equal(again.id, first.id);
  assert.equal((await s.db.pool.query(`SELECT count(*)::int AS n FROM manifest_bills WHERE manifest_id = $1`, [m.id])).rows[0].n, 3);
  const other = fixture('mt1101.xml').replace('20261205093015123</MessageID>', '20261205093015999</MessageID>');
  await assert.rejects(r.receive('manifest', other, s.caller('2248')), /already declared; change it with FunctionCode 5/);
});

test('another district: its sender may not declare at this port, and cannot change or arrive this manifest (the same answer as an unknown one)', async () => {
  const r = s.app.links.receiver;
  await assert.rejects(
    r.receive(
      'manifest',
      buildMT1101({ messageId: 'GZ-1', vessel: { imo: '9000001', journeyId: '077S' }, unloadingPort: 'CNSHA/2248', bills: [{ billNo: 'B1' }] }),
      s.caller('5100'),
    ),
    (err: Error) => {
      assert.match(err.message, /customs 2248 \(CNSHA\/2248\) is not within the scope of district 5100/);
      return true;
    },
  );
  const arrival = (id: string, voyage: string) => buildMT3101({ messageId: id, vessel: { imo: '9000001', journeyId: voyage }, unloadingPort: 'CNCAN/5100', arrivedAt: Date.now() });
  const theirs = await r.receive('manifest', arrival('GZ-2', '051E'), s.caller('5100')).catch((e: Error) => e);
  const unknown = await r.receive('manifest', arrival('GZ-3', '999X'), s.caller('5100')).catch((e: Error) => e);
  assert.ok(theirs instanceof Error && unknown instanceof Error);
  assert.equal(theirs.message.replace('051E', 'V'), unknown.message.replace('999X', 'V'));
  assert.match(theirs.message, /no manifest for vessel UN9000001 voyage 051E within your scope/);
  const ahead = buildMT3101({ messageId: 'YS-AHEAD', vessel: { imo: '9000001', journeyId: '051E' }, unloadingPort: 'CNSHA/2248', arrivedAt: Date.now() + 3 * 86_400_000 });
  await assert.rejects(r.receive('manifest', ahead, s.caller('2248')), /ArrivalDate: .* is in the future/);
  const change = buildMT1101({ messageId: 'GZ-4', functionCode: '5', vessel: { imo: '9000001', journeyId: '051E' }, unloadingPort: 'CNCAN/5100', bills: [{ billNo: 'B1' }] });
  await assert.rejects(r.receive('manifest', change, s.caller('5100')), /no manifest for vessel UN9000001 voyage 051E within your scope/);
  assert.equal((await manifestOf('051E')).status, 'declared');
  assert.equal((await s.db.pool.query(`SELECT count(*)::int AS n FROM link_messages WHERE message_id LIKE 'GZ-%'`)).rows[0].n, 0);
});

test('a change (5) replaces the bills and containers; MT3101 arrives the manifest and its containers; a later change keeps them in', async () => {
  const r = s.app.links.receiver;
  const change = buildMT1101({
    messageId: 'CHG-051E-1',
    functionCode: '5',
    vessel: { imo: '9000001', name: 'COSCO TEST', journeyId: '051E' },
    unloadingPort: 'CNSHA/2248',
    bills: [
      {
        billNo: 'COSU6301458810',
        grossMassKg: 21000,
        items: [{ goods: 'LITHIUM ION BATTERIES', hs: '8507600090' }],
        containers: [{ containerNo: 'CSNU6218371', sizeType: '45G1', fullness: '5', seals: [{ no: 'CN2611005', agency: 'CA' }] }],
      },
      { billNo: 'COSU6301458899', containers: [{ containerNo: 'TGHU8451203', sizeType: '22G1', fullness: '5' }] },
    ],
  });
  const changed = await r.receive('manifest', change, s.caller('2200'));
  assert.equal(changed.summary.action, 'change');
  assert.deepEqual(changed.summary.bills, ['COSU6301458810', 'COSU6301458899']);
  assert.equal(changed.summary.containers, 2);
  const m = await manifestOf('051E');
  assert.equal(m.district, '2248', 'the manifest stays with the district that declared it');
  assert.deepEqual(
    (await containersOf(m.id)).map((c) => c.container_no),
    ['CSNU6218371', 'TGHU8451203'],
  );

  const arrived = await r.receive('manifest', fixture('mt3101.xml'), s.caller('2248', 'http:ys-terminal'), FIXTURE_NOW);
  assert.equal(arrived.messageType, 'MT3101');
  assert.deepEqual(arrived.summary, {
    status: 'arrived',
    vessel: 'COSCO TEST',
    voyage: '051E',
    port: 'CNSHA/2248',
    arrivedBy: 'MT3101',
    arrivedAt: '2026-12-05T22:45:00.000Z',
    containers: 2,
  });
  const after3101 = await manifestOf('051E');
  assert.deepEqual([after3101.status, after3101.arrived_by, after3101.arrived_at.toISOString()], ['arrived', 'MT3101', '2026-12-05T22:45:00.000Z']);
  assert.deepEqual(
    (await containersOf(m.id)).map((c) => c.arrived),
    [true, true],
  );
  const ev = await s.db.pool.query(`SELECT kind FROM events WHERE asset_id = $1 AND link_message = $2`, [vesselId, arrived.id]);
  assert.deepEqual(ev.rows, [{ kind: 'manifest_arrived' }]);

  const more = buildMT1101({
    messageId: 'CHG-051E-2',
    functionCode: '5',
    vessel: { imo: '9000001', name: 'COSCO TEST', journeyId: '051E' },
    unloadingPort: 'CNSHA/2248',
    bills: [{ billNo: 'COSU6301458810', containers: [{ containerNo: 'CSNU6218371' }, { containerNo: 'CBHU9900134' }] }],
  });
  await r.receive('manifest', more, s.caller('2248'));
  assert.deepEqual(
    (await containersOf(m.id)).map((c) => [c.container_no, c.arrived]),
    [
      ['CBHU9900134', false],
      ['CSNU6218371', true],
    ],
  );
});

test('JSON: MT1101 and MT3101; a container not on the manifest is named', async () => {
  const r = s.app.links.receiver;
  const declared = await r.receive('manifest', fixture('mt1101.json'), s.caller('2200'));
  assert.equal(declared.summary.voyage, '052E');
  assert.equal(declared.summary.containers, 4);
  const json = JSON.parse(fixture('mt3101.json'));
  json.Manifest.Declaration.TransportEquipment = [json.Manifest.Declaration.TransportEquipment, { EquipmentIdentification: { ID: 'TEMU5542102' } }];
  const arrived = await r.receive('manifest', JSON.stringify(json), s.caller('2200'), FIXTURE_NOW);
  assert.equal(arrived.summary.containers, 1);
  assert.deepEqual(arrived.summary.mismatch, ['container TEMU5542102 is not on the manifest']);
  const m = await manifestOf('052E');
  assert.deepEqual([m.status, m.arrived_by], ['arrived', 'MT3101']);
});

test('POST /api/links/manifest with a link:manifest token; another link kind may not', async () => {
  const token = await s.token('ys-manifest', '2248', 'link:manifest');
  const body = buildMT1101({
    messageId: 'HTTP-1',
    vessel: { imo: '9000001', name: 'COSCO TEST', journeyId: '061E' },
    unloadingPort: 'CNSHA/2248',
    bills: [
      { billNo: 'COSU7000001', grossMassKg: 18000, items: [{ goods: 'TEXTILES', hs: '6204' }], containers: [{ containerNo: 'CBHU9900134', sizeType: '22G1', fullness: '5' }] },
    ],
  });
  const post = (text: string, bearer: string) =>
    postLink(
      new Request('http://localhost/api/links/manifest', { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/xml' }, body: text }),
      {
        params: Promise.resolve({ system: 'manifest' }),
      },
    );
  const res = await post(body, token);
  assert.equal(res.status, 201);
  const receipt = await res.json();
  assert.equal(receipt.status, 'applied');
  assert.equal(receipt.summary.voyage, '061E');
  const again = await post(body, token);
  assert.equal(again.status, 200);
  assert.equal((await again.json()).status, 'duplicate');
  const bad = await post(body.replace('<FunctionCode>2<', '<FunctionCode>3<').replace('HTTP-1', 'HTTP-2'), token);
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /FunctionCode: 3/);
  const gate = await s.token('ys-gate', '2248', 'link:gate');
  assert.equal((await post(body, gate)).status, 403);
  const source = await s.db.pool.query(`SELECT source, district FROM link_messages WHERE message_id = 'HTTP-1'`);
  assert.deepEqual(source.rows[0], { source: 'http:ys-manifest', district: '2248' });
});

test('an MT1101 without bills is refused', () => {
  const none = buildMT1101({ messageId: 'NONE', vessel: { imo: '9000001', journeyId: 'X' }, unloadingPort: 'CNSHA/2248', bills: [] });
  assert.throws(() => parseManifest(none, 'xml'), /Declaration\.Consignment: Required/);
});
