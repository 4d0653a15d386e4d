// The codec and body decoders against real frames (fixtures.ts): every CRC checked with our own
// CRC-16/CCITT-FALSE, the values the source project asserts, and round trips of what we encode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc16, encodeFrame, escapeBytes, guessEdition, jt809Cipher, parseFrame, unescapeBytes } from './codec';
import { SMALLCHI, SMALLCHI_KEYS, SMALLCHI_PARTS, hexBytes } from './fixtures';
import * as m from './messages';

const content = (hex: string) => {
  const b = hexBytes(hex);
  assert.equal(b[0], 0x5b);
  assert.equal(b[b.length - 1], 0x5d);
  return unescapeBytes(b.subarray(1, b.length - 1))!;
};
const frame = (hex: string) => {
  const c = content(hex);
  const p = parseFrame(c, guessEdition(c));
  assert.ok(p.ok, `parse: ${!p.ok && p.reason}`);
  return p.frame;
};

test('CRC-16/CCITT-FALSE: the check value, and every real frame', () => {
  assert.equal(crc16(Buffer.from('123456789')), 0x29b1); // the catalogue's check value
  for (const [name, hex] of Object.entries(SMALLCHI)) {
    const c = content(hex);
    assert.equal(crc16(c, 0, c.length - 2), (c[c.length - 2]! << 8) | c[c.length - 1]!, name);
  }
});

test('escaping: the four pairs both ways', () => {
  const raw = Uint8Array.of(0x5b, 0x5a, 0x5d, 0x5e, 0x00);
  assert.deepEqual([...escapeBytes(raw)], [0x5a, 0x01, 0x5a, 0x02, 0x5e, 0x01, 0x5e, 0x02, 0x00]);
  assert.deepEqual([...unescapeBytes(escapeBytes(raw))!], [...raw]);
  assert.equal(unescapeBytes(Uint8Array.of(0x5a, 0x03)), null);
  assert.equal(unescapeBytes(Uint8Array.of(0x00, 0x5d)), null);
});

test('2011 login (0x1001): header and body as the source asserts', () => {
  const f = frame(SMALLCHI.login2011);
  assert.deepEqual(
    { length: f.header.length, sn: f.header.sn, msgId: f.header.msgId, centerId: f.header.centerId, key: f.header.key, version: f.header.version, edition: f.header.edition },
    { length: 72, sn: 133, msgId: 0x1001, centerId: 20180920, key: 9999, version: '1.0.0', edition: 2011 },
  );
  assert.deepEqual(m.decodeLogin(f.body, 2011), { userId: 20180920, password: '20180920', downLinkIp: '127.0.0.1', downLinkPort: 809 });
});

test('a frame whose MSG_LENGTH disagrees with its bytes is refused "length"', () => {
  const c = content(SMALLCHI.login2011Long);
  const p = parseFrame(c, 2011);
  assert.deepEqual(p, { ok: false, reason: 'length' });
});

test('a flipped bit fails the CRC', () => {
  const c = Uint8Array.from(content(SMALLCHI.login2011));
  c[30] = c[30]! ^ 0x01;
  assert.deepEqual(parseFrame(c, 2011), { ok: false, reason: 'checksum' });
});

test('cipher: the source vector, and encrypted 2011 and 2019 logins open with their keys', () => {
  assert.equal(Buffer.from(jt809Cipher(Uint8Array.of(1, 2, 3, 4, 5, 6, 7), 256178, SMALLCHI_KEYS.login2011Encrypted)).toString('hex'), 'd34c7078a73a41');
  const f = frame(SMALLCHI.login2011Encrypted);
  assert.equal(f.header.encrypt, 1);
  assert.equal(f.header.key, 256178);
  assert.deepEqual(m.decodeLogin(jt809Cipher(f.body, f.header.key, SMALLCHI_KEYS.login2011Encrypted), 2011), {
    userId: 20180920,
    password: '20180920',
    downLinkIp: '127.0.0.1',
    downLinkPort: 809,
  });
  const g = frame(SMALLCHI.login2019Encrypted);
  assert.equal(g.header.edition, 2019);
  assert.equal(g.header.version, '1.2.15');
  assert.deepEqual(m.decodeLogin(jt809Cipher(g.body, g.header.key, SMALLCHI_KEYS.login2019Encrypted), 2019), {
    userId: 102,
    password: '123456',
    centerId: 102,
    downLinkIp: '127.0.0.1',
    downLinkPort: 10062,
  });
});

test('2019 0x1202 from the field: plate, Beijing time, the 2011 layout inside GNSS_DATA', () => {
  const f = frame(SMALLCHI.location2019);
  assert.equal(f.header.edition, 2019);
  assert.equal(new Date(f.header.time!).toISOString(), '2025-09-29T09:54:58.000Z');
  const x = m.decodeExchange(f.body)!;
  assert.deepEqual([x.plate, x.color, x.dataType], ['测试报警', 1, 0x1202]);
  const p = m.decodeRealLocation(x.data, 2019)!;
  assert.equal(p.layout, '2011');
  assert.equal(new Date(p.time).toISOString(), '2025-09-29T09:54:43.000Z'); // 17:54:43 +08
  assert.deepEqual([p.lon, p.lat, p.speed, p.course, p.altitude, p.positioned, p.alarm], [112.414833, 34.674454, 0, 123, 176, true, 1]);
  assert.equal(p.problem, undefined);
});

test('2019 0x1202 data with a JT/T 808 0x0200 body; ENCRYPT 1 marks it unusable', () => {
  const p = m.decodeRealLocation(hexBytes(SMALLCHI_PARTS.realLocation2019), 2019)!;
  assert.equal(p.layout, '808');
  assert.deepEqual([p.lat, p.lon, p.speed, p.alarm, p.status], [12.222222, 132.444444, 6, 1, 2]);
  assert.equal(new Date(p.time).toISOString(), '2018-07-15T02:10:10.000Z');
  assert.deepEqual(p.platformAlarms, [
    { platformId: '11111111111', alarm: 1 },
    { platformId: '22222222222', alarm: 2 },
    { platformId: '33333333333', alarm: 3 },
  ]);
  assert.equal(p.problem, 'encrypted');
});

test('2011 0x1203 data: three positions', () => {
  const ps = m.decodeHistoryLocation(hexBytes(SMALLCHI_PARTS.historyLocation2011), 2011)!;
  assert.equal(ps.length, 3);
  assert.deepEqual(
    ps.map((p) => new Date(p.time).toISOString()),
    ['2012-07-19T07:15:15.000Z', '2012-07-19T08:16:16.000Z', '2012-07-19T09:17:17.000Z'],
  );
  assert.deepEqual(
    [ps[0]!.lon, ps[0]!.lat, ps[0]!.speed, ps[0]!.recorderSpeed, ps[0]!.course, ps[0]!.altitude, ps[0]!.status, ps[0]!.alarm],
    [133.123456, 24.123456, 50, 51, 45, 45, 3, 257],
  );
  // One byte short: the count and the bytes disagree.
  assert.equal(m.decodeHistoryLocation(hexBytes(SMALLCHI_PARTS.historyLocation2011).subarray(0, 108), 2011), null);
});

test('2019 0x1402: 超时停车 for 测A93228', () => {
  const f = frame(SMALLCHI.warning2019);
  const x = m.decodeWarnMsg(f.body, 2019)!;
  assert.equal(x.dataType, 0x1402);
  const w = m.decodeWarning(x.data, 2019)!;
  assert.deepEqual([w.sourcePlatformId, w.type, w.plate, w.color, w.info], ['JC2020PT088', 0xa001, '测A93228', 2, '超时停车']);
  assert.equal(new Date(w.time).toISOString(), '2020-09-14T14:16:30.000Z');
});

test('2019 0x1201 vehicle registration (粤A12345)', () => {
  const x = m.decodeExchange(frame(SMALLCHI.register2019).body)!;
  assert.deepEqual([x.plate, x.color, x.dataType], ['粤A12345', 1, 0x1201]);
  assert.deepEqual(m.decodeVehicleRegistration(x.data, 2019), {
    platformId: '1111111111',
    producerId: '1111111111',
    terminalModel: '11111111',
    imei: '123456789',
    terminalId: '11111AA',
    sim: '222222222222',
  });
});

test('encode → parse round trips in both editions, with escapes, encrypted or not', () => {
  for (const edition of [2011, 2019] as const) {
    for (const encrypt of [undefined, { key: 0x5b5d5a5e, keys: { m1: 0x5b, ia1: 0x5d, ic1: 0x5e } }]) {
      const fix = { time: Date.UTC(2026, 11, 5, 8, 0, 0), lat: 31.2345, lon: 121.5, speed: 42, course: 91, altitude: 5, alarm: 0x5b5d };
      const body = m.encodeExchange('沪A5B5D', 2, m.SUB.REAL_LOCATION, m.encodePosition(fix, edition));
      const wire = encodeFrame({ msgId: m.MSG.UP_EXG_MSG, sn: 0x5b5a5d5e, centerId: 0x5d5b, body, edition, encrypt, time: fix.time });
      const c = content(wire.toString('hex'));
      assert.equal(guessEdition(c), edition);
      const p = parseFrame(c, edition);
      assert.ok(p.ok);
      assert.equal(p.frame.header.sn, 0x5b5a5d5e);
      const plain = encrypt ? jt809Cipher(p.frame.body, p.frame.header.key, encrypt.keys) : p.frame.body;
      const x = m.decodeExchange(plain)!;
      assert.equal(x.plate, '沪A5B5D');
      const pos = m.decodeRealLocation(x.data, edition)!;
      assert.deepEqual([pos.time, pos.lat, pos.lon, pos.speed, pos.course, pos.alarm, pos.positioned], [fix.time, fix.lat, fix.lon, 42, 91, 0x5b5d, true]);
    }
  }
});
