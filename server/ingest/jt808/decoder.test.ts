// Real frames (Traccar's HuabaoProtocolDecoderTest / Jt808ProtocolDecoderTest, go-jt808 and
// jt-framework test data; see fixtures.ts) decode to the values they carry. Expected values were
// worked out by hand from the hex, not taken from this decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAlarm, decodeStatus, JT808_ALARM_BITS, JT808_STATUS_BITS } from './alarms';
import { decodeFrameHex, decodeHexStream } from './decodeHex';
import { GOJT808, JTFRAMEWORK, TRACCAR } from './fixtures';
import { decodeGbk, encodeGbk } from './gbk';

type Obj = Record<string, unknown>;
const decode = (hex: string): Obj => {
  const d = decodeFrameHex(hex) as Obj;
  assert.equal(d.ok, true, JSON.stringify(d));
  return d;
};

test('0x0100 registration, 2013 widths: province, city, maker, model, terminal id, plate (GBK) and colour', () => {
  const d = decode(TRACCAR.register2013);
  assert.equal(d.msgId, '0x0100');
  assert.equal(d.edition, 2013);
  assert.equal(d.terminal, '014130567872');
  assert.equal(d.province, 44); // 0x002C: Guangdong
  assert.equal(d.city, 303);
  assert.equal(d.maker, '70111');
  assert.equal(d.model, 'BSJ-A6-BD');
  assert.equal(d.terminalId, '0567872');
  assert.equal(d.plateColor, 1);
  assert.equal(d.plate, '粤B88888');
  assert.equal(d.layout, '2013');
  const b = decode(TRACCAR.register2013b);
  assert.equal(b.plate, '苏BA6860');
  assert.equal(b.plateColor, 2);
  assert.equal(b.model, 'HB-R03GBD');
  assert.equal(decode(GOJT808.register2013).plate, '测A1234');
});

test('0x0100 registration, 2011 widths (model 8 bytes) when the body is shorter than the 2013 fixed part', () => {
  const d = decode(TRACCAR.register2011);
  assert.equal(d.layout, '2011');
  assert.equal(d.model, 'BSJ-M7B');
  assert.equal(d.terminalId, '0000000');
  assert.equal(d.plate, '粤B88888');
  const g = decode(GOJT808.register2011);
  assert.equal(g.layout, '2011');
  assert.equal(g.plate, '测A1234');
  assert.equal(g.terminalId, '7654321');
});

test('0x0100 registration, 2019 edition: 20-digit phone, version byte, 11/30/30 field widths', () => {
  const d = decode(TRACCAR.register2019);
  assert.equal(d.edition, 2019);
  assert.equal(d.protocolVersion, 1);
  assert.equal(d.terminal, '00000866496077582164');
  assert.equal(d.assetKey, 'tel:00000866496077582164');
  assert.equal(d.serial, 0x5218);
  assert.equal(d.model, 'MD300');
  assert.equal(d.terminalId, '866496077582164');
  assert.equal(d.plateColor, 4);
  assert.equal(d.plate, '');
  const g = decode(GOJT808.register2019);
  assert.equal(g.layout, '2019');
  assert.equal(g.province, 31);
  assert.equal(g.city, 115);
  assert.equal(g.maker, 'cd');
  assert.equal(g.model, 'www.808.com');
  assert.equal(g.terminalId, '7654321');
  assert.equal(g.plate, '测A1234');
});

test('0x0102 authentication: 2013 (the whole body is the code) and 2019 (length, code, IMEI, software version)', () => {
  assert.equal(decode(TRACCAR.auth2013).authCode, 'authentication'); // 14 bytes; 0x3F is the check code
  assert.equal(decode(TRACCAR.auth2013b).authCode, '2011110811332196');
  const d = decode(GOJT808.auth2019);
  assert.equal(d.edition, 2019);
  assert.equal(d.authCode, '17299841738');
  assert.equal(d.imei, '123456789012345');
  assert.equal(d.softwareVersion, '3.7.15');
});

test('0x0002 heartbeat: header only', () => {
  const d = decode(TRACCAR.heartbeat);
  assert.equal(d.msgId, '0x0002');
  assert.equal(d.name, 'heartbeat');
  assert.equal(d.terminal, '043048325465');
});

test('0x0200 location: coordinates ×10⁻⁶, altitude m, speed ×0.1 km/h, course, GMT+8 time, additional items', () => {
  const d = decode(TRACCAR.location);
  assert.equal(d.terminal, '013833501744');
  assert.equal(d.lat, 22.6426); // 0x01597FA8 = 22642600
  assert.equal(d.lon, 114.032984); // 0x06CC0158
  assert.equal(d.altitude, 128);
  assert.equal(d.speed, 0);
  assert.equal(d.course, 8);
  assert.equal(d.time, '2015-08-17T23:21:21.000Z'); // 150818072121 at GMT+8
  assert.equal(d.positioned, true);
  assert.deepEqual(d.status, { bits: 0xc2, hex: '0x000000C2', names: ['positioned', 'forward_collision_warning', 'lane_departure_warning'] });
  assert.deepEqual(d.extras, { mileageKm: 75.7, fuelL: 0, recorderSpeedKmh: 0 });

  const raw = decode(TRACCAR.locationRawItem);
  assert.equal(raw.altitude, 547);
  assert.deepEqual((raw.extras as Obj).raw, { '0xEB': '00050001016708' });
  assert.deepEqual((raw.status as Obj).names, ['acc_on', 'positioned']);

  const alarm = decode(TRACCAR.locationAlarm);
  assert.equal(alarm.course, 341);
  assert.equal(alarm.altitude, 235);
  assert.deepEqual(alarm.alarm, { bits: 0x80, hex: '0x00000080', names: ['main_power_undervoltage'] });

  const sig = decode(TRACCAR.locationSignal);
  assert.equal((sig.extras as Obj).signalStrength, 28);
  assert.equal((sig.extras as Obj).satellites, 9);
  assert.deepEqual((sig.status as Obj).names, ['positioned', 'gps', 'beidou']); // 0x000C0002
});

test('0x0200 location, every standard additional item (go-jt808 data: lat/lon swapped there, so flagged)', () => {
  const d = decode(GOJT808.locationAllItems2013);
  assert.equal(d.problem, 'coordinates'); // lat field holds 116.307629
  assert.deepEqual(d.extras, {
    mileageKm: 1.1,
    fuelL: 2.2,
    recorderSpeedKmh: 3.3,
    alarmEventId: 44,
    raw: { '0x05': '373737000000000000000000000000000000000000000000000000000000' }, // tyre pressure (2019)
    overspeed: { locationType: 0x42, areaId: 0x42 },
    areaRoute: { locationType: 0x4d, areaId: 0x4d, direction: 'out' },
    routeTime: { routeId: 0x58, travelTimeS: 0x58, result: 'long' },
    vehicleSignal: 0x63,
    ioStatus: 10,
    analog: { ad0: 20, ad1: 0 },
    signalStrength: 30,
    satellites: 40,
  });
  assert.deepEqual((d.alarm as Obj).names, ['tts_fault']);
});

test('0x0200 location, 2019 edition: in/out area and route alarm bits', () => {
  const d = decode(JTFRAMEWORK.location2019);
  assert.equal(d.edition, 2019);
  assert.equal(d.terminal, '00000000013912344321');
  assert.deepEqual(d.alarm, { bits: 0x00300000, hex: '0x00300000', names: ['area_in_out', 'route_in_out'] });
  assert.equal(d.lat, 30.22893);
  assert.equal(d.lon, 120.12792);
  assert.equal(d.altitude, 2345);
  assert.equal(d.speed, 66.6);
  assert.equal(d.course, 90);
  assert.equal(d.time, '2023-04-28T13:31:41.000Z');
  assert.equal(d.positioned, false);
});

test('0x0704 batch: count, type (blind area), each item a 0x0200 body; 2019 batch south of the equator', () => {
  const d = decode(TRACCAR.batch2013);
  assert.equal(d.count, 8);
  assert.equal(d.type, 'blind_area');
  const locs = d.locations as Obj[];
  assert.equal(locs.length, 8);
  assert.deepEqual(
    { ...locs[0], alarm: undefined, status: undefined },
    {
      time: '2016-05-27T01:06:24.000Z',
      lat: 22.639634,
      lon: 114.031952,
      speed: 0,
      course: 1,
      altitude: 370,
      positioned: true,
      alarm: undefined,
      status: undefined,
      extras: { mileageKm: 2.9, recorderSpeedKmh: 0 },
    },
  );
  assert.equal(locs[7]!.time, '2016-05-27T01:10:02.000Z');

  const b = decode(TRACCAR.batch2013b);
  assert.equal(b.count, 4);
  const last = (b.locations as Obj[])[3]!;
  assert.deepEqual((last.alarm as Obj).names, ['main_power_off']);
  assert.deepEqual((last.status as Obj).names, ['acc_on', 'positioned', 'electric_circuit_cut']);

  const n = decode(TRACCAR.batch2019);
  assert.equal(n.edition, 2019);
  assert.equal(n.terminal, '00000866496077582164');
  const [fix] = n.locations as Obj[];
  assert.equal(fix!.lat, -27.263378);
  assert.equal(fix!.lon, 153.037383);
  assert.equal(fix!.time, '2026-05-09T08:42:27.000Z');
  assert.deepEqual(fix!.extras, { mileageKm: 960.2, signalStrength: 0, satellites: 14 });
});

test('decoded frames are plain JSON; failures say why', () => {
  for (const hex of [...Object.values(TRACCAR), ...Object.values(GOJT808), ...Object.values(JTFRAMEWORK)]) {
    const d = decodeFrameHex(hex);
    assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
  }
  assert.deepEqual(decodeFrameHex('zz'), { ok: false, error: 'not_hex' });
  assert.equal((decodeFrameHex(TRACCAR.badChecksum) as Obj).error, 'checksum');
  assert.equal((decodeFrameHex(TRACCAR.authNonBcdPhone) as Obj).error, 'phone');
  // Without delimiters, lower or upper case, with spaces.
  assert.equal((decodeFrameHex(` ${TRACCAR.heartbeat.slice(2, -2).toUpperCase()} `) as Obj).msgId, '0x0002');
});

test('a hex stream: frames back to back, garbage between them skipped and reported', () => {
  // After a good frame, bytes up to the next 0x7E are garbage. After a refused frame its closing
  // 0x7E may have been an opening one, so the bytes after it are a (too short) candidate frame.
  const stream = `${TRACCAR.heartbeat}0d0a${TRACCAR.location}${TRACCAR.badChecksum}ffff${TRACCAR.batch2019}`;
  const out = decodeHexStream(stream) as Obj[];
  assert.deepEqual(
    out.map((d) => (d.ok ? d.msgId : d.error)),
    ['0x0002', 'garbage', '0x0200', 'checksum', 'short', '0x0704'],
  );
  assert.equal(out[1]!.bytes, 2);
});

test('alarm and status names follow JT/T 808-2013 tables 24 and 25', () => {
  assert.deepEqual(decodeAlarm(0), []);
  assert.deepEqual(decodeAlarm(1), ['emergency']);
  assert.deepEqual(decodeAlarm(0x80000000), ['illegal_door_open']);
  assert.deepEqual(decodeAlarm((1 << 23) | (1 << 28)), ['route_deviation', 'illegal_displacement']);
  assert.equal(decodeAlarm(0xffffffff).length, 32);
  assert.equal(JT808_ALARM_BITS[19], 'overtime_parking');
  assert.equal(JT808_ALARM_BITS[20], 'area_in_out');
  assert.equal(JT808_ALARM_BITS[27], 'illegal_ignition');
  assert.equal(JT808_ALARM_BITS[29], 'collision_warning');
  assert.deepEqual(decodeStatus(0b1111), ['acc_on', 'positioned', 'south_latitude', 'west_longitude']);
  assert.deepEqual(decodeStatus(1 << 8), ['load_half']);
  assert.deepEqual(decodeStatus((1 << 13) | (1 << 12)), ['doors_locked', 'door1_open']);
  assert.equal(JT808_STATUS_BITS[16], 'door4_open');
  assert.deepEqual(decodeStatus(1 << 30), ['bit30']);
});

test("GBK plates: decode and encode (the encoder inverts Node ICU's decoder)", () => {
  assert.equal(decodeGbk(Buffer.from('d4c1423838383838', 'hex')), '粤B88888');
  for (const plate of ['沪A12345', '粤B88888', '苏BA6860', '京A·12345', 'ABC123', '新J12345挂']) {
    assert.equal(decodeGbk(encodeGbk(plate)), plate);
  }
  assert.equal(Buffer.from(encodeGbk('粤B88888')).toString('hex'), 'd4c1423838383838');
});
