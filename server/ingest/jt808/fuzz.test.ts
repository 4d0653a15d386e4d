// Whatever the bytes: the decoder never throws, never hangs, and the next good frame on the same
// connection still decodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeFrameHex, decodeHexStream, type Jt808Decoded } from './decodeHex';
import { GOJT808, JTFRAMEWORK, TRACCAR, hexBytes } from './fixtures';
import { Jt808Session } from './session';
import { recordingSink } from './testing';

const REAL = [...Object.values(TRACCAR), ...Object.values(GOJT808), ...Object.values(JTFRAMEWORK)]
  .filter((h) => h.length > 20 && h.startsWith('7') && h.toLowerCase().endsWith('7e'))
  .map(hexBytes);
const GOOD = hexBytes(TRACCAR.location); // decodes to a position with requireAuth off

/** Every reason the hex decoders may give for refusing bytes (codec, framer, body decoders, hex input). */
const FRAME_ERRORS = new Set([
  'not_hex',
  'escape',
  'garbage',
  'body', // decodeHex itself
  'short',
  'checksum',
  'length',
  'encrypted',
  'phone', // parseFrame (FrameRejectReason)
  'oversize',
  'truncated', // the framer (FramerRejectReason)
]);

/** Feed `junk` then one good frame; the good frame must come out as a position. */
function junkThenGood(junk: Uint8Array, chunk = 0): void {
  const rec = recordingSink();
  const session = new Jt808Session({ sink: rec.sink, send: () => {}, requireAuth: false, maxJunkBytes: Infinity });
  const stream = Buffer.concat([junk, GOOD]);
  if (chunk > 0) for (let i = 0; i < stream.length; i += chunk) session.push(stream.subarray(i, i + chunk));
  else session.push(stream);
  session.end();
  // The junk may itself hold a whole valid frame for another terminal, which binds the session;
  // only count our good frame when the session is not bound elsewhere.
  if (session.phone === undefined || session.phone === '013833501744') {
    assert.ok(
      rec.positions.some((p) => p.assetKey === 'tel:013833501744' && p.time === Date.parse('2015-08-17T23:21:21Z')),
      `good frame lost after junk ${Buffer.from(junk).toString('hex').slice(0, 200)}`,
    );
  }
}

test('random bytes never throw and never stop the next good frame', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 0, max: 64 }), (junk, chunk) => {
      junkThenGood(junk, chunk);
    }),
    { numRuns: 1000 },
  );
  // Bytes biased towards the delimiter and escape.
  const special = fc.array(fc.constantFrom(0x7e, 0x7d, 0x01, 0x02, 0x00, 0x02, 0x00, 0xff), { maxLength: 400 }).map((a) => Uint8Array.from(a));
  fc.assert(
    fc.property(special, (junk) => junkThenGood(junk)),
    { numRuns: 1000 },
  );
});

test('mutated real frames (flips, cuts, insertions, duplications) never throw and never stop the next good frame', () => {
  const mutated = fc
    .tuple(
      fc.constantFrom(...REAL),
      fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('flip', 'cut', 'insert', 'dup', 'set7e', 'set7d'), v: fc.integer({ min: 0, max: 255 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
    )
    .map(([frame, muts]) => {
      let b = Buffer.from(frame);
      for (const m of muts) {
        const at = m.at % Math.max(1, b.length);
        if (m.op === 'flip') b[at]! ^= 1 << (m.v % 8);
        else if (m.op === 'cut') b = b.subarray(0, at);
        else if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.of(m.v), b.subarray(at)]);
        else if (m.op === 'dup') b = Buffer.concat([b, b.subarray(at)]);
        else if (m.op === 'set7e') b[at] = 0x7e;
        else b[at] = 0x7d;
      }
      return b;
    });
  fc.assert(
    fc.property(fc.array(mutated, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 50 }), (frames, chunk) => {
      junkThenGood(Buffer.concat(frames), chunk);
    }),
    { numRuns: 1500 },
  );
});

test('frames with valid check codes and random bodies never throw (decoders past the check code)', () => {
  // Build frames whose header is valid for each message id we decode, with random bodies.
  const ids = [0x0100, 0x0102, 0x0002, 0x0003, 0x0200, 0x0704, 0x0001, 0x0900];
  fc.assert(
    fc.property(fc.constantFrom(...ids), fc.constantFrom(2013, 2019), fc.uint8Array({ maxLength: 1023 }), fc.boolean(), (msgId, edition, body, sub) => {
      const rec = recordingSink();
      const session = new Jt808Session({ sink: rec.sink, send: () => {}, requireAuth: false });
      const header = [msgId >> 8, msgId & 0xff, (body.length >> 8) | (edition === 2019 ? 0x40 : 0) | (sub ? 0x20 : 0), body.length & 0xff];
      if (edition === 2019) header.push(1);
      header.push(...new Array(edition === 2019 ? 10 : 6).fill(0x01), 0, 1);
      if (sub) header.push(0, 2, 0, 1);
      const raw = Buffer.concat([Buffer.from(header), body]);
      const x = raw.reduce((a, c) => a ^ c, 0);
      const esc: number[] = [0x7e];
      for (const c of [...raw, x]) {
        if (c === 0x7e) esc.push(0x7d, 0x02);
        else if (c === 0x7d) esc.push(0x7d, 0x01);
        else esc.push(c);
      }
      esc.push(0x7e);
      session.push(Buffer.from(esc));
      const d = decodeFrameHex(Buffer.from(esc).toString('hex'));
      // The header we built is valid: it decodes to what we put in, or the body is refused by name.
      if (d.ok) {
        assert.equal(d.msgId, `0x${msgId.toString(16).toUpperCase().padStart(4, '0')}`);
        assert.equal(d.edition, edition);
        assert.equal(d.serial, 1);
        assert.equal(d.packet !== undefined, sub);
      } else assert.ok(FRAME_ERRORS.has(d.error), `unnamed error ${d.error}`);
      for (const p of rec.positions) {
        assert.ok(Number.isFinite(p.time) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180);
      }
    }),
    { numRuns: 2000 },
  );
});

test('the hex decoders never throw on any input', () => {
  // Each result is a decoded frame or a refusal with a known reason: never a throw, never an unnamed error.
  const named = (d: Jt808Decoded) => {
    if (d.ok) assert.match(d.msgId, /^0x[0-9A-F]{4}$/);
    else assert.ok(FRAME_ERRORS.has(d.error), `unnamed error ${d.error}`);
  };
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (s) => {
      named(decodeFrameHex(s));
      decodeHexStream(s).forEach(named);
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
      const hex = Buffer.from(b).toString('hex');
      named(decodeFrameHex(hex));
      named(decodeFrameHex(`7e${hex}7e`));
      decodeHexStream(hex).forEach(named);
    }),
    { numRuns: 500 },
  );
});

test('never hangs: 4 MB of random bytes go through one session and the good frame after them still decodes', () => {
  const rec = recordingSink();
  const session = new Jt808Session({ sink: rec.sink, send: () => {}, requireAuth: false, maxJunkBytes: Infinity });
  const junk = Buffer.alloc(4 * 1024 * 1024);
  let seed = 12345;
  for (let i = 0; i < junk.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    junk[i] = seed >> 16;
  }
  for (let i = 0; i < junk.length; i += 65536) session.push(junk.subarray(i, i + 65536));
  session.push(GOOD);
  assert.equal(rec.positions.at(-1)?.assetKey, 'tel:013833501744');
});
