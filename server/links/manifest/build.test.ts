// The manifest builder (used by the demo world): what it builds, the link reads back as it was
// given, in XML and JSON; container numbers carry their ISO 6346 check digit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMT1101, buildMT3101, containerCheckDigit, containerNumber, type MT1101Input } from './build';
import { parseManifest, type ArrivalReportDoc, type OriginalManifestDoc } from './parse';

const sent = Date.parse('2026-12-05T09:30:15.123+08:00');
const input: MT1101Input = {
  messageId: 'DEMO-MT1101-1',
  sendTime: sent,
  vessel: { imo: '9000001', name: 'COSCO TEST', journeyId: '051E' },
  unloadingPort: 'CNSHA/2248',
  arrivalDate: Date.parse('2026-12-06T00:00:00+08:00'),
  declarationOffice: '2248',
  carrierId: 'COSCO',
  bills: [
    {
      billNo: 'COSU6301458810',
      grossMassKg: 21450.5,
      items: [
        { goods: 'LITHIUM ION BATTERIES & CELLS <UN3480>', hs: '8507600090' },
        { goods: 'CHARGERS', hs: '8504403090' },
      ],
      containers: [
        {
          containerNo: containerNumber('CSNU', 621837),
          sizeType: '45G1',
          fullness: '5',
          seals: [
            { no: 'CN2611005', agency: 'CA' },
            { no: 'SH881200', agency: 'SH' },
          ],
        },
        { containerNo: containerNumber('TGHU', 845120), sizeType: '22G1', fullness: '5', seals: [{ no: 'N1' }] },
      ],
    },
    { billNo: 'COSU6301458822', houseNo: 'HBL-1', containers: [] },
  ],
};

test('ISO 6346 check digits', () => {
  assert.equal(containerCheckDigit('CSQU305438'), 3); // the standard's own example
  assert.equal(containerNumber('CSQU', 305438), 'CSQU3054383');
});

for (const format of ['xml', 'json'] as const) {
  test(`MT1101 round trip (${format})`, () => {
    const text = buildMT1101(input, format);
    if (format === 'xml') assert.match(text, /<Manifest xmlns="urn:Declaration:datamodel:standard:CN:MT1101:1">/);
    const m = parseManifest(text, format);
    assert.equal(m.messageId, 'DEMO-MT1101-1');
    assert.equal(m.sentAt, sent);
    const d = m.doc as OriginalManifestDoc;
    assert.deepEqual(d, {
      type: 'MT1101',
      action: 'new',
      vessel: { id: 'UN9000001', imo: '9000001', journeyId: '051E', name: 'COSCO TEST', typeCode: '1' },
      port: { id: 'CNSHA/2248', district: '2248' },
      arrivalDate: input.arrivalDate,
      bills: [
        {
          billNo: 'COSU6301458810',
          houseNo: undefined,
          grossMassKg: 21450.5,
          goods: 'LITHIUM ION BATTERIES & CELLS <UN3480> (+1)',
          hsCodes: ['8507600090', '8504403090'],
          containers: [
            { containerNo: 'CSNU6218371', sizeType: '45G1', fullness: '5', sealNo: 'CN2611005', sealAgency: 'CA' },
            { containerNo: 'TGHU8451203', sizeType: '22G1', fullness: '5', sealNo: 'N1', sealAgency: undefined },
          ],
        },
        { billNo: 'COSU6301458822', houseNo: 'HBL-1', grossMassKg: undefined, goods: undefined, hsCodes: [], containers: [] },
      ],
    });
    const change = parseManifest(buildMT1101({ ...input, functionCode: '5' }, format).replace('DEMO-MT1101-1', 'DEMO-MT1101-2'), format).doc as OriginalManifestDoc;
    assert.equal(change.action, 'change');
  });

  test(`MT3101 round trip (${format})`, () => {
    const arrivedAt = Date.parse('2026-12-06T06:45:00+08:00');
    const text = buildMT3101(
      { messageId: 'DEMO-MT3101-1', vessel: { imo: '9000001', journeyId: '051E' }, unloadingPort: 'CNSHA/2248', arrivedAt, containers: ['CSNU6218371', 'TGHU8451203'] },
      format,
    );
    const d = parseManifest(text, format).doc as ArrivalReportDoc;
    assert.deepEqual(d, {
      type: 'MT3101',
      vessel: { id: 'UN9000001', imo: '9000001', journeyId: '051E', name: undefined, typeCode: '1' },
      port: { id: 'CNSHA/2248', district: '2248' },
      arrivedAt,
      containers: ['CSNU6218371', 'TGHU8451203'],
      bills: [],
    });
    const bulk = parseManifest(
      buildMT3101({ messageId: 'DEMO-MT3101-2', vessel: { id: 'BVXY7', journeyId: '9' }, unloadingPort: 'CNSHA/2248', arrivedAt, bills: ['B1', 'B2'] }, format),
      format,
    ).doc as ArrivalReportDoc;
    assert.deepEqual([bulk.vessel.id, bulk.vessel.imo, bulk.bills, bulk.containers], ['BVXY7', null, ['B1', 'B2'], []]);
  });
}
