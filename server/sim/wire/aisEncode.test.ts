// The simulator's AIS encoder against the real decoder: what the demo sends decodes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AisAssembler } from '../../ingest/ais';
import { encodeType1, encodeType18, encodeType24, encodeType5 } from './aisEncode';

function decodeAll(lines: string[]) {
  const out: Record<string, unknown>[] = [];
  const asm = new AisAssembler({
    message: (m) => out.push(m as unknown as Record<string, unknown>),
    rejected: (reason, detail, sample) => assert.fail(`${reason}: ${detail} in ${sample}`),
  });
  for (const l of lines) asm.push(l, 0);
  return out;
}

test('type 1 and 18 positions round-trip through the decoder', () => {
  const [a] = decodeAll(encodeType1({ mmsi: '413000123', lat: 30.61234, lon: 122.05678, sogKn: 12.3, cog: 271.4, heading: 270, navStatus: 0, second: 17 }));
  assert.equal(a!.type, 1);
  assert.equal(a!.mmsi, '413000123');
  assert.ok(Math.abs((a!.lat as number) - 30.61234) < 2e-6);
  assert.ok(Math.abs((a!.lon as number) - 122.05678) < 2e-6);
  assert.equal(a!.sog, 12.3);
  assert.equal(a!.cog, 271.4);
  assert.equal(a!.heading, 270);
  const [b] = decodeAll(encodeType18({ mmsi: '412555000', lat: -10.5, lon: -20.25, sogKn: 3 }));
  assert.equal(b!.type, 18);
  assert.equal(b!.lat, -10.5);
  assert.equal(b!.lon, -20.25);
  assert.equal(b!.heading, undefined, 'heading 511 is absent');
});

test('type 5 (two sentences) and type 24 static data round-trip', () => {
  const s = { mmsi: '477123456', imo: '9811000', callSign: 'VRAB7', name: 'ZHONG GU 88', shipType: 70, lengthM: 200, beamM: 32, draughtM: 11.5, destination: 'CNSHA' };
  const [five] = decodeAll(encodeType5(s));
  assert.equal(five!.type, 5);
  assert.equal(five!.shipname, 'ZHONG GU 88');
  assert.equal(five!.callsign, 'VRAB7');
  assert.equal(String(five!.imo), '9811000');
  assert.equal(five!.destination, 'CNSHA');
  assert.equal(five!.draught, 11.5);
  const parts = decodeAll(encodeType24({ ...s, mmsi: '412000777', shipType: 30 }));
  assert.deepEqual(
    parts.map((p) => p.type),
    [24, 24],
  );
  assert.equal(parts[0]!.shipname, 'ZHONG GU 88');
  assert.equal(parts[1]!.shiptype, 30);
});
