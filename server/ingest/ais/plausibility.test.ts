// The AIS track gate (pure): which fixes are verified, which are held, and when a track re-anchors.
// Distances are set up along a meridian: 1° of latitude ≈ 111.2 km, so 0.01° ≈ 1.1 km.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PositionReport } from '../../../lib/domain';
import { AIS_PLAUSIBILITY, AisTrackGate, confirms, consistent } from './plausibility';

const T0 = Date.UTC(2026, 10, 27, 8);
const fix = (mmsi: number, lat: number, dtS: number, lon = 122): PositionReport => ({ assetKey: `mmsi:${mmsi}`, kind: 'vessel', source: 'ais', lon, lat, time: T0 + dtS * 1000 });
const times = (rs: PositionReport[]) => rs.map((r) => (r.time - T0) / 1000);

test('the rule: 60 kn plus 500 m; confirmation needs 1 s to 10 min between the fixes', () => {
  assert.equal(AIS_PLAUSIBILITY.maxSpeedKn, 60);
  // 1.1 km in 60 s is 36 kn: consistent. 5.6 km in 60 s is 180 kn: not.
  assert.equal(consistent(fix(1, 30, 0), fix(1, 30.01, 60)), true);
  assert.equal(consistent(fix(1, 30, 0), fix(1, 30.05, 60)), false);
  // Standing still, or 400 m of GPS noise at once: consistent. 2 km at once: not.
  assert.equal(consistent(fix(1, 30, 0), fix(1, 30, 0)), true);
  assert.equal(consistent(fix(1, 30, 0), fix(1, 30.0036, 0)), true);
  assert.equal(consistent(fix(1, 30, 0), fix(1, 30.018, 0)), false);
  // Order does not matter.
  assert.equal(consistent(fix(1, 30.01, 60), fix(1, 30, 0)), true);
  assert.equal(confirms(fix(1, 30, 0), fix(1, 30, 0.5)), false, 'the same transmission heard twice');
  assert.equal(confirms(fix(1, 30, 0), fix(1, 30, 30)), true);
  assert.equal(confirms(fix(1, 30, 0), fix(1, 30, 11 * 60)), false, 'too far apart to confirm');
});

test('a new vessel: its first fix is held until a second one agrees; then both pass, in time order, and the next one at once', () => {
  const gate = new AisTrackGate();
  const first = gate.admit(fix(413000001, 30, 0), T0);
  assert.deepEqual(first, { release: [], statics: [], held: 'new_vessel' });
  const second = gate.admit(fix(413000001, 30.005, 30), T0 + 30_000);
  assert.deepEqual(times(second.release), [0, 30]);
  assert.equal(second.held, undefined);
  assert.deepEqual(times(gate.admit(fix(413000001, 30.01, 60), T0 + 60_000).release), [60]);
  assert.equal(gate.heldCount, 0);
});

test('attack: a burst of random MMSIs at random positions releases nothing, and memory stays bounded', () => {
  const gate = new AisTrackGate({ maxHeld: 500 });
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let released = 0;
  for (let i = 0; i < 5000; i++) {
    const r = fix(200_000_000 + Math.floor(rnd() * 500_000_000), -80 + rnd() * 160, i * 0.01, -180 + rnd() * 360);
    released += gate.admit(r, T0 + i * 10).release.length;
  }
  assert.equal(released, 0);
  assert.equal(gate.heldCount, 500);
});

test('a known vessel: a jump is held off-track; the real track goes on; two agreeing fixes at the new place re-anchor it', () => {
  const gate = new AisTrackGate();
  gate.admit(fix(1, 30, 0), T0);
  gate.admit(fix(1, 30.001, 10), T0); // verified: anchor at 30.001
  const jump = gate.admit(fix(1, 30.5, 20), T0); // 55 km in 10 s
  assert.deepEqual(jump, { release: [], statics: [], held: 'off_track' });
  // The real vessel's next fix agrees with the anchor: it passes, and the held jump is forgotten.
  assert.deepEqual(times(gate.admit(fix(1, 30.002, 30), T0).release), [30]);
  // The transponder jumps for good (111 km away): the first fix there is held…
  assert.equal(gate.admit(fix(1, 31, 40), T0).held, 'off_track');
  // …and the next agrees with it (556 m in 30 s, 36 kn): both pass and the track is anchored there.
  const reanchor = gate.admit(fix(1, 31.005, 70), T0);
  assert.deepEqual(times(reanchor.release), [40, 70]);
  // From now on the old place is the jump.
  assert.equal(gate.admit(fix(1, 30.003, 80), T0).held, 'off_track');
  assert.deepEqual(times(gate.admit(fix(1, 31.006, 90), T0).release), [90]);
});

test('attack: spoofed fixes of a known vessel interleaved with its real ones never re-anchor it', () => {
  const gate = new AisTrackGate();
  gate.admit(fix(2, 30, 0), T0);
  gate.admit(fix(2, 30, 10), T0);
  let spoofReleased = 0;
  for (let k = 0; k < 20; k++) {
    spoofReleased += gate.admit(fix(2, 35 + k * 0.0001, 20 + k * 20), T0).release.length; // agree with each other…
    assert.equal(gate.admit(fix(2, 30, 30 + k * 20), T0).release.length, 1); // …but a real fix comes between
  }
  assert.equal(spoofReleased, 0);
});

test('an anchor older than an hour no longer vouches: the next fix needs confirming', () => {
  const gate = new AisTrackGate();
  gate.admit(fix(3, 30, 0), T0);
  gate.admit(fix(3, 30, 10), T0);
  assert.equal(gate.admit(fix(3, 30, 10 + 3601), T0).held, 'new_vessel');
  assert.deepEqual(times(gate.admit(fix(3, 30, 10 + 3631), T0).release), [3611, 3641]);
});

test("the map's last fix (restored after a restart) is an anchor: a fix that agrees passes at once, one that does not is held", () => {
  const known = new Map([['mmsi:4', { lon: 122, lat: 30, time: T0 }]]);
  const gate = new AisTrackGate({ lastKnown: (k) => known.get(k) });
  assert.deepEqual(times(gate.admit(fix(4, 30.001, 20), T0).release), [20]);
  assert.equal(gate.admit(fix(4, 32, 40), T0).held, 'off_track');
  assert.equal(gate.admit(fix(5, 30, 40), T0).held, 'new_vessel');
});

test("static data of an unverified vessel is held, merged, and handed on with its first verified fix; a verified vessel's passes at once", () => {
  const gate = new AisTrackGate();
  assert.equal(gate.admitStatic({ mmsi: '413000009', name: 'PHANTOM' }, T0), null);
  assert.equal(gate.admitStatic({ mmsi: '413000009', callSign: 'BXYZ' }, T0), null);
  assert.deepEqual(gate.admit(fix(413000009, 30, 0), T0).statics, []);
  const verified = gate.admit(fix(413000009, 30, 10), T0);
  assert.deepEqual(verified.statics, [{ mmsi: '413000009', name: 'PHANTOM', callSign: 'BXYZ' }]);
  assert.deepEqual(gate.admitStatic({ mmsi: '413000009', name: 'REAL' }, T0), { mmsi: '413000009', name: 'REAL' });
  // Held static data of a vessel never verified is forgotten after half an hour.
  assert.equal(gate.admitStatic({ mmsi: '413000010', name: 'GHOST' }, T0), null);
  gate.expire(T0 + 31 * 60_000);
  gate.admit(fix(413000010, 30, 0), T0 + 31 * 60_000);
  assert.deepEqual(gate.admit(fix(413000010, 30, 10), T0 + 31 * 60_000).statics, []);
});

test('a held fix too old to be confirmed is forgotten by expire()', () => {
  const gate = new AisTrackGate();
  gate.admit(fix(6, 30, 0), T0);
  assert.equal(gate.heldCount, 1);
  gate.expire(T0 + 5 * 60_000);
  assert.equal(gate.heldCount, 1);
  gate.expire(T0 + 11 * 60_000);
  assert.equal(gate.heldCount, 0);
});
