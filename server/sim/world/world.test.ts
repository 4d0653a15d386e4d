// Checks the demo world's seed data against itself and against the offline coastline.
//   node --import tsx --test server/sim/world/world.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { area } from '@turf/area';
import { bbox } from '@turf/bbox';
import { bearing } from '@turf/bearing';
import { booleanClockwise } from '@turf/boolean-clockwise';
import { booleanIntersects } from '@turf/boolean-intersects';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { buffer } from '@turf/buffer';
import { centroid } from '@turf/centroid';
import { difference } from '@turf/difference';
import { feature, featureCollection, lineString, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { kinks } from '@turf/kinks';
import { length } from '@turf/length';
import { lineIntersect } from '@turf/line-intersect';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import { polygonToLine } from '@turf/polygon-to-line';
import type { BBox, Feature, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { LonLat } from '../../../lib/domain';
import { WORLD, BRIDGES } from './index';
import type { DistrictSeed } from './types';
import { loadCoast } from './coast';
import { distM } from './shapes';

const here = path.dirname(fileURLToPath(import.meta.url));
const coast = loadCoast();
const { districts, sites, routes, lanes } = WORLD;
const districtByCode = new Map(districts.map((d) => [d.code, d]));
const siteByCode = new Map(sites.map((s) => [s.code, s]));
const areaOf = (d: DistrictSeed) => feature(d.area as Polygon | MultiPolygon) as Feature<Polygon | MultiPolygon>;
const partsOf = (d: DistrictSeed) => (d.area.type === 'Polygon' ? [d.area.coordinates] : d.area.coordinates) as Position[][][];
const sitePoly = (code: string) => polygon([siteByCode.get(code)!.area]);
const pathLengthM = (p: LonLat[]) => p.slice(1).reduce((s, q, i) => s + distM(p[i]!, q), 0);
/** Points every `stepM` metres along a–b, both ends included. */
const samples = (a: LonLat, b: LonLat, stepM: number): LonLat[] => {
  const n = Math.max(1, Math.ceil(distM(a, b) / stepM));
  return Array.from({ length: n + 1 }, (_, k) => [a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n] as LonLat);
};

// Land polygons of the coastline file, with their bounding boxes, for the turf-based sea checks.
const landPolys = (() => {
  const fc = JSON.parse(fs.readFileSync(path.resolve(here, '../../../geo/coast-china-1m.geojson'), 'utf8'));
  const out: { a3: string; bbox: BBox; poly: Feature<Polygon> }[] = [];
  for (const f of fc.features) {
    const polys: Position[][][] = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const p of polys) {
      const poly = polygon(p);
      out.push({ a3: f.properties.a3, bbox: bbox(poly), poly });
    }
  }
  return out;
})();
const landTouching = (line: Feature<LineString>) => {
  const [x0, y0, x1, y1] = bbox(line);
  return landPolys.filter(({ bbox: b, poly }) => !(b[2] < x0 || b[0] > x1 || b[3] < y0 || b[1] > y1) && booleanIntersects(line, poly));
};

test('codes are unique', () => {
  for (const [what, list] of [
    ['district', districts],
    ['site', sites],
    ['route', routes],
    ['lane', lanes],
  ] as const) {
    const codes = list.map((x) => x.code);
    assert.equal(new Set(codes).size, codes.length, `duplicate ${what} code`);
  }
  for (const d of districts) assert.match(d.code, /^\d{4}$/, `district code ${d.code}`);
});

test('districts nest hq → direct → office', () => {
  const hq = districts.filter((d) => d.level === 'hq');
  assert.equal(hq.length, 1);
  assert.equal(hq[0]!.code, '0000');
  assert.equal(hq[0]!.parent, null);
  const want = { direct: 'hq', office: 'direct' } as const;
  for (const d of districts) {
    if (d.level === 'hq') continue;
    const parent = districtByCode.get(d.parent ?? '');
    assert.ok(parent, `${d.code}: parent ${d.parent} missing`);
    assert.equal(parent.level, want[d.level], `${d.code} (${d.level}) under ${parent.code} (${parent.level})`);
  }
  assert.ok(districts.filter((d) => d.level === 'direct').length >= 3);
  assert.ok(districts.filter((d) => d.level === 'office').length >= 4);
});

test('district areas are valid polygons and lie within their parent', () => {
  for (const d of districts) {
    for (const part of partsOf(d)) {
      for (const ring of part) {
        assert.ok(ring.length >= 4, `${d.code}: short ring`);
        assert.deepEqual(ring[0], ring[ring.length - 1], `${d.code}: ring not closed`);
      }
      assert.equal(kinks(polygon(part)).features.length, 0, `${d.code}: self-intersection`);
    }
    if (!d.parent) continue;
    const a = areaOf(d);
    const outside = difference(featureCollection([a, areaOf(districtByCode.get(d.parent)!)]));
    const frac = outside ? area(outside) / area(a) : 0;
    assert.ok(frac < 0.001, `${d.code}: ${(frac * 100).toFixed(2)} % of its area lies outside ${d.parent}`);
  }
});

test('sibling districts do not overlap', () => {
  for (const a of districts)
    for (const b of districts) {
      if (a.code >= b.code || a.parent !== b.parent || !a.parent) continue;
      const both = intersect(featureCollection([areaOf(a), areaOf(b)]));
      const km2 = both ? area(both) / 1e6 : 0;
      assert.ok(km2 < 1, `${a.code} and ${b.code} overlap by ${km2.toFixed(1)} km²`);
    }
});

test('site polygons are closed, counter-clockwise, simple, small and inside their district', () => {
  for (const s of sites) {
    const r = s.area;
    assert.ok(r.length >= 4, `${s.code}: ring too short`);
    assert.deepEqual(r[0], r[r.length - 1], `${s.code}: ring not closed`);
    assert.equal(booleanClockwise(r), false, `${s.code}: ring is clockwise`);
    const poly = polygon([r]);
    assert.equal(kinks(poly).features.length, 0, `${s.code}: self-intersection`);
    const km2 = area(poly) / 1e6;
    assert.ok(km2 > 0.05 && km2 < 7, `${s.code}: ${km2.toFixed(2)} km²`);
    // a few hundred metres to 2 km across; quays of the big container ports run up to 7 km along the water
    const span = Math.max(...r.flatMap((p) => r.map((q) => distM(p, q))));
    assert.ok(span < (s.kind === 'port_terminal' ? 7500 : 2600), `${s.code}: ${Math.round(span)} m across`);

    const d = districtByCode.get(s.district);
    assert.ok(d, `${s.code}: district ${s.district} missing`);
    assert.notEqual(d.level, 'hq', `${s.code}: supervised by an office or a direct customs, not HQ`);
    const c = centroid(poly);
    assert.ok(booleanPointInPolygon(c, areaOf(d)), `${s.code}: centroid outside district ${s.district}`);
    // the most specific district: no office other than its own contains it
    for (const o of districts)
      if (o.level === 'office' && o.code !== s.district && booleanPointInPolygon(c, areaOf(o))) assert.fail(`${s.code} lies in office ${o.code} but is assigned to ${s.district}`);
  }
});

test('sites lie on land in mainland China, port terminals at the waterfront', () => {
  for (const s of sites) {
    for (const p of s.area) assert.equal(coast.landAt(p), 'CHN', `${s.code}: vertex ${p} not on CHN land`);
    for (let i = 1; i < s.area.length; i++) assert.ok(!coast.segmentCrossesCoast(s.area[i - 1]!, s.area[i]!), `${s.code}: edge ${i} crosses the coastline`);
    if (s.kind !== 'port_terminal') continue;
    // the berth side is within 300 m of the water: some point just off its boundary is at sea
    const ring = polygonToLine(polygon([s.area])) as Feature<LineString>; // one ring: one line
    const buffered = buffer(polygon([s.area]), 0.3, { units: 'kilometers' })!;
    const outer = (buffered.geometry as Polygon).coordinates[0] as LonLat[];
    assert.ok(
      outer.some((p) => !coast.isLand(p)),
      `${s.code}: no water within 300 m`,
    );
    assert.ok(length(ring) > 0);
    // and at least one approach lane ends at it
    assert.ok(
      lanes.some((l) => (l.kind ?? 'approach') === 'approach' && l.port === s.code),
      `${s.code}: no approach lane`,
    );
  }
});

test('sites do not overlap each other', () => {
  for (let i = 0; i < sites.length; i++)
    for (let j = i + 1; j < sites.length; j++) assert.ok(!booleanIntersects(sitePoly(sites[i]!.code), sitePoly(sites[j]!.code)), `${sites[i]!.code} overlaps ${sites[j]!.code}`);
});

test('routes start in their from-site and end in their to-site', () => {
  for (const r of routes) {
    assert.ok(siteByCode.has(r.from) && siteByCode.has(r.to), `${r.code}: unknown site`);
    assert.notEqual(r.from, r.to);
    assert.ok(booleanPointInPolygon(r.path[0]!, sitePoly(r.from)), `${r.code}: starts outside ${r.from}`);
    assert.ok(booleanPointInPolygon(r.path.at(-1)!, sitePoly(r.to)), `${r.code}: ends outside ${r.to}`);
    assert.ok(r.corridorM >= 300 && r.corridorM <= 1000, `${r.code}: corridor ${r.corridorM} m`);
  }
});

test('route vertices are at most 5 km apart and lengths are plausible', () => {
  for (const r of routes) {
    for (let i = 1; i < r.path.length; i++) {
      const d = distM(r.path[i - 1]!, r.path[i]!);
      assert.ok(d <= 5000, `${r.code}: segment ${i} is ${Math.round(d)} m`);
      assert.ok(d > 0, `${r.code}: repeated vertex ${i}`);
    }
    const len = pathLengthM(r.path);
    const crow = distM(r.path[0]!, r.path.at(-1)!);
    assert.ok(len >= 1000 && len <= 400_000, `${r.code}: ${(len / 1000).toFixed(1)} km`);
    assert.ok(len <= 2.5 * crow + 8000, `${r.code}: ${(len / 1000).toFixed(1)} km for ${(crow / 1000).toFixed(1)} km as the crow flies`);
    // no sharp switchbacks: consecutive headings never turn back by more than 150°
    for (let i = 2; i < r.path.length; i++) {
      const b1 = bearing(r.path[i - 2]!, r.path[i - 1]!);
      const b2 = bearing(r.path[i - 1]!, r.path[i]!);
      const turn = Math.abs(((b2 - b1 + 540) % 360) - 180);
      assert.ok(turn < 150, `${r.code}: turns back by ${turn.toFixed(0)}° at vertex ${i - 1}`);
    }
  }
  const r03 = routes.find((r) => r.from === '2248-T01' && r.to === '2327-B01');
  assert.ok(r03, 'Yangshan → Suzhou route');
  const km = pathLengthM(r03.path) / 1000;
  assert.ok(km > 130 && km < 190, `Yangshan → Suzhou ${km.toFixed(0)} km`);
});

test('routes stay on mainland land except on the listed bridges', () => {
  for (const b of BRIDGES) {
    assert.ok(coast.isLand(b.path[0]!) && coast.isLand(b.path.at(-1)!), `${b.nameEn}: ends not on land`);
  }
  const bridgeLines = BRIDGES.map((b) => lineString(b.path));
  const onBridge = (p: LonLat) => bridgeLines.some((l) => pointToLineDistance(p, l, { units: 'meters' }) <= 300);
  for (const r of routes) {
    for (let i = 1; i < r.path.length; i++) {
      for (const p of samples(r.path[i - 1]!, r.path[i]!, 50)) {
        const land = coast.landAt(p);
        if (land === null) assert.ok(onBridge(p), `${r.code}: at sea at ${p} (segment ${i}) and not on a bridge`);
        else assert.equal(land, 'CHN', `${r.code}: in ${land} at ${p} (segment ${i})`);
      }
    }
  }
});

test('lane vertices and segments are at sea; approaches end at their terminal', () => {
  for (const l of lanes) {
    const kind = l.kind ?? 'approach';
    const s = siteByCode.get(l.port);
    assert.ok(s, `${l.code}: port ${l.port} missing`);
    assert.equal(s.kind, 'port_terminal', `${l.code}: ${l.port} is not a port terminal`);
    assert.ok(l.path.length >= 2);
    const n = l.path.length;
    const last = l.path[n - 1]!;
    for (let i = 0; i < n; i++) {
      const p = l.path[i]!;
      if (kind === 'approach' && i === n - 1) continue;
      assert.equal(coast.landAt(p), null, `${l.code}: vertex ${i} ${p} is on land`);
    }
    for (let i = 1; i < n; i++) {
      const seg = lineString([l.path[i - 1]!, l.path[i]!]);
      const hits = landTouching(seg);
      const finalLeg = kind === 'approach' && i === n - 1;
      if (finalLeg) {
        // the berth leg may only touch land within 500 m of its own terminal
        for (const h of hits) {
          const pts = lineIntersect(seg, h.poly).features.map((f) => f.geometry.coordinates as LonLat);
          for (const p of pts) assert.ok(pointToPolygonDistance(p, sitePoly(l.port), { units: 'meters' }) <= 500, `${l.code}: final leg touches land at ${p}`);
        }
      } else {
        assert.equal(hits.length, 0, `${l.code}: segment ${i} crosses ${hits.map((h) => h.a3).join(',')} land`);
        assert.ok(!coast.segmentCrossesCoast(l.path[i - 1]!, l.path[i]!), `${l.code}: segment ${i} crosses the coastline`);
      }
    }
    const len = pathLengthM(l.path);
    assert.ok(len > 5000 && len < 600_000, `${l.code}: ${(len / 1000).toFixed(0)} km`);
    if (kind === 'approach') {
      const d = pointToPolygonDistance(last, sitePoly(l.port), { units: 'meters' });
      assert.ok(d <= 500, `${l.code}: ends ${Math.round(d)} m from ${l.port}`);
    } else {
      assert.equal(coast.landAt(last), null, `${l.code}: ends on land`);
    }
    if (kind === 'anchorage') assert.deepEqual(l.path[0], last, `${l.code}: anchorage circuit not closed`);
  }
  const transits = lanes.filter((l) => l.kind === 'transit' || l.kind === 'anchorage');
  assert.ok(transits.length >= 2, 'coastal transit / anchorage lanes');
});

test('every route touches districts and every direct customs has sites', () => {
  for (const d of districts.filter((x) => x.level === 'direct')) {
    const under = new Set([d.code, ...districts.filter((o) => o.parent === d.code).map((o) => o.code)]);
    assert.ok(
      sites.some((s) => under.has(s.district)),
      `${d.code}: no sites`,
    );
  }
  const hq = areaOf(districtByCode.get('0000')!);
  for (const r of routes) for (const p of [r.path[0]!, r.path.at(-1)!]) assert.ok(booleanPointInPolygon(p, hq), `${r.code}: outside HQ`);
});
