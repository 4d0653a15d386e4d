// The decoder on real and built sentences: multi-part reassembly (interleaved, out of order,
// timed out), tag blocks, "not available" values, units, the sink and the metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { framesDecoded } from '../metrics';
import type { IngestSink } from '../types';
import { AisAssembler, type AisRejectReason } from './assembler';
import { aisToReport, aisToStatic } from './convert';
import { AisDecoder, decodeAisLines, type AisLineOutput } from './decoder';
import type { AisMessage } from './messages';
import { buildSentence, nmeaChecksum, parseSentence } from './nmea';
import { fieldBits, recordingSink, sentencesFor, type1Bits, type5Bits } from './testing';

function collect(opts: ConstructorParameters<typeof AisAssembler>[1] = {}) {
  const messages: AisMessage[] = [];
  const rejected: { reason: AisRejectReason; detail: string; sample: string }[] = [];
  const a = new AisAssembler({ message: (m) => messages.push(m), rejected: (reason, detail, sample) => rejected.push({ reason, detail, sample }) }, opts);
  return { a, messages, rejected };
}

// Two real type 5 messages from gpsd's ais-raw-messages log (VERGINA, LADY RINA).
const VERGINA = ['53R=aR800001=SC?7@1HE8LTp40000000000000l0`?2453a052Dm23B@@00', '00000000002'];
const LADY_RINA = ['53cv1d82BuaLT9Db220h4AV18Tp622222222221@APcA:4v<0BilPAm88888', '88888888880'];
const part = (p: string[], k: number, id: string, channel = 'A') => buildSentence({ count: 2, num: k + 1, id, channel, payload: p[k]!, fill: k === 1 ? 2 : 0 });

test('two type 5 messages interleaved on one channel with different ids both decode, whatever the order', () => {
  const orders = [
    [part(VERGINA, 0, '1'), part(LADY_RINA, 0, '2'), part(VERGINA, 1, '1'), part(LADY_RINA, 1, '2')],
    [part(VERGINA, 0, '1'), part(LADY_RINA, 0, '2'), part(LADY_RINA, 1, '2'), part(VERGINA, 1, '1')],
    [part(LADY_RINA, 0, '2'), part(VERGINA, 0, '1'), part(VERGINA, 1, '1'), part(LADY_RINA, 1, '2')],
  ];
  for (const lines of orders) {
    const { a, messages, rejected } = collect();
    for (const l of lines) a.push(l, 1000);
    assert.deepEqual(rejected, []);
    const byName = Object.fromEntries(messages.map((m) => [m.type === 5 ? m.shipname : '', m]));
    assert.deepEqual(Object.keys(byName).sort(), ['LADY RINA', 'VERGINA']);
    const v = byName.VERGINA!;
    assert.ok(v.type === 5);
    assert.equal(v.mmsi, '237201800');
    assert.equal(v.callsign, 'SX4314');
    assert.equal(v.destination, 'ISTHMIA');
    assert.equal(v.draught, 2);
    assert.deepEqual(v.eta, { month: 4, day: 7, hour: 9, minute: 0 });
    const r = byName['LADY RINA']!;
    assert.ok(r.type === 5);
    assert.equal(r.mmsi, '247431600');
    assert.equal(r.imo, 9631383);
    assert.equal(r.destination, 'GRAGT');
    assert.equal(a.pending, 0);
  }
});

test('the same ids on different channels, or from different tag block sources, do not mix either', () => {
  const { a, messages, rejected } = collect();
  a.push(part(VERGINA, 0, '3', 'A'));
  a.push(part(LADY_RINA, 0, '3', 'B'));
  a.push(part(LADY_RINA, 1, '3', 'B'));
  a.push(part(VERGINA, 1, '3', 'A'));
  const tag = (s: string) => `\\s:${s}*${nmeaChecksum(`s:${s}`)}\\`;
  a.push(tag('north') + part(VERGINA, 0, '4'));
  a.push(tag('south') + part(LADY_RINA, 0, '4'));
  a.push(tag('north') + part(VERGINA, 1, '4'));
  a.push(tag('south') + part(LADY_RINA, 1, '4'));
  assert.deepEqual(rejected, []);
  assert.deepEqual(
    messages.map((m) => (m.type === 5 ? m.shipname : '')),
    ['LADY RINA', 'VERGINA', 'VERGINA', 'LADY RINA'],
  );
  assert.deepEqual(
    messages.map((m) => m.source),
    [undefined, undefined, 'north', 'south'],
  );
});

test('a part that never comes: rejected as fragment after the timeout (on the next line or on expire), never mixed', () => {
  const { a, messages, rejected } = collect({ fragmentTimeoutMs: 5000 });
  a.push(part(VERGINA, 0, '1'), 0);
  a.push(part(LADY_RINA, 0, '2'), 100);
  a.push(part(LADY_RINA, 1, '2'), 200); // LADY RINA completes
  assert.equal(messages.length, 1);
  a.expire(5001); // VERGINA's part 2 is late
  assert.deepEqual(
    rejected.map((r) => r.reason),
    ['fragment'],
  );
  assert.match(rejected[0]!.sample, /53R=aR8/);
  a.push(part(VERGINA, 1, '1'), 5002); // the late part: no part 1 to join any more
  assert.deepEqual(
    rejected.map((r) => r.reason),
    ['fragment', 'fragment'],
  );
  assert.equal(messages.length, 1);

  // A timeout noticed on the next line, not only by expire().
  const b = collect({ fragmentTimeoutMs: 5000 });
  b.a.push(part(VERGINA, 0, '1'), 0);
  b.a.push(part(VERGINA, 1, '1'), 6000);
  assert.deepEqual(b.messages, []);
  assert.deepEqual(
    b.rejected.map((r) => r.reason),
    ['fragment', 'fragment'],
  );
});

test('out-of-order, repeated and orphan parts are rejected as fragment, and a later good message still decodes', () => {
  const { a, messages, rejected } = collect();
  a.push(part(VERGINA, 1, '1')); // part 2 first: orphan
  a.push(part(VERGINA, 0, '1'));
  a.push(part(VERGINA, 0, '1')); // part 1 again: the first one is given up
  assert.deepEqual(
    rejected.map((r) => r.reason),
    ['fragment', 'fragment'],
  );
  a.push(part(VERGINA, 1, '1')); // completes the second part 1
  assert.equal(messages.length, 1);

  // Three parts, the middle one missing: part 3 where 2 was due.
  const bits = type5Bits({ mmsi: 413000001, name: 'THREE PARTS', callsign: 'BXYZ', destination: 'SHANGHAI' });
  const three = sentencesFor(bits, { perSentence: 30, id: '5' });
  assert.equal(three.length, 3);
  a.push(three[0]!);
  a.push(three[2]!);
  assert.equal(rejected.at(-1)!.reason, 'fragment');
  assert.equal(a.pending, 0);
  for (const l of three) a.push(l);
  assert.equal(messages.length, 2);
  const m = messages[1]!;
  assert.ok(m.type === 5 && m.shipname === 'THREE PARTS' && m.destination === 'SHANGHAI');
  a.flush();
  assert.equal(rejected.length, 3);
});

test('flush at end of stream rejects what is still waiting; pending messages are bounded', () => {
  const { a, rejected } = collect({ maxPending: 4 });
  for (let id = 0; id < 10; id++) a.push(part(VERGINA, 0, String(id)));
  assert.equal(a.pending, 4);
  assert.equal(rejected.length, 6);
  a.flush();
  assert.equal(a.pending, 0);
  assert.equal(rejected.length, 10);
  assert.ok(rejected.every((r) => r.reason === 'fragment'));
});

test('tag blocks: c: (seconds or ms) sets the report time; s: the source; a bad tag block checksum is rejected', () => {
  const sentence = '!AIVDM,1,1,,B,13U4vF0P001d<UnEeSmQ>gv`04hd,0*4C';
  const tagged = (body: string) => `\\${body}*${nmeaChecksum(body)}\\${sentence}`;
  const received = 1_800_000_000_000;
  const { sink, positions, rejected } = recordingSink();
  const d = new AisDecoder({ sink });
  d.push(tagged('s:rStation7,c:1700000000'), received);
  d.push(tagged('c:1700000000123,s:rStation7'), received);
  d.push(sentence, received);
  d.push(`\\s:rStation7,c:1700000000*00\\${sentence}`, received); // bad tag block checksum
  d.push(`\\s:rStation7,c:1700000000\\${sentence}`, received); // tag block without a checksum
  assert.deepEqual(
    positions.map((p) => p.time),
    [1_700_000_000_000, 1_700_000_000_123, received],
  );
  assert.deepEqual(
    rejected.map((r) => r.reason),
    ['checksum', 'format'],
  );

  const msgs: AisMessage[] = [];
  const a = new AisAssembler({ message: (m) => msgs.push(m), rejected: () => {} });
  a.push(tagged('s:rStation7,c:1700000000'));
  assert.equal(msgs[0]!.source, 'rStation7');
  assert.equal(msgs[0]!.tagTime, 1_700_000_000_000);
});

test("tag block groups: later parts that carry only g: join the first part's source, and its time carries over", () => {
  const g = (n: number, extra: string) => {
    const body = `g:${n}-2-4242${extra}`;
    return `\\${body}*${nmeaChecksum(body)}\\`;
  };
  const { a, messages, rejected } = collect();
  a.push(g(1, ',s:rX,c:1700000100') + part(VERGINA, 0, '7'));
  a.push(g(2, '') + part(VERGINA, 1, '7'));
  assert.deepEqual(rejected, []);
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.source, 'rX');
  assert.equal(messages[0]!.tagTime, 1_700_000_100_000);
  const report = aisToReport({ ...type1Msg(), tagTime: 1_700_000_100_000 }, 5);
  assert.equal(report!.time, 1_700_000_100_000);
});

function type1Msg(): AisMessage {
  const { a, messages } = collect();
  a.push('!AIVDM,1,1,,B,13U4vF0P001d<UnEeSmQ>gv`04hd,0*4C');
  return messages[0]!;
}

test('"not available" values come out absent, never as numbers; a report needs a real lat/lon', () => {
  const na = type1Bits({ mmsi: 413000002, status: 15, rot: -128, sog: 1023, lon: 181 * 600000, lat: 91 * 600000, cog: 3600, heading: 511, second: 60 });
  const { a, messages } = collect();
  for (const l of sentencesFor(na)) a.push(l);
  const m = messages[0]!;
  assert.ok(m.type === 1);
  for (const k of ['navStatus', 'rot', 'rotRaw', 'sog', 'lon', 'lat', 'cog', 'heading', 'timestampSec'] as const) assert.equal(m[k], undefined, k);
  assert.equal(aisToReport(m, 1000), null);

  // Position given, the rest not available: a report with no speed, course or heading.
  const half = type1Bits({ mmsi: 413000002, sog: 1023, lon: Math.round(121.5 * 600000), lat: Math.round(31.25 * 600000), cog: 3600, heading: 511 });
  for (const l of sentencesFor(half)) a.push(l);
  const r = aisToReport(messages[1]!, 1000)!;
  assert.deepEqual(r, { assetKey: 'mmsi:413000002', kind: 'vessel', time: 1000, lon: 121.5, lat: 31.25, source: 'ais' });

  // Out of range is not available either: lat 95, lon -200, cog 370.0, heading 400.
  const bad = type1Bits({ mmsi: 413000002, lon: -200 * 600000, lat: 95 * 600000, cog: 3700, heading: 400, sog: 50 });
  for (const l of sentencesFor(bad)) a.push(l);
  const b = messages[2]!;
  assert.ok(b.type === 1);
  assert.deepEqual([b.lat, b.lon, b.cog, b.heading, b.sog], [undefined, undefined, undefined, undefined, 5]);

  // Type 27: sog 63 and cog 511 are not available.
  const lr = fieldBits([
    [6, 27],
    [2, 0],
    [30, 413000003],
    [1, 0],
    [1, 0],
    [4, 0],
    [18, Math.round(121.5 * 600)],
    [17, Math.round(31.25 * 600)],
    [6, 63],
    [9, 511],
    [1, 0],
    [1, 0],
  ]);
  for (const l of sentencesFor(lr)) a.push(l);
  const l27 = messages[3]!;
  assert.ok(l27.type === 27);
  assert.deepEqual([l27.lat, l27.lon, l27.sog, l27.cog], [31.25, 121.5, undefined, undefined]);
  assert.deepEqual(aisToReport(l27, 7), { assetKey: 'mmsi:413000003', kind: 'vessel', time: 7, lon: 121.5, lat: 31.25, source: 'ais' });

  // Type 5: IMO 0, draught 0, ship type 0, ETA 0-0 24:60 and empty strings are not available.
  for (const l of sentencesFor(type5Bits({ mmsi: 413000004 }))) a.push(l);
  const s = messages[4]!;
  assert.ok(s.type === 5);
  assert.deepEqual([s.imo, s.draught, s.shiptype, s.eta, s.shipname, s.callsign, s.destination], [undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  assert.equal(aisToStatic(s), null); // nothing but the class: no update
});

test('units: knots to km/h for the report, course and heading in degrees, class A static data', () => {
  const { a, messages } = collect();
  a.push('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A'); // gpsd sample: 12.3 kn, 224.0°, heading 215
  const m = messages[0]!;
  assert.ok(m.type === 1);
  assert.equal(m.sog, 12.3);
  assert.equal(m.rotRaw, -127);
  assert.equal(m.rot, undefined);
  const r = aisToReport(m, 1_750_000_000_000)!;
  assert.equal(r.assetKey, 'mmsi:371798000');
  assert.equal(r.speed, 22.78);
  assert.equal(r.course, 224);
  assert.equal(r.heading, 215);
  assert.ok(Math.abs(r.lat - 48.3816333) < 1e-6 && Math.abs(r.lon + 123.3953833) < 1e-6);
  assert.equal(r.label, undefined);

  for (const l of sentencesFor(
    type5Bits({
      mmsi: 413000005,
      imo: 9134270,
      callsign: 'BQZX',
      name: 'ZHE HAI 501@@@',
      shiptype: 70,
      dims: [225, 70, 1, 31],
      eta: [5, 15, 14, 0],
      draught: 122,
      destination: 'NINGBO  ',
    }),
  ))
    a.push(l);
  assert.deepEqual(aisToStatic(messages[1]!), {
    mmsi: '413000005',
    aisClass: 'A',
    name: 'ZHE HAI 501',
    callSign: 'BQZX',
    imo: '9134270',
    shipType: 70,
    lengthM: 295,
    beamM: 32,
    draughtM: 12.2,
    destination: 'NINGBO',
    eta: '05-15T14:00',
  });
});

test('class B static data: 24 part A gives the name, part B the rest; 19 gives both', () => {
  const { a, messages } = collect();
  a.push('!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D'); // gpsd sample: PROGUY
  a.push('!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40');
  a.push('!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B'); // type 19: CAPT.J.RIMES
  assert.deepEqual(aisToStatic(messages[0]!), { mmsi: '271041815', aisClass: 'B', name: 'PROGUY' });
  assert.deepEqual(aisToStatic(messages[1]!), { mmsi: '271041815', aisClass: 'B', callSign: 'TC6163', shipType: 60, lengthM: 15, beamM: 5 });
  assert.deepEqual(aisToStatic(messages[2]!), { mmsi: '367059850', aisClass: 'B', name: 'CAPT.J.RIMES', shipType: 70, lengthM: 26, beamM: 8 });
  const r = aisToReport(messages[2]!, 1)!;
  assert.equal(r.speed, Math.round(8.7 * 1.852 * 1000) / 1000);
});

test('AisDecoder feeds the sink: positions, static data, ignored types, rejections with short reasons; counts decoded frames', async () => {
  const { sink, positions, statics, rejected, ignored } = recordingSink();
  const d = new AisDecoder({ sink });
  const before = (await framesDecoded.get()).values.find((v) => v.labels.protocol === 'ais')?.value ?? 0;
  d.push('!AIVDM,1,1,,B,13U4vF0P001d<UnEeSmQ>gv`04hd,0*4C', 1_750_000_000_000); // type 1
  d.push(part(VERGINA, 0, '1'));
  d.push(part(VERGINA, 1, '1')); // type 5
  d.push('!AIVDM,1,1,,A,85Mwp`1Kf3aCnsNvBWLi=wQuNhA5t43N`5nCuI=p<IBfVqnMgPGs,0*47'); // type 8
  d.push('!AIVDM,1,1,,B,13U4vF0P001d<UnEeSmQ>gv`04hd,0*4D'); // checksum
  d.push('!AIVDM,1,1,,B,13U4vF0P001d<UnEeSmQ>gv`04hd,0'); // no checksum
  d.push('!AIVDM,1,1,,B,13U4vF0P001d<UnEeSmQ>gv`04hd'); // no checksum either
  d.push(`!AIVDM,1,1,,B,B,13U4vF0P001d<UnEeSmQ>gv\`04hd,0*${nmeaChecksum('AIVDM,1,1,,B,B,13U4vF0P001d<UnEeSmQ>gv`04hd,0')}`); // format: 8 fields
  d.push(buildSentence({ count: 1, num: 1, channel: 'B', payload: '13U4vF0P00{d<UnEeSmQ>gv`04hd', fill: 0 })); // payload char
  d.push(buildSentence({ count: 1, num: 1, channel: 'B', payload: '13U4vF', fill: 0 })); // too short
  d.push('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A');
  d.push('');
  d.oversize('x'.repeat(2000));
  d.push(part(VERGINA, 1, '9')); // orphan part 2
  assert.equal(positions.length, 1);
  assert.equal(positions[0]!.source, 'ais');
  assert.equal(positions[0]!.kind, 'vessel');
  assert.equal(positions[0]!.time, 1_750_000_000_000);
  assert.deepEqual(
    statics.map((s) => s.name),
    ['VERGINA'],
  );
  assert.deepEqual(ignored, ['type 8', 'nmea other']);
  assert.deepEqual(
    rejected.map((r) => r.reason),
    ['checksum', 'checksum', 'checksum', 'format', 'payload', 'payload', 'oversize', 'fragment'],
  );
  assert.ok(rejected.every((r) => r.protocol === 'ais' && (r.sample ?? '').length <= 200));
  const after = (await framesDecoded.get()).values.find((v) => v.labels.protocol === 'ais')!.value;
  assert.equal(after - before, 2);
});

test('a sink that throws does not make the decoder throw', () => {
  const sink: IngestSink = {
    position: () => {
      throw new Error('boom');
    },
    vesselStatic: () => {
      throw new Error('boom');
    },
    rejected: () => {
      throw new Error('boom');
    },
    ignored: () => {
      throw new Error('boom');
    },
  };
  const d = new AisDecoder({ sink });
  d.push('!AIVDM,1,1,,B,13U4vF0P001d<UnEeSmQ>gv`04hd,0*4C');
  d.push('junk');
  d.oversize('x');
  d.push(part(VERGINA, 0, '1'));
  d.expire(Date.now() + 60_000);
  d.flush();
});

test('sentence layer: talkers, VDO, lowercase checksum, fields after the checksum, a logger prefix, channel 1/2', () => {
  const ok = (l: string) => {
    const r = parseSentence(l);
    assert.equal(r.kind, 'vdm', `${l}: ${JSON.stringify(r)}`);
    return r.kind === 'vdm' ? r.sentence : undefined!;
  };
  for (const talker of ['AI', 'BS', 'AB', 'B2'])
    assert.equal(ok(buildSentence({ talker, count: 1, num: 1, channel: 'A', payload: '13U4vF0P001d<UnEeSmQ>gv`04hd', fill: 0 })).talker, talker);
  assert.equal(ok(buildSentence({ formatter: 'VDO', count: 1, num: 1, payload: 'B39i>1000nTu;gQAlBj:wwS5kP06', fill: 0 })).formatter, 'VDO');
  assert.equal(ok('!AIVDM,1,1,,A,13aIkM@P00PJ@qPNL=e@0?wJ28JO,0*66').fill, 0);
  ok('!AIVDM,1,1,,B,:6TMCD1GOS60,0*5b');
  ok('!AIVDM,1,1,,B,:6TMCD1GOS60,0*5B,s36310,d-081,T59.01777335');
  ok('2024-01-01T00:00:00Z !AIVDM,1,1,,B,:6TMCD1GOS60,0*5B\r\n');
  assert.equal(ok('!AIVDM,1,1,,2,D02E34iFTg6D000000000000002gjG2,0*75').channel, '2');
  assert.deepEqual(parseSentence('  \r\n'), { kind: 'blank' });
  assert.equal(parseSentence('!AIVDM,1,1,,B,:6TMCD1GOS60,0*5B junk').kind, 'error');
  assert.equal(parseSentence('!AIVDM,1,2,,B,:6TMCD1GOS60,0*5B').kind, 'error');
});

test('decodeAisLines: one JSON-able object per message and per rejected input, in plain units', async () => {
  const out: AisLineOutput[] = [];
  async function* lines() {
    yield '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';
    yield '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B';
    yield '!AIVDM,1,1,,A,403OviQuMGCqWrRO9>E6fE700@GO,0*4D';
    yield part(VERGINA, 0, '1');
  }
  const summary = await decodeAisLines(lines(), (o) => out.push(JSON.parse(JSON.stringify(o)) as AisLineOutput));
  assert.deepEqual(summary.byReason, { checksum: 1, fragment: 1 });
  assert.equal(summary.messages, 2);
  const [pos, bad, base, frag] = out;
  assert.deepEqual(pos, {
    kind: 'message',
    line: 1,
    type: 1,
    repeat: 0,
    mmsi: '371798000',
    channel: 'A',
    rotRaw: -127,
    sog: 12.3,
    accuracy: true,
    lon: -123.39538333333333,
    lat: 48.38163333333333,
    cog: 224,
    heading: 215,
    timestampSec: 33,
    maneuver: 0,
    raim: false,
    radio: 34017,
    navStatus: 0,
  });
  assert.equal(bad!.kind, 'rejected');
  assert.ok(bad!.kind === 'rejected' && bad!.reason === 'checksum' && bad!.line === 2);
  assert.ok(base!.kind === 'message' && base!.type === 4 && base!.utcIso === '2007-05-14T19:57:39.000Z');
  assert.ok(frag!.kind === 'rejected' && frag!.reason === 'fragment');
});
