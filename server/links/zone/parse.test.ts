// SAS121 / SAS223 parsing: the fixtures (XML in the enterprise's signed wrapper, JSON as the Package,
// JSON as the business data alone), the builder's output round-tripped, and bad input refused with
// the field named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSas121, buildSas223, sasTime } from './build';
import { parseZoneMessage } from './parse';
import { formatOf } from '../xml';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const parse = (text: string) => parseZoneMessage(text, formatOf(text));
const beijing = (iso: string) => Date.parse(`${iso}+08:00`);

test('SAS121 in its Signature/Object/Package wrapper (XML)', () => {
  const m = parse(fixture('sas121-in.xml'));
  assert.equal(m.messageId, 'DXPENT0000012345SAS1212026060110000000001');
  assert.equal(m.messageType, 'SAS121');
  assert.equal(m.sentAt, beijing('2026-06-01T10:00:00'));
  assert.deepEqual(m.doc, {
    kind: 'passport',
    passport: {
      passportNo: 'Z2218I260601000000000001',
      type: 2,
      bindType: 2,
      relatedType: 1,
      relatedNo: 'QD221826I000000123',
      io: 'in',
      plate: '沪A12345',
      containers: ['TGHU1234567'],
      vehicleWt: 9800,
      grossWt: 18450.5,
      totalWt: 38250.5,
      masterCustoms: '2218',
      areaCode: '2218',
      cancelled: false,
      declaredAt: beijing('2026-06-01T09:55:00'),
      goodsLines: 1,
    },
  });
});

test('SAS121 as JSON (Package root): numbers, two containers, a plate with a space, times with dashes', () => {
  const m = parse(fixture('sas121-out.json'));
  assert.equal(m.messageId, 'DXPENT0000012345SAS1212026060114300000002');
  assert.equal(m.sentAt, beijing('2026-06-01T14:30:00'));
  assert.equal(m.doc.kind, 'passport');
  if (m.doc.kind !== 'passport') return;
  assert.equal(m.doc.passport.io, 'out');
  assert.equal(m.doc.passport.plate, '沪A12345');
  assert.deepEqual(m.doc.passport.containers, ['TGHU7654321', 'MSKU1234565']);
  assert.equal(m.doc.passport.declaredAt, beijing('2026-06-01T14:25:00'));
  assert.equal(m.doc.passport.goodsLines, 2);
});

test('SAS223 pass receipts: Package (XML), and the business data alone (JSON, MessageID from the passport)', () => {
  const x = parse(fixture('sas223-pass.xml'));
  assert.equal(x.messageType, 'SAS223');
  assert.equal(x.messageId, 'CUS2218E0100002026060110030000100000001');
  assert.deepEqual(x.doc, {
    kind: 'pass',
    pass: { passportNo: 'Z2218I260601000000000001', plate: '沪A12345', status: 'passed', passedAt: beijing('2026-06-01T10:03:00'), gateWeight: 38310, stucd: '2' },
  });
  const j = parse(fixture('sas223-pass.json'));
  assert.equal(j.messageId, 'SAS223-Z2218E260601000000000002-2');
  assert.equal(j.doc.kind === 'pass' && j.doc.pass.gateWeight, 44580);
});

test('the builder writes what the parser reads (SAS121 with goods and a cancellation, SAS223 two-gate)', () => {
  const t = Date.UTC(2026, 5, 1, 2, 0, 0);
  const sas121 = buildSas121(
    {
      passportNo: 'Z2218I260601000000000009',
      type: 1,
      bindType: 3,
      relatedType: 3,
      relatedNo: 'MSKU-BL-88 & <co>',
      io: 'in',
      masterCustoms: '2218',
      areaCode: 'WGQ01',
      plate: '沪B 99999',
      vehicleWt: 9000,
      containers: ['TGHU1234567', 'TGHU7654321'],
      grossWt: 12000,
      totalWt: 25000,
      declaredAt: t,
      goods: [{ name: '服务器', hsCode: '8471500000', qty: 10, unit: '001', grossWt: 12000, netWt: 11000 }],
    },
    { messageId: 'DEMO-121-9', sendTime: t + 1000 },
  );
  const m = parse(sas121);
  assert.equal(m.messageId, 'DEMO-121-9');
  assert.equal(m.sentAt, Math.floor((t + 1000) / 1000) * 1000);
  assert.deepEqual(m.doc, {
    kind: 'passport',
    passport: {
      passportNo: 'Z2218I260601000000000009',
      type: 1,
      bindType: 3,
      relatedType: 3,
      relatedNo: 'MSKU-BL-88 & <co>',
      io: 'in',
      plate: '沪B99999',
      containers: ['TGHU1234567', 'TGHU7654321'],
      vehicleWt: 9000,
      grossWt: 12000,
      totalWt: 25000,
      masterCustoms: '2218',
      areaCode: 'WGQ01',
      cancelled: false,
      declaredAt: t,
      goodsLines: 1,
    },
  });
  const cancel = parse(
    buildSas121({ passportNo: 'Z2218I260601000000000009', type: 6, io: 'in', masterCustoms: '2218', plate: '沪B99999', cancel: true }, { messageId: 'C', sendTime: t }),
  );
  assert.equal(cancel.doc.kind === 'passport' && cancel.doc.passport.cancelled, true);
  const sas223 = parse(
    buildSas223(
      { passportNo: 'Z2218I260601000000000009', plate: '沪B99999', io: 'in', passedAt: t, secondPassAt: t + 60_000, gateWeight: 25060, totalWt: 25000, stucd: '4' },
      { messageId: 'DEMO-223-9', sendTime: t },
    ),
  );
  assert.deepEqual(sas223.doc, { kind: 'pass', pass: { passportNo: 'Z2218I260601000000000009', plate: '沪B99999', status: 'passed', passedAt: t, gateWeight: 25060, stucd: '4' } });
  assert.equal(sasTime(t), '20260601100000');
});

test('bad input is refused naming the field', () => {
  const good = fixture('sas121-in.xml');
  const bad = (from: string, to: string) => () => parse(good.replace(from, to));
  assert.throws(bad('<ioTypecd>I</ioTypecd>', '<ioTypecd>X</ioTypecd>'), /PassportHead\.ioTypecd: one of I, E/);
  assert.throws(bad('<passportTypecd>2</passportTypecd>', '<passportTypecd>7</passportTypecd>'), /passportTypecd: one of 1, 2, 3, 4, 5, 6/);
  assert.throws(bad('<vehicleNo>沪A12345</vehicleNo>', '<vehicleNo/>'), /PassportHead\.vehicleNo/);
  assert.throws(bad('<totalGrossWt>18450.5</totalGrossWt>', '<totalGrossWt>1e12</totalGrossWt>'), /totalGrossWt: a weight in kg/);
  assert.throws(bad('<containerNo>TGHU1234567</containerNo>', '<containerNo>NOT A BOX</containerNo>'), /containerNo: NOT: not a container number/);
  assert.throws(bad('<masterCuscd>2218</masterCuscd>', '<masterCuscd>22</masterCuscd>'), /masterCuscd: 4 digits/);
  assert.throws(bad('<dclTime>20260601095500</dclTime>', '<dclTime>yesterday</dclTime>'), /dclTime: a time/);
  assert.throws(bad('<message_type>SAS121</message_type>', '<message_type>SAS223</message_type>'), /does not carry a PassPortMessage/);
  assert.throws(() => parse('<Manifest><Head/></Manifest>'), /root element must be one of/);
  assert.throws(() => parse('{"BussinessData": {"Other": {}}}'), /expected PassPortMessage \(SAS121\) or SAS223/);
  const receipt = fixture('sas223-pass.xml');
  assert.throws(() => parse(receipt.replace('<passTime>20260601100300</passTime>', '<passTime/>')), /passTime: required/);
  assert.throws(() => parse(receipt.replace('<stucd>2</stucd>', '<stucd>9</stucd>')), /stucd: one of/);
});
