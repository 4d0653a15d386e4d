// The per-connection protocol (Jt808Session) driven with real frames and the replies it sends back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PositionReportSchema } from '../../../lib/domain';
import { encodeFrame, parseFrame, unescapeBytes, type Jt808Frame } from './codec';
import { GOJT808, TRACCAR, hexBytes } from './fixtures';
import { MSG, decodeGeneralResponse, encodeAuthBody, encodeLocationBody, encodeRegistrationBody } from './messages';
import { Jt808TerminalRegistry } from './registry';
import { Jt808Session, type Jt808SessionOptions } from './session';
import { recordingSink } from './testing';

function setup(opts: Partial<Jt808SessionOptions> = {}) {
  const rec = recordingSink();
  const sent: Buffer[] = [];
  const session = new Jt808Session({
    sink: rec.sink,
    send: (b) => {
      sent.push(b);
    },
    ...opts,
  });
  const replies = (): Jt808Frame[] =>
    sent.map((b) => {
      const p = parseFrame(unescapeBytes(b.subarray(1, -1))!);
      assert.ok(p.ok);
      return p.frame;
    });
  const general = () =>
    replies()
      .filter((f) => f.header.msgId === MSG.SERVER_RESPONSE)
      .map((f) => decodeGeneralResponse(f.body)!);
  return { rec, sent, session, replies, general };
}

/** A hand-built reply frame: 7E, header+body, XOR, 7E (no escapes needed in these). */
function wire(hexContent: string): string {
  const bytes = Buffer.from(hexContent, 'hex');
  const x = bytes.reduce((a, b) => a ^ b, 0);
  return `7e${hexContent}${x.toString(16).padStart(2, '0')}7e`;
}

const stripZeros = (p: string) => p.replace(/^0+/, '');

test('registration → 0x8100 (reply serial, result 0, auth code); bytes as go-jt808 expects for 2013, 2011 and 2019', () => {
  // go-jt808 issues the phone number without leading zeros as the code, server serial 0.
  const cases = [
    [GOJT808.register2013, '7e8100000e01234567890100000000003132333435363738393031377e'],
    [GOJT808.register2011, '7e8100000e01234567890100000000003132333435363738393031377e'],
    [GOJT808.register2019, '7e8100400e010000000001729984173800000000003137323939383431373338ba7e'],
  ] as const;
  for (const [frame, reply] of cases) {
    const { session, sent } = setup({ authority: new Jt808TerminalRegistry({ authCodeFor: stripZeros }) });
    session.push(hexBytes(frame));
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.toString('hex'), reply);
  }
});

test('registration with our own codes: 0x8100 built by hand from the standard, code kept per terminal', () => {
  const terminals = new Jt808TerminalRegistry({ authSecret: 'test-secret' });
  const { session, sent, rec } = setup({ authority: terminals });
  session.push(hexBytes(TRACCAR.register2013b)); // terminal 013511221122, serial 0x0005, plate 苏BA6860
  const code = terminals.authCodeFor('013511221122');
  assert.match(code, /^[0-9A-F]{12}$/);
  const body = `0005` + `00` + Buffer.from(code).toString('hex');
  assert.equal(sent[0]!.toString('hex'), wire(`8100000f0135112211220000${body}`));
  assert.equal(session.phone, '013511221122');
  assert.equal(session.authenticated, false, 'registration is not authentication');
  assert.equal(terminals.registration('013511221122')?.plate, '苏BA6860');
  assert.equal(rec.rejects.length, 0);
});

test('authentication → 0x8001 result 0 for the issued code, 1 for another; unknown codes per acceptUnknownAuthCodes', () => {
  const phone = '013511221122';
  const auth = (code: string, serial: number) => encodeFrame({ msgId: MSG.AUTH, phone, serial, body: encodeAuthBody(code) });

  const terminals = new Jt808TerminalRegistry({ authSecret: 's' });
  let s = setup({ authority: terminals });
  s.session.push(hexBytes(TRACCAR.register2013b));
  s.session.push(auth('WRONG', 6));
  s.session.push(auth(terminals.authCodeFor(phone), 7));
  assert.deepEqual(s.general(), [
    { replySerial: 6, replyId: 0x0102, result: 1 },
    { replySerial: 7, replyId: 0x0102, result: 0 },
  ]);
  assert.equal(s.session.authenticated, true);
  assert.equal(s.rec.rejectCounts().auth, 1);

  // A code we have no record of (a made-up one): refused by default...
  s = setup({ authority: new Jt808TerminalRegistry() });
  s.session.push(hexBytes(TRACCAR.auth2013)); // "authentication"
  assert.equal(s.general()[0]!.result, 1);
  assert.equal(s.session.authenticated, false);
  // ...and accepted only where a replay asks for it (acceptUnknownAuthCodes: true).
  s = setup({ authority: new Jt808TerminalRegistry({ acceptUnknownAuthCodes: true }) });
  s.session.push(hexBytes(TRACCAR.auth2013));
  assert.equal(s.general()[0]!.result, 0);
  assert.equal(s.session.stats.unknownAuthAccepted, 1);

  // 2019 authentication, reply bytes as go-jt808 expects.
  s = setup({ authority: new Jt808TerminalRegistry({ authCodeFor: stripZeros, acceptUnknownAuthCodes: false }) });
  s.session.push(hexBytes(GOJT808.auth2019));
  assert.equal(s.sent[0]!.toString('hex'), '7e80014005010000000001729984173800000000010200877e');
});

test('heartbeat → 0x8001 in the edition the terminal used (bytes as go-jt808 expects, 2013 and 2019)', () => {
  let s = setup();
  s.session.push(hexBytes(GOJT808.heartbeat2013));
  assert.equal(s.sent[0]!.toString('hex'), GOJT808.heartbeat2013Reply);
  s = setup();
  s.session.push(hexBytes(GOJT808.heartbeat2019));
  assert.equal(s.sent[0]!.toString('hex'), GOJT808.heartbeat2019Reply);
  // Our own serial counts up per connection.
  s.session.push(hexBytes(GOJT808.heartbeat2019));
  assert.deepEqual(
    s.replies().map((f) => f.header.serial),
    [0, 1],
  );
  assert.deepEqual(
    s.replies().map((f) => f.header.edition),
    [2019, 2019],
  );
});

test('a location before authentication is answered result 1 and never reaches the sink (counted unauthenticated)', async () => {
  const s = setup();
  s.session.push(hexBytes(TRACCAR.location));
  s.session.push(hexBytes(TRACCAR.batch2013)); // 8 fixes
  assert.deepEqual(s.general(), [
    { replySerial: 0x19, replyId: 0x0200, result: 1 },
    { replySerial: 0x07f5, replyId: 0x0704, result: 1 },
  ]);
  assert.equal(s.rec.positions.length, 0);
  assert.equal(s.rec.rejectCounts().unauthenticated, 9);
  // requireAuth: false takes them.
  const open = setup({ requireAuth: false });
  open.session.push(hexBytes(TRACCAR.location));
  assert.equal(open.rec.positions.length, 1);
});

test('after registration and authentication: PositionReport to the sink, the plate as label on the first only', () => {
  const phone = '013511221122';
  const terminals = new Jt808TerminalRegistry();
  const s = setup({ authority: terminals });
  s.session.push(hexBytes(TRACCAR.register2013b));
  s.session.push(encodeFrame({ msgId: MSG.AUTH, phone, serial: 6, body: encodeAuthBody(terminals.authCodeFor(phone)) }));
  const t = Date.UTC(2026, 0, 5, 3, 4, 5);
  for (let i = 0; i < 2; i++) {
    s.session.push(
      encodeFrame({
        msgId: MSG.LOCATION,
        phone,
        serial: 7 + i,
        body: encodeLocationBody({ lat: 31.230416, lon: 121.473701, time: t + i * 1000, speed: 52.3, course: 271, alarm: 0x80000001 }),
      }),
    );
  }
  assert.deepEqual(s.rec.positions[0], {
    assetKey: 'tel:013511221122',
    kind: 'vehicle',
    source: 'jt808',
    time: t,
    lon: 121.473701,
    lat: 31.230416,
    speed: 52.3,
    course: 271,
    alarm: 0x80000001,
    label: '苏BA6860',
  });
  assert.equal(s.rec.positions[1]!.label, undefined);
  for (const p of s.rec.positions) assert.ok(PositionReportSchema.safeParse(p).success);
  assert.deepEqual(
    s.general().map((g) => g.result),
    [0, 0, 0],
  );
});

test('2019: the real 0x0704 batch after a 2019 authentication', () => {
  const phone = '00000866496077582164';
  const s = setup({ authority: new Jt808TerminalRegistry({ acceptUnknownAuthCodes: true }) }); // any code
  s.session.push(encodeFrame({ msgId: MSG.AUTH, phone, serial: 1, edition: 2019, body: encodeAuthBody('anything', 2019, '866496077582164', '1.0') }));
  s.session.push(hexBytes(TRACCAR.batch2019));
  assert.deepEqual(s.rec.positions, [
    {
      assetKey: 'tel:00000866496077582164',
      kind: 'vehicle',
      source: 'jt808',
      time: Date.parse('2026-05-09T08:42:27Z'),
      lon: 153.037383,
      lat: -27.263378,
      speed: 0,
      course: 2,
      alarm: 0,
    },
  ]);
  const r = s.replies();
  assert.deepEqual(
    r.map((f) => [f.header.edition, f.header.phone]),
    [
      [2019, phone],
      [2019, phone],
    ],
  );
});

test('a connection is bound to its terminal: another phone number on it is refused and not answered', () => {
  const s = setup({ requireAuth: false });
  s.session.push(hexBytes(TRACCAR.register2013b)); // binds 013511221122
  const n = s.sent.length;
  s.session.push(hexBytes(TRACCAR.location)); // 013833501744
  assert.equal(s.sent.length, n);
  assert.equal(s.rec.positions.length, 0);
  assert.equal(s.rec.rejectCounts().terminal_mismatch, 1);
});

test('logout → 0x8001, then the terminal is unauthenticated again', () => {
  const phone = '013833501744';
  const s = setup({ authority: new Jt808TerminalRegistry({ acceptUnknownAuthCodes: true }) }); // any code
  s.session.push(encodeFrame({ msgId: MSG.AUTH, phone, serial: 1, body: encodeAuthBody('X') }));
  s.session.push(hexBytes(TRACCAR.location));
  s.session.push(encodeFrame({ msgId: MSG.LOGOUT, phone, serial: 2 }));
  s.session.push(hexBytes(TRACCAR.location));
  assert.deepEqual(
    s.general().map((g) => [g.replyId, g.result]),
    [
      [0x0102, 0],
      [0x0200, 0],
      [0x0003, 0],
      [0x0200, 1],
    ],
  );
  assert.equal(s.rec.positions.length, 1);
});

test("unknown message ids → 0x8001 result 3; the terminal's own 0x0001 is not answered; unpositioned fixes are ignored", () => {
  const phone = '013912345678';
  const s = setup({ requireAuth: false });
  s.session.push(encodeFrame({ msgId: 0x0900, phone, serial: 9, body: Uint8Array.of(0xf0, 1, 2) }));
  s.session.push(encodeFrame({ msgId: 0x0001, phone, serial: 10, body: Uint8Array.of(0, 1, 0x81, 0x03, 0) }));
  s.session.push(encodeFrame({ msgId: MSG.LOCATION, phone, serial: 11, body: encodeLocationBody({ lat: 31, lon: 121, time: Date.now(), positioned: false }) }));
  s.session.push(encodeFrame({ msgId: MSG.LOCATION, phone, serial: 12, body: encodeLocationBody({ lat: 31, lon: 121, time: Date.now(), positioned: false, alarm: 1 << 31 }) }));
  assert.deepEqual(s.general(), [
    { replySerial: 9, replyId: 0x0900, result: 3 },
    { replySerial: 11, replyId: 0x0200, result: 0 },
    { replySerial: 12, replyId: 0x0200, result: 0 },
  ]);
  assert.deepEqual(
    s.rec.ignores.map((i) => i.what),
    ['unsupported', 'terminal_response', 'no_fix', 'no_fix_alarm'],
  );
  assert.equal(s.rec.positions.length, 0);
});

test('refused frames: bad check code, encrypted (RSA), malformed body, implausible fix; the next good frame decodes', () => {
  const s = setup({ requireAuth: false });
  const phone = '013833501744';
  s.session.push(hexBytes(TRACCAR.badChecksum));
  s.session.push(encodeFrame({ msgId: MSG.LOCATION, phone, serial: 1, body: new Uint8Array(28), encryption: 1 }));
  s.session.push(encodeFrame({ msgId: MSG.LOCATION, phone, serial: 2, body: new Uint8Array(10) }));
  s.session.push(hexBytes(GOJT808.locationAllItems2013)); // lat 116
  s.session.push(hexBytes(TRACCAR.location));
  assert.deepEqual(s.rec.rejectCounts(), { checksum: 1, encrypted: 1, body: 1, coordinates: 1 });
  assert.equal(s.rec.positions.length, 1);
  assert.equal(s.rec.positions[0]!.assetKey, 'tel:013833501744');
  // The malformed body is answered 2 (bad message).
  assert.ok(s.general().some((g) => g.replySerial === 2 && g.result === 2));
});

test('sub-packages are reassembled (per terminal and message id) and decoded as one message', () => {
  const batch = parseFrame(unescapeBytes(hexBytes(TRACCAR.batch2013).subarray(1, -1))!);
  assert.ok(batch.ok);
  const body = batch.frame.body;
  const phone = batch.frame.header.phone;
  const cuts = [0, 100, 200, body.length];
  const s = setup({ requireAuth: false });
  // Packets out of order: 2, 1, 3.
  for (const index of [2, 1, 3]) {
    s.session.push(encodeFrame({ msgId: MSG.LOCATION_BATCH, phone, serial: 40 + index, packet: { total: 3, index }, body: body.subarray(cuts[index - 1], cuts[index]) }));
  }
  assert.equal(s.rec.positions.length, 8);
  assert.equal(s.rec.positions[7]!.time, Date.parse('2016-05-27T01:10:02Z'));
  assert.deepEqual(s.general(), [
    { replySerial: 42, replyId: 0x0704, result: 0 },
    { replySerial: 41, replyId: 0x0704, result: 0 },
    { replySerial: 43, replyId: 0x0704, result: 0 },
  ]);
});

test('sub-packages not completed in time are dropped (subpackage_timeout); bad indexes refused', () => {
  let now = 1_000_000;
  const s = setup({ requireAuth: false, now: () => now, subpackageTimeoutMs: 30_000 });
  const phone = '013912345678';
  const body = encodeLocationBody({ lat: 30, lon: 120, time: Date.UTC(2026, 0, 1) });
  s.session.push(encodeFrame({ msgId: MSG.LOCATION, phone, serial: 1, packet: { total: 2, index: 1 }, body: body.subarray(0, 10) }));
  now += 31_000;
  s.session.push(encodeFrame({ msgId: MSG.HEARTBEAT, phone, serial: 2 }));
  s.session.push(encodeFrame({ msgId: MSG.LOCATION, phone, serial: 3, packet: { total: 2, index: 2 }, body: body.subarray(10) }));
  assert.equal(s.rec.positions.length, 0);
  assert.equal(s.rec.rejectCounts().subpackage_timeout, 1);
  s.session.push(encodeFrame({ msgId: MSG.LOCATION, phone, serial: 4, packet: { total: 2, index: 3 }, body }));
  assert.equal(s.rec.rejectCounts().subpackage, 1);
});

test('an oversize frame is refused and the stream resyncs at the next 0x7E', () => {
  const s = setup({ requireAuth: false, maxFrameBytes: 2048 });
  const big = Buffer.alloc(3000, 0x31);
  s.session.push(Buffer.concat([Buffer.of(0x7e), big, Buffer.of(0x7e), hexBytes(TRACCAR.location)]));
  assert.equal(s.rec.rejectCounts().oversize, 1);
  assert.equal(s.rec.positions.length, 1);
  // Escapes count after unescaping: 1,500 escaped pairs are 1,500 bytes, which fits.
  const phone = '013912345678';
  const frame = encodeFrame({ msgId: 0x0900, phone, serial: 1, body: new Uint8Array(1000).fill(0x7e) });
  assert.ok(frame.length > 2000);
  s.session.push(frame);
  assert.equal(s.rec.rejectCounts().oversize, 1);
});

test('garbage between frames is skipped and counted; a connection that only sends garbage is closed', () => {
  const s = setup({ requireAuth: false });
  s.session.push(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n\r\n'), hexBytes(TRACCAR.location), Buffer.from('\r\n'), hexBytes(TRACCAR.location)]));
  assert.equal(s.rec.positions.length, 2);
  assert.equal(s.session.stats.garbageBytes, 20);
  let closed: string | undefined;
  const g = setup({
    close: (r) => {
      closed = r;
    },
    maxJunkBytes: 10_000,
  });
  for (let i = 0; i < 20 && !closed; i++) g.session.push(Buffer.alloc(1000, 0x41));
  assert.equal(closed, 'garbage');
});

test('any TCP chunking of a stream decodes to the same reports, rejects and replies', () => {
  const phone = '013833501744';
  const stream = Buffer.concat([
    Buffer.from('\x00\x01junk'),
    encodeFrame({ msgId: MSG.REGISTER, phone, serial: 0, body: encodeRegistrationBody({ plate: '沪A12345' }) }),
    encodeFrame({ msgId: MSG.AUTH, phone, serial: 1, body: encodeAuthBody(new Jt808TerminalRegistry({ authSecret: 'k' }).authCodeFor(phone)) }),
    hexBytes(TRACCAR.location),
    hexBytes(TRACCAR.badChecksum),
    encodeFrame({ msgId: MSG.LOCATION, phone, serial: 2, body: encodeLocationBody({ lat: 22.5, lon: 114.1, time: Date.UTC(2026, 1, 2), speed: 80, alarm: 0x7e7d7e7d }) }),
    Buffer.from('\x7d\x7d'),
    encodeFrame({ msgId: MSG.LOCATION, phone, serial: 3, body: encodeLocationBody({ lat: 22.6, lon: 114.2, time: Date.UTC(2026, 1, 2, 0, 0, 1), speed: 81 }) }),
  ]);
  const run = (cuts: number[]) => {
    const terminals = new Jt808TerminalRegistry({ authSecret: 'k' });
    const s = setup({ authority: terminals });
    let at = 0;
    for (const c of [...cuts].sort((a, b) => a - b)) {
      s.session.push(stream.subarray(at, c));
      at = c;
    }
    s.session.push(stream.subarray(at));
    s.session.end();
    return { positions: s.rec.positions, rejects: s.rec.rejectCounts(), sent: Buffer.concat(s.sent).toString('hex') };
  };
  const whole = run([]);
  assert.equal(whole.positions.length, 3);
  assert.equal(whole.positions[0]!.label, '沪A12345');
  assert.equal(whole.positions[1]!.alarm, 0x7e7d7e7d);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 40 }), (cuts) => {
      assert.deepEqual(run(cuts), whole);
    }),
    { numRuns: 300 },
  );
  // Byte by byte.
  assert.deepEqual(run(Array.from({ length: stream.length }, (_, i) => i)), whole);
});

test('a sink that throws costs only its own frame: the frames after it in the same chunk still decode', () => {
  const rec = recordingSink();
  let calls = 0;
  const session = new Jt808Session({
    requireAuth: false,
    send: () => {},
    sink: {
      ...rec.sink,
      position: (p) => {
        calls++;
        if (calls === 1) throw new Error('boom');
        rec.positions.push(p);
      },
      rejected: () => {
        throw new Error('also broken');
      },
    },
  });
  session.push(Buffer.concat([hexBytes(TRACCAR.location), hexBytes(TRACCAR.location), hexBytes(TRACCAR.badChecksum), hexBytes(TRACCAR.location)]));
  assert.equal(calls, 3);
  assert.equal(rec.positions.length, 2);
  assert.equal(session.stats.rejected, 2); // internal, checksum
});
