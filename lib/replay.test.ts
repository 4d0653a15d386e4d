import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JourneyFix } from './journey';
import { corridorRuns, fixIndexAt, positionAt, segments, stops } from './replay';

const fix = (lon: number, lat: number, t: number, speed = 40, off = 0): JourneyFix => [lon, lat, t, speed, off];

test('positionAt interpolates between fixes and points along the way', () => {
  const f = [fix(121, 31, 0), fix(121.01, 31, 10_000), fix(121.01, 31.01, 20_000)];
  assert.equal(positionAt(f, -1), null);
  const mid = positionAt(f, 5_000)!;
  assert.ok(Math.abs(mid.lon - 121.005) < 1e-12 && mid.lat === 31);
  assert.ok(Math.abs(mid.bearing - 90) < 1e-9, `east: ${mid.bearing}`);
  const north = positionAt(f, 15_000)!;
  assert.ok(Math.abs(north.bearing) < 1e-9 || Math.abs(north.bearing - 360) < 1e-9);
  const after = positionAt(f, 99_000)!;
  assert.deepEqual([after.lon, after.lat], [121.01, 31.01]);
  assert.equal(fixIndexAt(f, 10_000), 1);
  assert.equal(fixIndexAt([], 5), -1);
});

test('corridorRuns splits the track where it leaves and re-enters the corridor, without gaps', () => {
  const offs = [10, 20, 900, 800, 5];
  const f = offs.map((off, i) => fix(121 + i * 0.001, 31, i * 10_000, 40, off));
  const runs = corridorRuns(f, 500);
  assert.deepEqual(
    runs.map((r) => r.outside),
    [false, true, false],
  );
  assert.deepEqual(runs[1]!.path, [
    [121.001, 31],
    [121.002, 31],
    [121.003, 31],
  ]);
  assert.deepEqual(runs[2]!.path, [
    [121.003, 31],
    [121.004, 31],
  ]);
  assert.deepEqual(
    corridorRuns(f, null).map((r) => r.outside),
    [false],
  );
  assert.deepEqual(corridorRuns([], 500), []);
});

test('stops finds standing periods of at least the minimum length', () => {
  const f: JourneyFix[] = [];
  for (let i = 0; i < 60; i++) f.push(fix(0, 0, i * 10_000, i >= 10 && i < 30 ? 0 : 40));
  f.push(fix(0, 0, 600_000, 0), fix(0, 0, 610_000, 0)); // a short halt at the end: too short
  assert.deepEqual(stops(f), [[100_000, 290_000]]);
});

test('a jump no truck could make, or a long silence, breaks the track: no line across, no gliding', () => {
  // 0.5° north in 10 s (~55 km): a new trip's start, not a drive.
  const f = [fix(121, 31, 0), fix(121.001, 31, 10_000), fix(121.001, 31.5, 20_000), fix(121.002, 31.5, 30_000), fix(121.003, 31.5, 30 * 60_000)];
  assert.deepEqual(
    segments(f).map((s) => s.length),
    [2, 2, 1],
  );
  assert.deepEqual(
    corridorRuns(f, 500).map((r) => r.path.length),
    [2, 2, 1],
  );
  const during = positionAt(f, 15_000)!;
  assert.deepEqual([during.lon, during.lat], [121.001, 31]);
});
