import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRAME_DELTA, decodeFrame, decodeTrails, encodeFrame, encodeTrails, frameAsset, type FrameAsset } from './wire';

const assets: FrameAsset[] = [
  { id: 1, kind: 'vehicle', lon: 121.123456789, lat: 31.000001, time: 1_790_000_000_123, speed: 72.5, course: 359.5, status: 'normal' },
  { id: 4_000_000_000, kind: 'vessel', lon: -0.5, lat: -33.25, time: 1, speed: NaN, course: NaN, status: 'stale' },
  { id: 3, kind: 'vehicle', lon: 180, lat: 90, time: 2, speed: 0, course: 0, status: 'critical' },
];

test('a frame round-trips every column exactly (positions in float64)', () => {
  const buf = encodeFrame(FRAME_DELTA, 42, assets);
  const c = decodeFrame(buf);
  assert.equal(c.count, 3);
  assert.equal(c.kind, FRAME_DELTA);
  assert.equal(c.serverTime, 42);
  const back = assets.map((_, i) => frameAsset(c, i));
  assert.equal(back[0]!.lon, 121.123456789);
  assert.equal(back[1]!.id, 4_000_000_000);
  assert.ok(Number.isNaN(back[1]!.speed));
  assert.equal(back[0]!.speed, 72.5);
  assert.deepEqual(
    back.map((a) => [a.kind, a.status]),
    assets.map((a) => [a.kind, a.status]),
  );
});

test('decoding a Node Buffer at an odd offset works (copied to align)', () => {
  const raw = new Uint8Array(encodeFrame(FRAME_DELTA, 1, assets));
  const padded = Buffer.alloc(raw.length + 3);
  padded.set(raw, 3);
  const c = decodeFrame(padded.subarray(3));
  assert.equal(c.lat[1], -33.25);
});

test('corrupt frames are refused with a reason', () => {
  const buf = new Uint8Array(encodeFrame(FRAME_DELTA, 1, assets));
  assert.throws(() => decodeFrame(buf.subarray(0, 10)), /too short/);
  assert.throws(() => decodeFrame(buf.subarray(0, buf.length - 1)), /should be/);
  const bad = buf.slice();
  bad[0] = 0;
  assert.throws(() => decodeFrame(bad), /magic/);
});

test('trails round-trip', () => {
  const trails = [
    { id: 7, points: [121, 31, 1000, 121.1, 31.1, 2000] },
    { id: 8, points: [] },
    { id: 9, points: [1, 2, 3] },
  ];
  assert.deepEqual(decodeTrails(encodeTrails(trails)), trails);
});
