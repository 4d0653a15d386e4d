import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JourneyFix } from './journey';
import { corridorRuns, fixIndexAt, positionAt, stops } from './replay';

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
  const f = [fix(0, 0, 0, 40, 10), fix(1, 0, 1, 40, 20), fix(2, 0, 2, 40, 900), fix(3, 0, 3, 40, 800), fix(4, 0, 4, 40, 5)];
  const runs = corridorRuns(f, 500);
  assert.deepEqual(runs.map((r) => r.outside), [false, true, false]);
  assert.deepEqual(runs[1]!.path, [[1, 0], [2, 0], [3, 0]]);
  assert.deepEqual(runs[2]!.path, [[3, 0], [4, 0]]);
  assert.deepEqual(corridorRuns(f, null).map((r) => r.outside), [false]);
  assert.deepEqual(corridorRuns([], 500), []);
});

test('stops finds standing periods of at least the minimum length', () => {
  const f: JourneyFix[] = [];
  for (let i = 0; i < 60; i++) f.push(fix(0, 0, i * 10_000, i >= 10 && i < 30 ? 0 : 40));
  f.push(fix(0, 0, 600_000, 0), fix(0, 0, 610_000, 0)); // a short halt at the end: too short
  assert.deepEqual(stops(f), [[100_000, 290_000]]);
});
