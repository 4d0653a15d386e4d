// The route limits without a database: what passes, what is refused and why, and that the
// simplified path stays within its tolerance of the original.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CORRIDOR_KM2, MAX_ROUTE_VERTICES, checkRouteGeometry, overlappingSegmentPairs, pathLengthM, simplify } from './routeLimits';

test('a plain road passes; its length is the haversine sum', () => {
  const road = Array.from({ length: 3_000 }, (_, i) => [121 + i * 0.001, 31 + Math.sin(i / 100) * 0.01]);
  const r = checkRouteGeometry(road, 500);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  // One degree of latitude is 111.19 km on the mean sphere.
  assert.ok(Math.abs(pathLengthM([[0, 0], [0, 1]]) - 111_195) < 5);
});

test('attack: too many vertices, too large a corridor, a folded path → refused with the reason', () => {
  const many = Array.from({ length: MAX_ROUTE_VERTICES + 1 }, (_, i) => [121 + i * 0.001, 31]);
  const a = checkRouteGeometry(many, 100);
  assert.ok(!a.ok && /at most 5000 positions/.test(a.reason));
  // 30° of longitude at the equator ≈ 3,340 km; × 2 × 20 km ≈ 133,600 km² > the limit.
  const long = [[90, 0], [120, 0]];
  const b = checkRouteGeometry(long, 20_000);
  assert.ok(!b.ok && b.reason.includes(`${MAX_CORRIDOR_KM2} km²`));
  const zigzag = Array.from({ length: 4_000 }, (_, i) => [122 + i * 0.00002, 30.6 + (i % 2) * 0.02]);
  const c = checkRouteGeometry(zigzag, 2_000);
  assert.ok(!c.ok && /folds over itself/.test(c.reason));
});

test('simplify drops noise below the tolerance and keeps the ends; overlap pairs count crossings of the grown boxes', () => {
  const pts = Array.from({ length: 500 }, (_, i) => [121 + i * 0.0005, 31 + ((i * 7919) % 13) * 0.00001]);
  const s = simplify(pts, 20);
  assert.ok(s.length < pts.length / 10);
  assert.deepEqual(s[0], pts[0]);
  assert.deepEqual(s.at(-1), pts.at(-1));
  // Two parallel segments 100 m apart with a joining one: they overlap when grown by 60 m, not by 40 m.
  const u = [[121, 31], [121.01, 31], [121.01, 31 + 100 / 110540], [121, 31 + 100 / 110540]];
  assert.equal(overlappingSegmentPairs(u, 60), 1);
  assert.equal(overlappingSegmentPairs(u, 40), 0);
});
