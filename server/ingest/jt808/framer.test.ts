import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Jt808Framer } from './framer';
import { GOJT808, TRACCAR, hexBytes } from './fixtures';

function run(stream: Uint8Array, max = 2048, chunk = 0): string[] {
  const out: string[] = [];
  const f = new Jt808Framer(
    {
      frame: (c) => out.push(`frame:${((c[0]! << 8) | c[1]!).toString(16).padStart(4, '0')}`),
      reject: (r) => out.push(r),
      garbage: (n) => out.push(`garbage:${n}`),
    },
    max,
  );
  if (chunk > 0) for (let i = 0; i < stream.length; i += chunk) f.push(stream.subarray(i, i + chunk));
  else f.push(stream);
  f.end();
  return out;
}

const HB = hexBytes(TRACCAR.heartbeat);
const LOC = hexBytes(TRACCAR.location);
const cat = (...parts: (Uint8Array | string)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));

test('frames back to back, with and without garbage between them', () => {
  assert.deepEqual(run(cat(HB, LOC, HB)), ['frame:0002', 'frame:0200', 'frame:0002']);
  assert.deepEqual(run(cat('junk', HB, '\r\n', LOC, 'xyz')), ['garbage:4', 'frame:0002', 'garbage:2', 'frame:0200', 'garbage:3']);
});

test('a frame that lost its closing 0x7E is still found (the next opening 0x7E closes it), and so is the next', () => {
  assert.deepEqual(run(cat(HB.subarray(0, -1), LOC)), ['frame:0002', 'frame:0200']);
  // Frames sharing one delimiter.
  assert.deepEqual(run(cat(HB.subarray(0, -1), LOC.subarray(0, -1), HB)), ['frame:0002', 'frame:0200', 'frame:0002']);
});

test('a corrupted frame is rejected by reason, and a good frame right after it decodes', () => {
  const bad = Buffer.from(LOC);
  bad[10]! ^= 0xff;
  assert.deepEqual(run(cat(bad, HB)), ['checksum', 'frame:0002']);
  assert.deepEqual(run(cat(Buffer.from('7e0102037e', 'hex'), HB)), ['short', 'frame:0002']);
  assert.deepEqual(run(cat(Buffer.from('7e01027d037e', 'hex'), HB)), ['escape', 'frame:0002']);
  assert.deepEqual(run(cat(Buffer.from('7e0102030405060708090a0b0c0d7d', 'hex'))), ['truncated']);
  // A corrupted frame whose tail is lost: the refused candidate's closing 0x7E opens the real one.
  assert.deepEqual(run(cat(bad.subarray(0, 20), LOC)), ['checksum', 'frame:0200']);
});

test('oversize: a frame over maxFrameBytes (unescaped) is rejected, the framer resyncs at the next 0x7E', () => {
  const big = cat(Buffer.of(0x7e), Buffer.alloc(300, 0x41), Buffer.of(0x7e));
  assert.deepEqual(run(cat(big, HB), 100), ['oversize', 'frame:0002']);
  assert.deepEqual(run(cat(HB, big, HB), 100), ['frame:0002', 'oversize', 'frame:0002']);
  // A long run of bytes outside any frame is garbage, not an oversize frame.
  assert.deepEqual(run(cat(HB, Buffer.alloc(300, 0x41), HB), 100), ['frame:0002', 'garbage:300', 'frame:0002']);
  // Escaped bytes count once unescaped: 61 × (7D 02) is 61 bytes.
  const escaped = cat(Buffer.of(0x7e), Buffer.from('7d02'.repeat(61), 'hex'), Buffer.of(0x7e));
  assert.deepEqual(run(cat(escaped, HB), 100), ['checksum', 'frame:0002']);
});

test('the same events whatever the chunking', () => {
  const stream = cat('garbage', HB, LOC.subarray(0, -1), hexBytes(GOJT808.auth2019), '\x7e\x7e', LOC, Buffer.alloc(3000, 0x7d), HB, hexBytes(TRACCAR.badChecksum), 'x', HB);
  const whole = run(stream);
  assert.deepEqual(whole, ['garbage:7', 'frame:0002', 'frame:0200', 'frame:0102', 'frame:0200', 'garbage:3000', 'frame:0002', 'checksum', 'short', 'frame:0002']);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 200 }), (chunk) => {
      assert.deepEqual(run(stream, 2048, chunk), whole);
    }),
    { numRuns: 200 },
  );
});
