// The port-call detector on synthetic AIS tracks, against a real geofence index holding the
// Yangshan terminal (a port_terminal site) and an anchorage east of it: arrival after the dwell,
// none for a vessel steaming through or slowing briefly, GPS noise at the edge that never flaps,
// departure after two moving fixes beyond the margin, one jump that is not a departure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GeofenceIndex } from '../../geofence';
import { PortCallDetector, type PortCallEvent, type VesselFix } from './detector';
import { geofencePlaces } from './places';

const M_LAT = 1 / 111_320;
const M_LON = 1 / (111_320 * Math.cos((30.615 * Math.PI) / 180));
const KN = 1.852; // km/h per knot
const T0 = Date.parse('2026-12-06T06:00:00+08:00');
const MIN = 60_000;

function world(): GeofenceIndex {
  const geo = new GeofenceIndex();
  geo.upsertSite({
    id: 1,
    code: 'YS-TERM',
    kind: 'port_terminal',
    district: '2248',
    area: [
      [122.02, 30.6],
      [122.06, 30.6],
      [122.06, 30.63],
      [122.02, 30.63],
    ],
  });
  geo.upsertSite({
    id: 2,
    code: 'WGQ-BZ',
    kind: 'bonded_zone',
    district: '2200',
    area: [
      [122.1, 30.6],
      [122.12, 30.6],
      [122.12, 30.62],
      [122.1, 30.62],
    ],
  });
  geo.upsertZone({
    id: 7,
    code: 'YS-ANCH',
    name: '洋山锚地',
    kind: 'anchorage',
    area: [
      [122.2, 30.55],
      [122.26, 30.55],
      [122.26, 30.6],
      [122.2, 30.6],
    ],
  });
  return geo;
}

/** Feeds the fixes, returning every event with the index of the fix that gave it. */
function run(d: PortCallDetector, fixes: VesselFix[], assetId = 1): (PortCallEvent & { at: number })[] {
  return fixes.flatMap((f, at) => d.onFix(assetId, f).map((e) => ({ ...e, at })));
}

/** From (lon, lat) at t, a fix every `everyMs` for `n` fixes, moving east at `kn`. */
function track(lon: number, lat: number, t: number, n: number, everyMs: number, kn: number): VesselFix[] {
  return Array.from({ length: n }, (_, i) => ({ time: t + i * everyMs, lon: lon + ((kn * 1852 * (i * everyMs)) / 3_600_000) * M_LON, lat, speedKmh: kn * KN }));
}

/** A deterministic noise source (GPS jitter). */
function noise(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
}

test('a vessel that comes in and lies alongside arrives once, at its first slow fix, after the dwell', () => {
  const d = new PortCallDetector(geofencePlaces(world()));
  const approach = track(121.98, 30.615, T0, 10, 30_000, 12); // steaming in from the west
  const alongside = Array.from({ length: 12 }, (_, i) => ({ time: T0 + 10 * MIN + i * MIN, lon: 122.03, lat: 30.615, speedKmh: 0.3 * KN }));
  const events = run(d, [...approach, ...alongside]);
  assert.equal(events.length, 1);
  const [a] = events;
  assert.equal(a!.type, 'arrival');
  assert.equal(a!.place.code, 'YS-TERM');
  assert.equal(a!.place.kind, 'port');
  assert.equal(a!.time, T0 + 10 * MIN, 'the arrival is when it stopped inside');
  assert.equal(a!.at, 10 + 5, 'decided once the 5 min dwell is seen');
  assert.deepEqual(d.current(1)?.place.code, 'YS-TERM');
});

test('steaming through, or slowing for a few minutes, is no arrival', () => {
  const d = new PortCallDetector(geofencePlaces(world()));
  assert.deepEqual(run(d, track(122.01, 30.615, T0, 40, 30_000, 11)), []);
  const slowing = [
    ...track(122.03, 30.615, T0 + 60 * MIN, 3, 60_000, 2.5), // under 3 kn for 2 min
    ...track(122.035, 30.615, T0 + 63 * MIN, 10, 60_000, 9),
  ];
  assert.deepEqual(run(d, slowing), []);
  // Slow, but outside every port: no arrival (and a bonded zone is not a port).
  assert.deepEqual(run(d, track(122.11, 30.61, T0 + 120 * MIN, 20, MIN, 0.2)), []);
});

test('GPS noise of ±60 m across the polygon edge while moored there: one arrival, never a departure', () => {
  const d = new PortCallDetector(geofencePlaces(world()));
  const r = noise(42);
  const edgeLon = 122.06 - 10 * M_LON; // 10 m inside the terminal's east edge
  const fixes: VesselFix[] = Array.from({ length: 200 }, (_, i) => ({
    time: T0 + i * 3 * MIN,
    lon: edgeLon + r() * 60 * M_LON,
    lat: 30.615 + r() * 60 * M_LAT,
    // AIS speed over ground jitters too when the position does.
    speedKmh: Math.abs(r()) * 1.5 * KN,
  }));
  const outside = fixes.filter((f) => f.lon > 122.06).length;
  assert.ok(outside > 40, `the noise crosses the edge (${outside} of 200 fixes outside)`);
  const events = run(d, fixes);
  assert.deepEqual(
    events.map((e) => e.type),
    ['arrival'],
  );
});

test('departure: two moving fixes beyond the margin; one jump out and back is not', () => {
  const d = new PortCallDetector(geofencePlaces(world()));
  const moored = Array.from({ length: 8 }, (_, i) => ({ time: T0 + i * MIN, lon: 122.05, lat: 30.615, speedKmh: 0.2 * KN }));
  assert.deepEqual(
    run(d, moored).map((e) => e.type),
    ['arrival'],
  );
  // One fix 1 km out at 8 kn (a bad fix), then alongside again.
  const jump = [
    { time: T0 + 10 * MIN, lon: 122.06 + 1000 * M_LON, lat: 30.615, speedKmh: 8 * KN },
    { time: T0 + 11 * MIN, lon: 122.05, lat: 30.615, speedKmh: 0.1 * KN },
  ];
  assert.deepEqual(run(d, jump), []);
  // Drifting beyond the margin without way on is not leaving either.
  assert.deepEqual(run(d, [{ time: T0 + 12 * MIN, lon: 122.06 + 500 * M_LON, lat: 30.615, speedKmh: 0.4 * KN }]), []);
  assert.deepEqual(run(d, [{ time: T0 + 13 * MIN, lon: 122.05, lat: 30.615, speedKmh: 0 }]), []);
  // Leaving east at 10 kn, a fix every 30 s: the terminal edge is 960 m east, the margin 300 m more.
  const leaving = track(122.05, 30.615, T0 + 20 * MIN, 20, 30_000, 10);
  const events = run(d, leaving);
  assert.equal(events.length, 1);
  const dep = events[0]!;
  assert.equal(dep.type, 'departure');
  assert.equal(dep.type === 'departure' && dep.arrivedAt, T0);
  const firstBeyond = leaving.findIndex((f) => (f.lon - 122.06) / M_LON > 300);
  assert.equal(dep.time, leaving[firstBeyond]!.time, 'the departure is the first fix beyond the margin');
  assert.equal(dep.at, firstBeyond + 1, 'decided on the second');
  assert.equal(d.current(1), undefined);
});

test('an anchorage is a place too; a silence longer than an hour restarts the dwell; old fixes are ignored', () => {
  const d = new PortCallDetector(geofencePlaces(world()));
  const anchored = [
    { time: T0, lon: 122.23, lat: 30.57, speedKmh: 0.5 * KN },
    { time: T0 + 2 * 3_600_000, lon: 122.23, lat: 30.57, speedKmh: 0.5 * KN }, // after 2 h of silence
  ];
  assert.deepEqual(run(d, anchored), []);
  assert.deepEqual(run(d, [{ time: T0 - MIN, lon: 122.23, lat: 30.57, speedKmh: 0 }]), [], 'an older fix changes nothing');
  const events = run(d, [{ time: T0 + 2 * 3_600_000 + 6 * MIN, lon: 122.2301, lat: 30.5701 }]); // no speed: derived (≈ 0)
  assert.equal(events.length, 1);
  assert.deepEqual([events[0]!.type, events[0]!.place.kind, events[0]!.place.code, events[0]!.time], ['arrival', 'anchorage', 'YS-ANCH', T0 + 2 * 3_600_000]);
});

test('a call restored from storage departs like any other; vessels are apart', () => {
  const geo = world();
  const d = new PortCallDetector(geofencePlaces(geo));
  d.restore(5, { key: 'site:1', kind: 'port', id: 1, code: 'YS-TERM' }, T0 - 3_600_000);
  assert.deepEqual(run(d, track(122.05, 30.615, T0, 4, 60_000, 2), 9), [], 'another vessel alongside has not arrived yet');
  const events = run(d, track(122.07, 30.615, T0, 3, 30_000, 12), 5);
  assert.deepEqual(
    events.map((e) => [e.type, e.assetId, e.place.code]),
    [['departure', 5, 'YS-TERM']],
  );
});
