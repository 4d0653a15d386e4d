import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeFrame, escapeBytes, parseFrame, unescapeBytes, xorCheck, type Jt808OutMessage } from './codec';
import { decodeBcdTime, encodeBcdTime } from './messages';
import { GOJT808, JTFRAMEWORK, TRACCAR, hexBytes } from './fixtures';

/** The unescaped content of a wire frame (between the delimiters). */
function content(hex: string): Uint8Array {
  const b = hexBytes(hex);
  assert.equal(b[0], 0x7e);
  assert.equal(b[b.length - 1], 0x7e);
  const c = unescapeBytes(b.subarray(1, b.length - 1));
  assert.ok(c, 'valid escapes');
  return c;
}

test('unescaping: the escape vector from Traccar Jt808FrameDecoderTest (7D 02 → 7E, 7D 01 → 7D)', () => {
  const out = unescapeBytes(hexBytes(TRACCAR.escapedIn).subarray(1, -1));
  assert.equal(Buffer.from(out!).toString('hex'), hexBytes(TRACCAR.escapedOut).subarray(1, -1).toString('hex'));
  assert.equal(unescapeBytes(Uint8Array.of(0x30, 0x7d, 0x03)), null, '7D 03 is not an escape');
  assert.equal(unescapeBytes(Uint8Array.of(0x30, 0x7d)), null, 'a trailing 7D is not an escape');
  assert.equal(unescapeBytes(Uint8Array.of(0x30, 0x7e)), null, 'a raw 7E cannot be inside a frame');
});

test('escaping round-trips any bytes, and escaped bytes never hold 0x7E', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (raw) => {
      const esc = escapeBytes(raw);
      assert.equal(esc.indexOf(0x7e), -1);
      assert.deepEqual(Buffer.from(unescapeBytes(esc)!), Buffer.from(raw));
    }),
    { numRuns: 500 },
  );
  // Bias towards the special bytes.
  fc.assert(
    fc.property(fc.array(fc.constantFrom(0x7e, 0x7d, 0x01, 0x02, 0x00), { maxLength: 200 }), (arr) => {
      const raw = Uint8Array.from(arr);
      assert.deepEqual(Buffer.from(unescapeBytes(escapeBytes(raw))!), Buffer.from(raw));
    }),
    { numRuns: 300 },
  );
});

test('every real frame parses: check code, header and body length agree', () => {
  const good = [
    ...Object.entries(TRACCAR).filter(([k]) => !['badChecksum', 'authNonBcdPhone', 'escapedIn', 'escapedOut'].includes(k)),
    ...Object.entries(GOJT808),
    ...Object.entries(JTFRAMEWORK),
  ];
  for (const [name, hex] of good) {
    const p = parseFrame(content(hex));
    assert.ok(p.ok, `${name}: ${p.ok ? '' : p.reason}`);
  }
});

test('a real frame with a wrong check code is refused as checksum; so is any real frame with a byte flipped', () => {
  const p = parseFrame(content(TRACCAR.badChecksum));
  assert.deepEqual(p, { ok: false, reason: 'checksum' });
  const c = Uint8Array.from(content(TRACCAR.location));
  for (let i = 0; i < c.length; i++) {
    const m = Uint8Array.from(c);
    m[i]! ^= 0x10;
    const r = parseFrame(m);
    assert.equal(r.ok, false, `flip at ${i}`);
    assert.equal((r as { reason: string }).reason, 'checksum');
  }
});

test('a non-BCD phone number is refused as phone; a body length that disagrees as length; RSA as encrypted', () => {
  assert.deepEqual(parseFrame(content(TRACCAR.authNonBcdPhone)), { ok: false, reason: 'phone' });
  const c = Uint8Array.from(content(TRACCAR.heartbeat));
  c[3] = 1; // claims a 1-byte body
  c[c.length - 1] = xorCheck(c, 0, c.length - 1);
  assert.deepEqual(parseFrame(c), { ok: false, reason: 'length' });
  const enc = encodeFrame({ msgId: 0x0200, phone: '13912345678', serial: 1, body: new Uint8Array(28), encryption: 1 });
  assert.deepEqual(parseFrame(unescapeBytes(enc.subarray(1, -1))!), { ok: false, reason: 'encrypted' });
  assert.deepEqual(parseFrame(new Uint8Array(12)), { ok: false, reason: 'short' });
});

test('encodeFrame rebuilds real frames byte for byte from their parsed fields (2013 and 2019)', () => {
  for (const hex of [TRACCAR.location, TRACCAR.batch2013, TRACCAR.batch2019, TRACCAR.register2019, GOJT808.auth2019, JTFRAMEWORK.location2019, TRACCAR.heartbeat]) {
    const p = parseFrame(content(hex));
    assert.ok(p.ok);
    const h = p.frame.header;
    const again = encodeFrame({ msgId: h.msgId, phone: h.phone, serial: h.serial, body: p.frame.body, edition: h.edition, protocolVersion: h.protocolVersion });
    assert.equal(again.toString('hex'), hex.toLowerCase());
  }
});

test('encodeFrame → parseFrame round-trips random messages, escapes included', () => {
  const msg = fc.record({
    msgId: fc.integer({ min: 0, max: 0xffff }),
    edition: fc.constantFrom(2013 as const, 2019 as const),
    phoneSeed: fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }),
    serial: fc.integer({ min: 0, max: 0xffff }),
    body: fc.uint8Array({ maxLength: 1023 }),
    packet: fc.option(fc.record({ total: fc.integer({ min: 1, max: 0xffff }), index: fc.integer({ min: 1, max: 0xffff }) }), { nil: undefined }),
    protocolVersion: fc.integer({ min: 0, max: 255 }),
  });
  fc.assert(
    fc.property(msg, (m) => {
      const out: Jt808OutMessage = {
        msgId: m.msgId,
        phone: m.phoneSeed.toString(),
        serial: m.serial,
        body: m.body,
        edition: m.edition,
        packet: m.packet,
        protocolVersion: m.protocolVersion,
      };
      const wire = encodeFrame(out);
      assert.equal(wire.subarray(1, -1).indexOf(0x7e), -1);
      const p = parseFrame(unescapeBytes(wire.subarray(1, -1))!);
      assert.ok(p.ok);
      const h = p.frame.header;
      assert.equal(h.msgId, m.msgId);
      assert.equal(h.edition, m.edition);
      assert.equal(h.phone, m.phoneSeed.toString().padStart(m.edition === 2019 ? 20 : 12, '0'));
      assert.equal(h.serial, m.serial);
      assert.deepEqual(h.packet, m.packet ? { ...m.packet } : undefined);
      if (m.edition === 2019) assert.equal(h.protocolVersion, m.protocolVersion);
      assert.deepEqual(Buffer.from(p.frame.body), Buffer.from(m.body));
    }),
    { numRuns: 300 },
  );
  assert.throws(() => encodeFrame({ msgId: 0x0200, phone: '1', serial: 0, body: new Uint8Array(1024) }), /exceeds 1023/);
});

test('BCD time is GMT+8: 2015-08-18 07:21:21 (+08) is 2015-08-17T23:21:21Z; invalid dates are NaN', () => {
  assert.equal(new Date(decodeBcdTime(Uint8Array.of(0x15, 0x08, 0x18, 0x07, 0x21, 0x21), 0)).toISOString(), '2015-08-17T23:21:21.000Z');
  assert.ok(Number.isNaN(decodeBcdTime(new Uint8Array(6), 0)), 'all zeros');
  assert.ok(Number.isNaN(decodeBcdTime(Uint8Array.of(0x23, 0x02, 0x29, 0, 0, 0), 0)), '2023-02-29');
  assert.ok(Number.isNaN(decodeBcdTime(Uint8Array.of(0x23, 0x1a, 0x01, 0, 0, 0), 0)), 'not BCD');
  assert.ok(Number.isNaN(decodeBcdTime(Uint8Array.of(0x23, 0x01, 0x01, 0x24, 0, 0), 0)), 'hour 24');
  assert.equal(decodeBcdTime(Uint8Array.of(0x24, 0x02, 0x29, 0x08, 0, 0), 0), Date.UTC(2024, 1, 29));
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(2000, 0, 1, 8), max: Date.UTC(2099, 11, 31) }), (ms) => {
      assert.equal(decodeBcdTime(encodeBcdTime(ms), 0), Math.floor(ms / 1000) * 1000);
    }),
  );
});
