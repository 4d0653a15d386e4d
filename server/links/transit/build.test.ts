// build.ts → parse round-trips: what the demo generator sends is what the link reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTransitCancel, buildTransitDeclaration, buildTransitRelease, buildTransitWriteOff } from './build';
import { parseTransit } from './transit';

const sentAt = Date.parse('2026-12-05T09:30:00.123+08:00');
const validTime = Date.parse('2026-12-05T18:30:00+08:00');

test('a built declaration parses back to the same document, text escaped', () => {
  const xml = buildTransitDeclaration({
    messageId: 'TRN-BUILD-1',
    sentAt,
    senderId: '3122480001',
    preId: '224820261000012345',
    plate: '沪A12345',
    trafCustomsNo: 'V2248000123',
    originCustoms: '2248',
    destCustoms: '2200',
    originSite: 'YS-TERM',
    destSite: 'WGQ-BZ',
    validTime,
    transNo: 'YS2612050001',
    contractorName: 'Yangshan <Trucking> & Co',
    bills: [{ billNo: 'COSU6123456780', shipId: 'UN9000001', voyageNo: '061E', ieDate: '20261204' }, { billNo: 'COSU6123456791' }],
    containers: [{ containerNo: 'CSNU6184520', model: '45G1', sealNo: 'ES2248000981' }, { containerNo: 'CBHU3202732' }],
  });
  const m = parseTransit(xml, 'xml');
  assert.equal(m.messageId, 'TRN-BUILD-1');
  assert.equal(m.messageType, 'TrnDeclaration');
  assert.equal(m.sentAt, sentAt);
  assert.equal(m.doc.kind, 'declaration');
  if (m.doc.kind !== 'declaration') return;
  assert.equal(m.doc.head.TrnPreId, '224820261000012345');
  assert.equal(m.doc.head.NativeShipName, '沪A12345');
  assert.equal(m.doc.head.TrafCustomsNo, 'V2248000123');
  assert.equal(m.doc.head.ContractorName, 'Yangshan <Trucking> & Co');
  assert.equal(m.doc.head.ValidTime, validTime);
  assert.equal(m.doc.head.ESealFlag, '1');
  assert.equal(m.doc.head.NativeTrafMode, '4');
  assert.deepEqual([m.doc.head.IEPort, m.doc.head.DestCustoms, m.doc.head.OriginSite, m.doc.head.DestSite], ['2248', '2200', 'YS-TERM', 'WGQ-BZ']);
  assert.deepEqual(m.doc.bills, [{ BillNo: 'COSU6123456780', ShipId: 'UN9000001', VoyageNo: '061E', IEDate: '2026-12-04' }, { BillNo: 'COSU6123456791' }]);
  assert.deepEqual(m.doc.containers, [{ ContaNo: 'CSNU6184520', ContaModel: '45G1', SealNo: 'ES2248000981' }, { ContaNo: 'CBHU3202732' }]);
  // One bill and no container: still a list, and no containers.
  const single = parseTransit(
    buildTransitDeclaration({
      messageId: 'TRN-BUILD-2',
      sentAt,
      preId: 'P2',
      plate: '沪A12345',
      originCustoms: '2248',
      destCustoms: '2200',
      originSite: 'YS-TERM',
      destSite: 'WGQ-BZ',
      validTime,
      bills: [{ billNo: 'B1' }],
    }),
    'xml',
  );
  assert.ok(single.doc.kind === 'declaration' && single.doc.bills.length === 1 && single.doc.containers.length === 0 && single.doc.head.ESealFlag === '0');
});

test('built release, write-off and cancel parse back', () => {
  const rel = parseTransit(buildTransitRelease({ messageId: 'R1', sentAt, preId: '224820261000012345', turnNo: '@2248261205000123' }), 'xml');
  assert.deepEqual(rel, { messageId: 'R1', messageType: 'TrnRelease', sentAt, doc: { kind: 'release', preId: '224820261000012345', turnNo: '@2248261205000123' } });
  const wo = parseTransit(buildTransitWriteOff({ messageId: 'W1', sentAt, preId: '224820261000012345' }), 'xml');
  assert.deepEqual(wo.doc, { kind: 'writeoff', preId: '224820261000012345' });
  const cx = parseTransit(buildTransitCancel({ messageId: 'C1', sentAt, preId: '224820261000012345', notes: '撤销' }), 'xml');
  assert.deepEqual(cx.doc, { kind: 'cancel', preId: '224820261000012345', notes: '撤销' });
  assert.equal(cx.messageType, 'TrnCancel');
});
