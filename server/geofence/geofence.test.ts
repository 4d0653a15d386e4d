// The geofence index: exact distances against turf, the spatial index against brute force, and
// live updates. Pure: no database (the PostGIS loader has its own file, loader.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bbox as turfBbox } from '@turf/bbox';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { lineString, polygon } from '@turf/helpers';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import type { LonLat } from '../../lib/domain';
import { makePath, pointAt } from '../sim/geometry';
import { Rng } from '../sim/random';
import { WORLD } from '../sim/world';
import { GeofenceIndex } from './index';

const M_LAT = 111_195; // metres per degree of latitude, rounded: test data only
const mLon = (lat: number) => M_LAT * Math.cos((lat * Math.PI) / 180);

/** A wandering polyline of `n` vertices starting near (lon, lat), segments of 0.3–3 km. */
function randomPath(rng: Rng, lon: number, lat: number, n: number): LonLat[] {
  const out: LonLat[] = [[lon, lat]];
  let heading = rng.float(0, 360);
  for (let i = 1; i < n; i++) {
    heading += rng.float(-60, 60);
    const d = rng.float(300, 3000);
    const [x, y] = out[i - 1]!;
    out.push([x + (d * Math.sin((heading * Math.PI) / 180)) / mLon(y), y + (d * Math.cos((heading * Math.PI) / 180)) / M_LAT]);
  }
  return out;
}

/** A random convex-ish polygon (or one with a hole) around a centre, radius in metres. */
function randomPolygon(rng: Rng, lon: number, lat: number, r: number, hole: boolean): LonLat[][] {
  const ring = (rad: number, k: number): LonLat[] => {
    const pts: LonLat[] = [];
    for (let i = 0; i < k; i++) {
      const a = (i / k) * 2 * Math.PI;
      const rr = rad * rng.float(0.6, 1);
      pts.push([lon + (rr * Math.cos(a)) / mLon(lat), lat + (rr * Math.sin(a)) / M_LAT]);
    }
    pts.push(pts[0]!);
    return pts;
  };
  return hole ? [ring(r, rng.int(5, 12)), ring(r * 0.3, 6).reverse()] : [ring(r, rng.int(3, 12))];
}

test('distance to a route agrees with pointToLineDistance within 0.5 m at 31°N', () => {
  const rng = new Rng(1);
  const g = new GeofenceIndex();
  let worst = 0;
  let checked = 0;
  for (let r = 0; r < 40; r++) {
    const path = randomPath(rng, 121 + rng.float(0, 1), 30.8 + rng.float(0, 0.4), rng.int(2, 60));
    g.upsertRoute({ id: r, path, corridorM: 500 });
    const line = lineString(path);
    const bbox = turfBbox(line);
    for (let k = 0; k < 100; k++) {
      const p: LonLat = [rng.float(bbox[0] - 0.05, bbox[2] + 0.05), rng.float(bbox[1] - 0.05, bbox[3] + 0.05)];
      const want = pointToLineDistance(p, line, { units: 'meters' });
      if (want > 10_000) continue; // far from every corridor: only "far" matters
      const got = g.distanceToRoute(r, p[0], p[1])!.metres;
      worst = Math.max(worst, Math.abs(got - want));
      checked++;
    }
  }
  assert.ok(checked > 2000, `${checked} points checked`);
  assert.ok(worst < 0.5, `worst difference ${worst.toFixed(3)} m`);
});

test('along-route position of points on the route matches the measured path', () => {
  const world = WORLD.routes.find((r) => r.code === 'R03')!;
  const g = new GeofenceIndex();
  g.upsertRoute({ id: 3, path: world.path, corridorM: world.corridorM });
  const p = makePath(world.path);
  assert.ok(Math.abs(g.route(3)!.lengthM - p.length) < 1, 'same length as turf');
  for (let s = 0; s < p.length; s += 7_321) {
    const q = pointAt(p, s);
    const d = g.distanceToRoute(3, q.lon, q.lat)!;
    assert.ok(d.metres < 0.05, `on the route: ${d.metres}`);
    assert.ok(Math.abs(d.alongM - s) < 1, `along ${d.alongM} vs ${s}`);
  }
});

test('corridorsAt returns exactly the routes a brute-force scan finds (random data, and turf on a sample)', () => {
  const rng = new Rng(2);
  const g = new GeofenceIndex();
  const routes: { id: number; path: LonLat[]; corridorM: number }[] = [];
  for (let i = 0; i < 400; i++) {
    const r = { id: 1000 + i, path: randomPath(rng, 120.5 + rng.float(0, 1.5), 30.5 + rng.float(0, 1), rng.int(2, 40)), corridorM: rng.float(300, 1000) };
    routes.push(r);
    g.upsertRoute(r);
  }
  let hits = 0;
  for (let k = 0; k < 2000; k++) {
    const lon = rng.float(120.4, 122.2),
      lat = rng.float(30.4, 31.7);
    const got = g.corridorsAt(lon, lat).sort();
    const want: number[] = [];
    for (const r of routes) {
      const d = g.distanceToRoute(r.id, lon, lat)!.metres;
      if (Math.abs(d - r.corridorM) < 0.01) continue; // on the edge: either answer is right
      if (d <= r.corridorM) want.push(r.id);
    }
    const gotFiltered = got.filter((id) => {
      const r = routes[id - 1000]!;
      return Math.abs(g.distanceToRoute(id, lon, lat)!.metres - r.corridorM) >= 0.01;
    });
    assert.deepEqual(gotFiltered, want.sort(), `at ${lon}, ${lat}`);
    hits += want.length;
    if (k < 500) {
      const near = routes.filter((r) => {
        const b = turfBbox(lineString(r.path)); // a corridor (≤ 1 km) lies within 0.02° of its line's box
        return lon >= b[0] - 0.02 && lon <= b[2] + 0.02 && lat >= b[1] - 0.02 && lat <= b[3] + 0.02;
      });
      const byTurf = near.filter((r) => pointToLineDistance([lon, lat], lineString(r.path), { units: 'meters' }) <= r.corridorM - 0.5).map((r) => r.id);
      for (const id of byTurf) assert.ok(got.includes(id), `turf finds route ${id} at ${lon}, ${lat}`);
    }
  }
  assert.ok(hits > 200, `${hits} corridor hits`);
});

test('sitesAt, zonesAt and sitesWithin agree with turf over random polygons (holes included)', () => {
  const rng = new Rng(3);
  const g = new GeofenceIndex();
  const polys: { id: number; rings: LonLat[][]; box: number[]; poly: ReturnType<typeof polygon> }[] = [];
  for (let i = 0; i < 2000; i++) {
    const rings = randomPolygon(rng, 120.5 + rng.float(0, 1.5), 30.5 + rng.float(0, 1), rng.float(150, 1500), rng.chance(0.2));
    const poly = polygon(rings);
    polys.push({ id: i + 1, rings, poly, box: turfBbox(poly) });
    g.upsertSite({ id: i + 1, code: `S${i + 1}`, kind: 'warehouse', district: '2200', area: { type: 'Polygon', coordinates: rings } });
  }
  // a few zones, one huge (kept out of the grid's cells)
  const zones = [
    { id: 1, rings: randomPolygon(rng, 121, 31, 3000, true) },
    { id: 2, rings: randomPolygon(rng, 121.5, 31.2, 80_000, false) },
  ];
  for (const z of zones) g.upsertZone({ id: z.id, area: { type: 'Polygon', coordinates: z.rings } });
  let inside = 0;
  for (let k = 0; k < 20_000; k++) {
    const p: LonLat = [rng.float(120.4, 122.1), rng.float(30.4, 31.6)];
    const got = g
      .sitesAt(p[0], p[1])
      .map((s) => s.id)
      .sort((a, b) => a - b);
    // brute force: every polygon (turf only where its box holds the point; outside the box it cannot)
    const want = polys.filter((s) => p[0] >= s.box[0]! && p[0] <= s.box[2]! && p[1] >= s.box[1]! && p[1] <= s.box[3]! && booleanPointInPolygon(p, s.poly)).map((s) => s.id);
    assert.deepEqual(got, want);
    inside += want.length;
    const zGot = g
      .zonesAt(p[0], p[1])
      .map((z) => z.id)
      .sort();
    const zWant = zones.filter((z) => booleanPointInPolygon(p, polygon(z.rings))).map((z) => z.id);
    assert.deepEqual(zGot, zWant);
  }
  assert.ok(inside > 300, `${inside} points inside sites`);
  for (let k = 0; k < 300; k++) {
    const p: LonLat = [rng.float(120.5, 122), rng.float(30.5, 31.5)];
    const got = new Set(g.sitesWithin(p[0], p[1], 1000).map((s) => s.id));
    for (const s of polys) {
      if (p[0] < s.box[0]! - 0.05 || p[0] > s.box[2]! + 0.05 || p[1] < s.box[1]! - 0.05 || p[1] > s.box[3]! + 0.05) {
        assert.ok(!got.has(s.id));
        continue;
      }
      const d = pointToPolygonDistance(p, s.poly, { units: 'meters' });
      const dist = Math.max(0, d);
      if (Math.abs(dist - 1000) < 0.5) continue;
      assert.equal(got.has(s.id), dist <= 1000, `site ${s.id} at ${dist} m`);
      if (dist < 5000 && dist > 0) assert.ok(Math.abs(g.distanceToSite(s.id, p[0], p[1])! - dist) < 0.5, 'distance to a polygon');
    }
  }
});

test('changes are live: upsert moves a fence, remove drops it, bad input changes nothing', () => {
  const g = new GeofenceIndex();
  g.upsertRoute({
    id: 1,
    code: 'A',
    path: [
      [121, 31],
      [121.1, 31],
    ],
    corridorM: 300,
  });
  assert.deepEqual(g.corridorsAt(121.05, 31.002), [1]); // ~222 m north
  g.upsertRoute({
    id: 1,
    code: 'A',
    path: [
      [121, 31],
      [121.1, 31],
    ],
    corridorM: 200,
  });
  assert.deepEqual(g.corridorsAt(121.05, 31.002), [], 'narrowed');
  g.upsertRoute({
    id: 1,
    code: 'A',
    path: [
      [121, 31.002],
      [121.1, 31.002],
    ],
    corridorM: 200,
  });
  assert.deepEqual(g.corridorsAt(121.05, 31.002), [1], 'moved');
  assert.deepEqual(g.corridorsAt(121.05, 31), [], '222 m from the moved line');
  assert.deepEqual(g.corridorsAt(121.05, 31.0005), [1]);
  assert.throws(() => g.upsertRoute({ id: 1, path: [[121, 31]], corridorM: 200 }));
  assert.throws(() =>
    g.upsertRoute({
      id: 1,
      path: [
        [121, 31],
        [121.1, 31],
      ],
      corridorM: -1,
    }),
  );
  assert.deepEqual(g.corridorsAt(121.05, 31.002), [1], 'a refused update leaves the route as it was');
  assert.equal(g.removeRoute(1), true);
  assert.deepEqual(g.corridorsAt(121.05, 31.002), []);
  assert.equal(g.distanceToRoute(1, 121, 31), undefined);

  g.upsertSite({
    id: 7,
    code: 'W',
    kind: 'warehouse',
    area: [
      [121, 31],
      [121.01, 31],
      [121.01, 31.01],
      [121, 31.01],
    ],
  });
  assert.deepEqual(
    g.sitesAt(121.005, 31.005).map((s) => s.code),
    ['W'],
  );
  g.upsertSite({
    id: 7,
    code: 'W',
    kind: 'warehouse',
    area: [
      [121.02, 31],
      [121.03, 31],
      [121.03, 31.01],
      [121.02, 31.01],
    ],
  });
  assert.deepEqual(g.sitesAt(121.005, 31.005), []);
  assert.deepEqual(
    g.sitesAt(121.025, 31.005).map((s) => s.id),
    [7],
  );
  assert.throws(() =>
    g.upsertSite({
      id: 7,
      code: 'W',
      kind: 'warehouse',
      area: [
        [121, 31],
        [121.01, 31],
      ],
    }),
  );
  assert.deepEqual(
    g.sitesAt(121.025, 31.005).map((s) => s.id),
    [7],
  );
  g.removeSite(7);
  assert.deepEqual(g.sitesAt(121.025, 31.005), []);

  g.upsertZone({
    id: 3,
    kind: 'restricted',
    area: {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [121, 31],
            [121.01, 31],
            [121.01, 31.01],
            [121, 31],
          ],
        ],
      ],
    },
  });
  assert.equal(g.zonesAt(121.008, 31.002).length, 1);
  g.removeZone(3);
  assert.equal(g.zonesAt(121.008, 31.002).length, 0);
});
