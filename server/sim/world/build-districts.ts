// Builds server/sim/world/districts.json from the offline geo data (run once; the output is kept):
//   npx tsx server/sim/world/build-districts.ts
//
// Every area is approximate: province polygons are Natural Earth admin-1 (geo/china-admin1.geojson,
// public domain), customs areas inside a province are hand-drawn "claim" polygons clipped to it, and the
// coastal customs get a sea margin (a buffer of their province, clipped away from other provinces' land)
// so that port terminals, which sit on the finer OSM coastline, fall inside them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { area } from '@turf/area';
import { buffer as turfBuffer } from '@turf/buffer';
import { cleanCoords } from '@turf/clean-coords';
import { difference } from '@turf/difference';
import { feature, featureCollection, multiPolygon, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { kinks as turfKinks } from '@turf/kinks';
import { truncate } from '@turf/truncate';
import { union as turfUnion } from '@turf/union';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { DistrictSeed } from './types';

type Area = Feature<Polygon | MultiPolygon>;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const readGeo = (name: string) => JSON.parse(fs.readFileSync(path.join(root, 'geo', name), 'utf8'));

const admin1 = readGeo('china-admin1.geojson').features as Area[];
const coast = readGeo('coast-china-1m.geojson').features as Area[];
const province = (name: string): Area => {
  const f = admin1.find((a) => a.properties?.name === name);
  if (!f) throw new Error(`no province ${name}`);
  return feature(f.geometry);
};

const union = (...areas: (Area | null)[]): Area => {
  const parts = areas.filter((a): a is Area => a !== null);
  if (parts.length === 1) return parts[0]!;
  const u = turfUnion(featureCollection(parts));
  if (!u) throw new Error('empty union');
  return u;
};
const minus = (a: Area, ...bs: (Area | null)[]): Area => {
  let out: Area | null = a;
  for (const b of bs) {
    if (!b || !out) continue;
    out = difference(featureCollection([out, b]));
  }
  if (!out) throw new Error('empty difference');
  return out;
};
const inter = (a: Area, b: Area): Area => {
  const out = intersect(featureCollection([a, b]));
  if (!out) throw new Error('empty intersection');
  return out;
};
const poly = (ring: [number, number][]): Area => {
  const [first, last] = [ring[0], ring[ring.length - 1]];
  if (!first || !last) throw new Error('poly: an empty ring');
  const r = first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  return polygon([r]);
};
const buffer = (a: Area, km: number): Area => {
  const b = turfBuffer(a, km, { units: 'kilometers', steps: 4 });
  if (!b) throw new Error('empty buffer');
  return b as Area;
};
/** Drops polygon parts (and holes) smaller than minKm2: slivers left over by the clipping. */
const clean = (a: Area, minKm2 = 0.05): Area => {
  const parts = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates;
  const kept: Position[][][] = [];
  for (const [outer, ...holes] of parts) {
    if (!outer || area(polygon([outer])) / 1e6 < minKm2) continue;
    kept.push([outer, ...holes.filter((h) => area(polygon([h])) / 1e6 >= minKm2)]);
  }
  return kept.length === 1 ? polygon(kept[0]!) : multiPolygon(kept);
};

const t0 = Date.now();
const SH = province('Shanghai');
const JS = province('Jiangsu');
const ZJ = province('Zhejiang');
const GD = province('Guangdong');
const allAdmin = union(...admin1.map((f) => feature(f.geometry) as Area));
const hkgMac = union(...coast.filter((f) => f.properties?.a3 === 'HKG' || f.properties?.a3 === 'MAC').map((f) => feature(f.geometry) as Area));
const otherThan = (p: Area) => minus(allAdmin, p);
console.log('provinces ready', Date.now() - t0, 'ms');

// --- claims (hand-drawn, approximate) ---
// 洋山: the Yangshan islands (Shengsi county, Zhejiang waters, supervised by Shanghai), the Donghai Bridge
// corridor and the Lingang / Luchaogang end on the mainland.
const YANGSHAN_CLAIM = union(
  poly([
    [121.97, 30.56],
    [122.18, 30.56],
    [122.18, 30.7],
    [121.97, 30.7],
  ]),
  poly([
    [121.94, 30.86],
    [121.965, 30.7],
    [122.0, 30.66],
    [122.06, 30.68],
    [122.02, 30.72],
    [121.995, 30.86],
  ]),
  poly([
    [121.84, 30.83],
    [122.0, 30.83],
    [122.0, 30.95],
    [121.84, 30.95],
  ]),
);
// 宁波: Ningbo municipality (Cixi, Yuyao, Zhenhai, Beilun, Yinzhou, Fenghua, Ninghai, Xiangshan) and the
// Zhoushan archipelago with the sea around it (舟山 is supervised from Ningbo customs).
const NINGBO_CLAIM = poly([
  [120.93, 30.05],
  [121.02, 30.32],
  [121.25, 30.43],
  [121.6, 30.5],
  [121.95, 30.68],
  [122.35, 30.95],
  [122.95, 30.95],
  [122.95, 29.4],
  [122.3, 28.95],
  [121.9, 28.8],
  [121.45, 29.0],
  [121.25, 29.25],
  [121.1, 29.55],
  [120.98, 29.8],
]);
// 深圳: Shenzhen municipality plus its waters (east Pearl River estuary, north Shenzhen Bay, Mirs Bay / Dapeng Bay),
// with Hong Kong land taken out.
const SHENZHEN_CLAIM = poly([
  [113.72, 22.4],
  [113.74, 22.8],
  [113.9, 22.86],
  [114.1, 22.78],
  [114.3, 22.72],
  [114.5, 22.7],
  [114.66, 22.62],
  [114.66, 22.4],
  [114.45, 22.44],
  [114.34, 22.53],
  [114.22, 22.553],
  [114.1, 22.535],
  [114.02, 22.5],
  [113.95, 22.46],
  [113.88, 22.4],
]);

// The Yangtze south branch off Taicang (to about mid-channel towards Chongming) is Jiangsu's, not Shanghai's.
const TAICANG_WATERS = poly([
  [121.32, 31.49],
  [121.36, 31.56],
  [121.3, 31.6],
  [121.2, 31.67],
  [121.1, 31.74],
  [121.05, 31.78],
  [120.95, 31.7],
  [121.1, 31.55],
]);

const MARGIN_KM = 12; // about the territorial sea, 12 nm is 22 km; keep it modest

// --- direct customs ---
const d2200 = clean(minus(union(SH, minus(buffer(SH, MARGIN_KM), TAICANG_WATERS), YANGSHAN_CLAIM), otherThan(SH)));
console.log('2200', Date.now() - t0, 'ms');
const d3100 = clean(minus(NINGBO_CLAIM, d2200, otherThan(ZJ)));
console.log('3100', Date.now() - t0, 'ms');
const d2900 = clean(minus(union(ZJ, buffer(ZJ, MARGIN_KM)), d2200, d3100, otherThan(ZJ)));
console.log('2900', Date.now() - t0, 'ms');
const d2300 = clean(minus(union(JS, buffer(JS, MARGIN_KM)), d2200, d2900, d3100, otherThan(JS)));
console.log('2300', Date.now() - t0, 'ms');
const d5300 = clean(minus(SHENZHEN_CLAIM, hkgMac, otherThan(GD)));
console.log('5300', Date.now() - t0, 'ms');
const d0000 = clean(union(allAdmin, d2200, d2300, d2900, d3100, d5300), 1);
console.log('0000', Date.now() - t0, 'ms');

// --- offices (claims clipped to their parent) ---
const office = (parent: Area, claim: [number, number][], ...not: Area[]) => clean(minus(inter(parent, poly(claim)), ...not));
const o2248 = clean(inter(d2200, YANGSHAN_CLAIM));
const o2218 = office(d2200, [
  [121.52, 31.3],
  [121.68, 31.25],
  [121.74, 31.3],
  [121.64, 31.37],
  [121.56, 31.4],
  [121.51, 31.37],
]);
const o2327 = office(d2300, [
  [120.66, 31.24],
  [120.86, 31.23],
  [120.87, 31.38],
  [120.68, 31.39],
]);
const o2305 = office(
  d2300,
  [
    [120.82, 31.17],
    [121.02, 31.13],
    [121.12, 31.22],
    [121.1, 31.4],
    [121.02, 31.46],
    [120.88, 31.46],
    [120.8, 31.4],
  ],
  o2327,
);
const o2322 = office(
  d2300,
  [
    [121.0, 31.46],
    [121.12, 31.41],
    [121.27, 31.47],
    [121.4, 31.55],
    [121.36, 31.66],
    [121.22, 31.74],
    [121.05, 31.62],
    [120.97, 31.55],
  ],
  o2305,
  o2327,
);
const o3104 = office(d3100, [
  [121.55, 29.74],
  [121.95, 29.72],
  [122.06, 29.84],
  [122.03, 29.965],
  [121.9, 29.975],
  [121.73, 29.975],
  [121.58, 29.93],
]);
const o2921 = office(d2900, [
  [120.22, 30.24],
  [120.46, 30.22],
  [120.48, 30.36],
  [120.24, 30.37],
]);
const o5316 = office(d5300, [
  [114.17, 22.54],
  [114.34, 22.53],
  [114.47, 22.46],
  [114.47, 22.66],
  [114.17, 22.66],
]);

const seeds: DistrictSeed[] = [];
const round = (a: Area) => {
  const r = truncate(a, { precision: 6, coordinates: 2 });
  const g = cleanCoords(r).geometry;
  return { type: g.type, coordinates: g.coordinates } as DistrictSeed['area'];
};
const add = (code: string, nameZh: string, nameEn: string, level: DistrictSeed['level'], parent: string | null, a: Area) =>
  seeds.push({ code, nameZh, nameEn, level, parent, area: round(a), approximate: true });

add('0000', '海关总署', 'General Administration of Customs', 'hq', null, d0000);
add('2200', '上海海关', 'Shanghai Customs', 'direct', '0000', d2200);
add('2300', '南京海关', 'Nanjing Customs', 'direct', '0000', d2300);
add('2900', '杭州海关', 'Hangzhou Customs', 'direct', '0000', d2900);
add('3100', '宁波海关', 'Ningbo Customs', 'direct', '0000', d3100);
add('5300', '深圳海关', 'Shenzhen Customs', 'direct', '0000', d5300);
add('2248', '洋山海关', 'Yangshan Customs', 'office', '2200', o2248);
add('2218', '外高桥港区海关', 'Waigaoqiao Port Customs', 'office', '2200', o2218);
add('2327', '苏州工业园区海关', 'Suzhou Industrial Park Customs', 'office', '2300', o2327);
add('2305', '昆山海关', 'Kunshan Customs', 'office', '2300', o2305);
add('2322', '太仓海关', 'Taicang Customs', 'office', '2300', o2322);
add('2921', '杭州下沙海关', 'Hangzhou Xiasha Customs', 'office', '2900', o2921);
add('3104', '北仑海关', 'Beilun Customs', 'office', '3100', o3104);
add('5316', '盐田海关', 'Yantian Customs', 'office', '5300', o5316);

// --- validation: no self-intersections, no empty parts ---
for (const s of seeds) {
  const parts = (s.area.type === 'Polygon' ? [s.area.coordinates] : s.area.coordinates) as Position[][][];
  let kinks = 0;
  let vertices = 0;
  for (const p of parts) {
    kinks += turfKinks(polygon(p)).features.length;
    vertices += p.reduce((n, r) => n + r.length, 0);
  }
  const km2 = Math.round(area(feature(s.area as Polygon)) / 1e6);
  console.log(s.code, s.nameEn, s.area.type, 'parts', parts.length, 'vertices', vertices, 'km2', km2, 'kinks', kinks);
  if (kinks) throw new Error(`${s.code} has ${kinks} self-intersections`);
}

const out = path.join(here, 'districts.json');
fs.writeFileSync(out, JSON.stringify(seeds));
console.log('wrote', out, fs.statSync(out).size, 'bytes in', Date.now() - t0, 'ms');
