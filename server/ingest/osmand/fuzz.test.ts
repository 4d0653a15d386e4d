// The OsmAnd decoders never throw, whatever arrives: random and mutated queries and JSON bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeJson, decodeQuery } from './decode';

test('random and mutated query strings decode or are refused with a reason, never throw', () => {
  const good = 'id=phone-7&lat=31.23&lon=121.47&timestamp=1795000000&speed=20&bearing=180';
  fc.assert(
    fc.property(fc.string(), fc.nat(good.length), fc.string({ maxLength: 8 }), (junk, at, insert) => {
      for (const q of [junk, good.slice(0, at) + insert + good.slice(at)]) {
        const r = decodeQuery(new URLSearchParams(q));
        assert.ok(r.ok || (typeof r.reason === 'string' && r.reason.length > 0));
        if (r.ok) for (const f of r.fixes) assert.ok(Number.isFinite(f.lat) && Number.isFinite(f.lon));
      }
    }),
    { numRuns: 2000 },
  );
});

test('random JSON bodies decode or are refused with a reason, never throw', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (body) => {
      const r = decodeJson(body);
      assert.ok(r.ok || r.reason.length > 0);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.anything(), (body) => {
      const r = decodeJson({ device_id: 'x', location: { coords: body } });
      assert.ok(r.ok || r.reason.length > 0);
    }),
    { numRuns: 1000 },
  );
});
