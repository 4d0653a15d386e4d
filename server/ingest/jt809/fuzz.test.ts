// Whatever the bytes: the decoders never throw, never hang, and the next good frame on the same
// link still decodes. Also the hex decoder (the CLI's) on mutated real frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { recordingSink } from '../jt808/testing';
import { Jt809PlatformRegistry } from './authority';
import { encodeFrame } from './codec';
import { decodeHexStream } from './decodeHex';
import { SMALLCHI, hexBytes } from './fixtures';
import { MSG, SUB, encodeExchange, encodeLogin, encodePosition } from './messages';
import { Jt809Session } from './session';

const T0 = Date.UTC(2026, 11, 5, 8, 0, 0);
const LOGIN = encodeFrame({ msgId: MSG.UP_CONNECT_REQ, sn: 0, centerId: 42, body: encodeLogin({ userId: 1, password: 'pw809', downLinkIp: '', downLinkPort: 0 }, 2011) });
const GOOD = encodeFrame({
  msgId: MSG.UP_EXG_MSG,
  sn: 1,
  centerId: 42,
  body: encodeExchange('沪A12345', 2, SUB.REAL_LOCATION, encodePosition({ time: T0, lat: 31.2, lon: 121.5, speed: 10 }, 2011)),
});
const REAL = Object.values(SMALLCHI).map(hexBytes);

function junkThenGood(junk: Uint8Array, chunk = 0): void {
  const rec = recordingSink();
  const session = new Jt809Session({
    sink: rec.sink,
    send: () => {},
    authority: new Jt809PlatformRegistry([{ accessCode: 42, userId: 1, password: 'pw809' }]),
    downLink: false,
    maxJunkBytes: Infinity,
  });
  session.push(LOGIN);
  assert.ok(session.authenticated);
  // A 0x5B in the junk with no 0x5D after it swallows what follows until the next 0x5B: the good
  // frame's own 0x5B ends it, so the good frame still stands alone.
  const stream = Buffer.concat([junk, GOOD]);
  if (chunk > 0) for (let i = 0; i < stream.length; i += chunk) session.push(stream.subarray(i, i + chunk));
  else session.push(stream);
  session.end();
  // The junk may hold a valid logout or close notice that ends the link: only then may the fix be missing.
  if (session.authenticated && rec.positions.length === 0) assert.fail(`good frame lost after junk ${Buffer.from(junk).toString('hex').slice(0, 200)}`);
  if (session.authenticated) assert.ok(rec.positions.some((p) => p.time === T0 && p.assetKey === 'plate:沪A12345'));
}

test('random bytes never throw and never stop the next good frame', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 0, max: 64 }), (junk, chunk) => junkThenGood(junk, chunk)),
    { numRuns: 1000 },
  );
  const special = fc.array(fc.constantFrom(0x5b, 0x5d, 0x5a, 0x5e, 0x01, 0x02, 0x00, 0xff), { maxLength: 400 }).map((a) => Uint8Array.from(a));
  fc.assert(
    fc.property(special, (junk) => junkThenGood(junk)),
    { numRuns: 1000 },
  );
});

test('mutated real frames: never a throw, always a clear result', () => {
  fc.assert(
    fc.property(fc.constantFrom(...REAL), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (frame, edits) => {
      const b = Buffer.from(frame);
      for (const [at, v] of edits) b[at % b.length] = v;
      const out = decodeHexStream(b.toString('hex'));
      for (const o of out)
        if (!o.ok) assert.ok(['garbage', 'checksum', 'short', 'escape', 'oversize', 'truncated', 'length', 'encrypted', 'body', 'not_hex'].includes(o.error), o.error);
      junkThenGood(b);
    }),
    { numRuns: 2000 },
  );
});

test('every real frame decodes through the hex decoder', () => {
  for (const [name, hex] of Object.entries(SMALLCHI)) {
    const out = decodeHexStream(hex);
    assert.equal(out.length, 1, name);
    if (name === 'login2011Long') assert.deepEqual([out[0]!.ok, out[0]!.error], [false, 'length']);
    else assert.equal(out[0]!.ok, true, `${name}: ${JSON.stringify(out[0])}`);
  }
});
