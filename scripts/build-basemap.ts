/**
 * Offline basemap: cut the GeoJSON in geo/ plus Natural Earth (npm `world-atlas`) into Mapbox
 * Vector Tiles and write them as a PMTiles v3 archive, `public/basemap.pmtiles`.
 * Also copies MapLibre's worker bundle to `public/maplibre-gl-worker.mjs` (Next does not bundle it).
 *
 *   npx tsx scripts/build-basemap.ts [--out path/to/file.pmtiles] [--maxzoom N]
 *
 * Coverage: the whole world at z0..WORLD_MAX_ZOOM, the detail box lon 95..145, lat 0..50 up to
 * MAX_ZOOM (outside it, deeper tiles are absent and the map shows sea colour).
 *
 * Land comes in three generalisations, one per zoom band:
 *   z0-2  Natural Earth land 110m
 *   z3-4  Natural Earth land 50m
 *   z5+   Natural Earth land 10m outside the coast-china box (lon 107..124, lat 18..41), and the
 *         OSM-derived coast-china-1m inside it (Yangshan, Zhoushan islands etc.). 10m rather than
 *         50m: Korea, Japan, Vietnam look right at z6-10 and the seams at the box edges are small,
 *         for about +0.7 MB and +5 s.
 *
 * Layers (all tiles extent 4096):
 *   land    polygons                          (no properties)
 *   rivers  lines: class, kind                (GSHHG/WDBII rivers and canals, detail box only; kind major
 *                                             from z4, river from z6, minor and canal from z8: riverMinZoom.
 *                                             The archive grew from 3.1 to 5.1 MB with them, the build by ~1.5 s)
 *   coast   land outlines as lines            (no properties; the box clip lines are left out)
 *   admin0  country borders on land           (no properties; Natural Earth 110m/50m/10m by band)
 *   admin1  Chinese province borders          (no properties; borders between two provinces only)
 *   places  points: name, name_zh?, scalerank, pop_max   (thinned by zoom on scalerank)
 *   ports   points: name, name_zh?, scalerank            (thinned by zoom on scalerank)
 *
 * No roads or railways: no open source of them for China could be had from npm or Debian (see geo/SOURCES.md).
 *
 * Deterministic: the same inputs give the same bytes (no timestamps, fixed orders, fixed gzip level).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GeoJSONVT, type GeoJSONVTFeature, type GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import * as topojson from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { Compression, TileType, gzip, writePmtiles, type PmtilesStats, type TileInput } from './pmtiles-writer';

type Pos = [number, number];
type Ring = Pos[];
type PolygonCoords = Ring[];

export const MAX_ZOOM = 10;
export const WORLD_MAX_ZOOM = 5;
/** Detail area, tiled at every zoom: [west, south, east, north]. */
export const DETAIL_BBOX: [number, number, number, number] = [95, 0, 145, 50];
/** The box coast-china-1m was clipped to. */
export const COAST_BOX = { west: 107, south: 18, east: 124, north: 41 } as const;
export const EXTENT = 4096;
export const LAYERS = ['land', 'rivers', 'coast', 'admin0', 'admin1', 'places', 'ports'] as const;
type LayerName = (typeof LAYERS)[number];
export const ATTRIBUTION = '© OpenStreetMap contributors, Natural Earth, GSHHG';

/** First zoom at which a river of this kind is drawn (the kinds of scripts/extract-gshhg-rivers.ts). */
export function riverMinZoom(kind: string): number {
  if (kind === 'major') return 4;
  if (kind === 'river') return 6;
  return 8; // minor, canal
}

/** Highest place scalerank shown at zoom z (Natural Earth scalerank 0 = most important). */
export function placeMaxRank(z: number): number {
  if (z <= 1) return 1;
  if (z >= 8) return 10;
  return z; // z2: <=2 ... z7: <=7
}
/** Highest port scalerank shown at zoom z. */
export function portMaxRank(z: number): number {
  if (z <= 3) return 3;
  if (z >= 8) return 10;
  return z;
}

/** Chinese names for ports that have no same-named place in places-east-asia nearby. */
const PORT_NAME_ZH: Record<string, string> = {
  Guangzhou: '广州',
  Zhoushan: '舟山',
  Jiangyin: '江阴',
  Haimen: '海门',
  Yantian: '盐田',
  Yingkou: '营口',
  'Chang Sha': '长沙',
  Hankow: '汉口',
  'Hai Phong': '海防',
  Osaka: '大阪',
  Kobe: '神户',
  Kitakyushu: '北九州',
  Yangon: '仰光',
  Keelung: '基隆',
};

// ---------------------------------------------------------------------------------------------
// Geometry helpers (planar lon/lat)

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function polygonsOf(geom: GeoJSON.Geometry | null): PolygonCoords[] {
  if (!geom) return [];
  if (geom.type === 'Polygon') return [geom.coordinates as PolygonCoords];
  if (geom.type === 'MultiPolygon') return geom.coordinates as PolygonCoords[];
  if (geom.type === 'GeometryCollection') return geom.geometries.flatMap(polygonsOf);
  return [];
}

function linesOf(geom: GeoJSON.Geometry | null): Pos[][] {
  if (!geom) return [];
  if (geom.type === 'LineString') return [geom.coordinates as Pos[]];
  if (geom.type === 'MultiLineString') return geom.coordinates as Pos[][];
  return [];
}

/**
 * Make longitudes continuous along a path (a jump of more than 180° is an antimeridian crossing),
 * so that geojson-vt, which wraps x outside -180..180, gets one connected shape.
 * Returns null for a ring that goes all the way round the globe (Antarctica).
 */
function unwrapPath(path: Pos[]): Pos[] | null {
  const out: Pos[] = [];
  let shift = 0;
  let prev: number | undefined;
  for (const [x, y] of path) {
    if (prev !== undefined) {
      if (x - prev > 180) shift -= 360;
      else if (prev - x > 180) shift += 360;
    }
    out.push([x + shift, y]);
    prev = x;
  }
  const [p0, pN] = [path[0], path[path.length - 1]];
  if (path.length > 2 && p0 && pN && p0[0] === pN[0] && p0[1] === pN[1]) {
    if (out[0]![0] !== out[out.length - 1]![0]) return null; // closed on the sphere, open in the plane: circumpolar
  }
  return out;
}

/** Shift paths by a whole number of turns so that the first one starts west at -180..180. */
function normalizeTurns(paths: Pos[][]): Pos[][] {
  let minX = Infinity;
  for (const [x] of paths[0] ?? []) if (x < minX) minX = x;
  if (minX === Infinity) return paths;
  const shift = -360 * Math.floor((minX + 180) / 360);
  if (shift === 0) return paths;
  return paths.map((p) => p.map(([x, y]): Pos => [x + shift, y]));
}

/** Natural Earth polygons ready for the plane: antimeridian unwrapped, Antarctica dropped. */
function worldPolygons(geom: GeoJSON.Geometry | null): PolygonCoords[] {
  const out: PolygonCoords[] = [];
  for (const poly of polygonsOf(geom)) {
    const rings: Ring[] = [];
    let ok = true;
    for (const ring of poly) {
      const u = unwrapPath(ring);
      if (!u) {
        if (rings.length === 0) ok = false; // outer ring unusable: drop the polygon
        continue;
      }
      rings.push(u);
    }
    if (!ok || rings.length === 0) continue;
    if (Math.min(...rings[0]!.map((p) => p[1])) < -60) continue; // Antarctica
    out.push(normalizeTurns(rings));
  }
  return out;
}

function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    a += (xj - xi) * (yj + yi);
  }
  return a / 2;
}

/** Sutherland–Hodgman against one axis-aligned half plane; ring open (no repeated last point). */
function clipHalfPlane(ring: Ring, axis: 0 | 1, value: number, keepBelow: boolean): Ring {
  const out: Ring = [];
  const n = ring.length;
  const inside = (p: Pos) => (keepBelow ? p[axis] <= value : p[axis] >= value);
  for (let i = 0; i < n; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % n]!;
    const ai = inside(a);
    const bi = inside(b);
    if (ai) out.push(a);
    if (ai !== bi) {
      const t = (value - a[axis]) / (b[axis] - a[axis]);
      out.push(axis === 0 ? [value, a[1] + t * (b[1] - a[1])] : [a[0] + t * (b[0] - a[0]), value]);
    }
  }
  return out;
}

interface HalfPlane {
  axis: 0 | 1;
  value: number;
  keepBelow: boolean;
}

function clipRing(ring: Ring, planes: HalfPlane[]): Ring | null {
  let r = ring.slice(0, ring.length - 1); // open
  for (const p of planes) {
    r = clipHalfPlane(r, p.axis, p.value, p.keepBelow);
    if (r.length < 3) return null;
  }
  if (Math.abs(ringArea(r)) < 1e-12) return null;
  return [...r, r[0]!]; // three points or more
}

/** The world minus the coast box, as four rectangles (west, east, south, north of it). */
const OUTSIDE_BOX: HalfPlane[][] = [
  [{ axis: 0, value: COAST_BOX.west, keepBelow: true }],
  [{ axis: 0, value: COAST_BOX.east, keepBelow: false }],
  [
    { axis: 0, value: COAST_BOX.west, keepBelow: false },
    { axis: 0, value: COAST_BOX.east, keepBelow: true },
    { axis: 1, value: COAST_BOX.south, keepBelow: true },
  ],
  [
    { axis: 0, value: COAST_BOX.west, keepBelow: false },
    { axis: 0, value: COAST_BOX.east, keepBelow: true },
    { axis: 1, value: COAST_BOX.north, keepBelow: false },
  ],
];

function clipPolygonsOutsideBox(polys: PolygonCoords[]): PolygonCoords[] {
  const out: PolygonCoords[] = [];
  const { west, south, east, north } = COAST_BOX;
  for (const poly of polys) {
    const outerRing = poly[0];
    if (!outerRing) continue;
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (const [x, y] of outerRing) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    if (maxX <= west || minX >= east || maxY <= south || minY >= north) {
      out.push(poly); // wholly outside the box
      continue;
    }
    if (minX >= west && maxX <= east && minY >= south && maxY <= north) continue; // wholly inside
    for (const planes of OUTSIDE_BOX) {
      const outer = clipRing(outerRing, planes);
      if (!outer) continue;
      const rings: Ring[] = [outer];
      for (const hole of poly.slice(1)) {
        const h = clipRing(hole, planes);
        if (h) rings.push(h);
      }
      out.push(rings);
    }
  }
  return out;
}

const EPS = 1e-9;
/** A segment lying on one of the coast box's edges is a clip line, not coastline. */
function isBoxEdge(a: Pos, b: Pos): boolean {
  for (const v of [COAST_BOX.west, COAST_BOX.east]) {
    if (Math.abs(a[0] - v) < EPS && Math.abs(b[0] - v) < EPS) return true;
  }
  for (const v of [COAST_BOX.south, COAST_BOX.north]) {
    if (Math.abs(a[1] - v) < EPS && Math.abs(b[1] - v) < EPS) return true;
  }
  return false;
}

/** Outline of a closed ring as lines, leaving out segments for which `skip` is true. */
function ringOutline(ring: Ring, skip: (a: Pos, b: Pos) => boolean): Pos[][] {
  const n = ring.length - 1; // segments
  let start = -1;
  // Indices below are segment starts, i < n: ring[i + 1] exists.
  for (let i = 0; i < n; i++) {
    if (skip(ring[i]!, ring[i + 1]!)) {
      start = i;
      break;
    }
  }
  if (start < 0) return [ring];
  const lines: Pos[][] = [];
  let cur: Pos[] = [];
  for (let k = 1; k <= n; k++) {
    const i = (start + k) % n;
    const a = ring[i]!;
    const b = ring[i + 1]!;
    if (skip(a, b)) {
      if (cur.length >= 2) lines.push(cur);
      cur = [];
    } else {
      if (cur.length === 0) cur.push(a);
      cur.push(b);
    }
  }
  if (cur.length >= 2) lines.push(cur);
  return lines;
}

const never = () => false;

function outlines(polys: PolygonCoords[], skip: (a: Pos, b: Pos) => boolean = never): Pos[][] {
  return polys.flatMap((poly) => poly.flatMap((ring) => ringOutline(ring, skip)));
}

/** Borders shared by two provinces (each once), as lines. Outer edges (coast, national border) are left out. */
function sharedBorders(polys: PolygonCoords[]): Pos[][] {
  const key = (a: Pos, b: Pos) => {
    const ka = `${a[0]},${a[1]}`;
    const kb = `${b[0]},${b[1]}`;
    return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
  };
  const count = new Map<string, number>();
  for (const poly of polys) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const k = key(ring[i]!, ring[i + 1]!);
        count.set(k, (count.get(k) ?? 0) + 1);
      }
    }
  }
  const emitted = new Set<string>();
  const lines: Pos[][] = [];
  for (const poly of polys) {
    for (const ring of poly) {
      const skip = (a: Pos, b: Pos) => {
        const k = key(a, b);
        if ((count.get(k) ?? 0) < 2 || emitted.has(k)) return true;
        return false;
      };
      // Mark as emitted only after computing the outline of this ring.
      const parts = ringOutline(ring, skip);
      for (const line of parts) {
        for (let i = 0; i + 1 < line.length; i++) emitted.add(key(line[i]!, line[i + 1]!));
        lines.push(line);
      }
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Inputs

interface Inputs {
  land110: PolygonCoords[];
  land50: PolygonCoords[];
  landHi: PolygonCoords[]; // 10m outside the box + 1m inside
  coastHi: Pos[][];
  borders110: Pos[][];
  borders50: Pos[][];
  borders10: Pos[][];
  admin1: Pos[][];
  rivers: GeoJSON.Feature<GeoJSON.LineString>[];
  places: GeoJSON.Feature<GeoJSON.Point>[];
  ports: GeoJSON.Feature<GeoJSON.Point>[];
}

function topoFeatureGeometry(topo: Topology, name: string): GeoJSON.Geometry {
  const obj = topo.objects[name] as GeometryCollection;
  const f = topojson.feature(topo, obj) as GeoJSON.Feature | GeoJSON.FeatureCollection;
  if (f.type === 'Feature') return f.geometry;
  return { type: 'GeometryCollection', geometries: f.features.map((x) => x.geometry).filter(Boolean) };
}

function borderLines(topo: Topology): Pos[][] {
  const mesh = topojson.mesh(topo, topo.objects.countries as GeometryCollection, (a, b) => a !== b);
  return linesOf(mesh)
    .map((l) => unwrapPath(l))
    .filter((l): l is Pos[] => !!l && l.length >= 2)
    .map((l) => normalizeTurns([l])[0]!);
}

function haversineKm(a: Pos, b: Pos): number {
  const r = Math.PI / 180;
  const dLat = (b[1] - a[1]) * r;
  const dLon = (b[0] - a[0]) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export function loadInputs(root: string): Inputs {
  const atlas = (f: string) => readJson<Topology>(join(root, 'node_modules', 'world-atlas', f));
  const geo = (f: string) => readJson<GeoJSON.FeatureCollection>(join(root, 'geo', f));

  const land110 = worldPolygons(topoFeatureGeometry(atlas('land-110m.json'), 'land'));
  const land50 = worldPolygons(topoFeatureGeometry(atlas('land-50m.json'), 'land'));
  const land10 = worldPolygons(topoFeatureGeometry(atlas('land-10m.json'), 'land'));
  const coast1m = geo('coast-china-1m.geojson').features.flatMap((f) => polygonsOf(f.geometry));
  const landHi = [...clipPolygonsOutsideBox(land10), ...coast1m];

  const countries110 = atlas('countries-110m.json');
  const countries50 = atlas('countries-50m.json');
  const countries10 = atlas('countries-10m.json');

  const provinces = geo('china-admin1.geojson').features.filter((f) => f.properties?.iso_3166_2 !== 'CN-X01~' && f.properties?.name !== 'Paracel Islands');
  const admin1 = sharedBorders(provinces.flatMap((f) => polygonsOf(f.geometry)));

  const rivers = (geo('rivers-east-asia.geojson').features as GeoJSON.Feature<GeoJSON.LineString>[]).map((f) => ({
    type: 'Feature' as const,
    properties: { class: f.properties?.class as number, kind: f.properties?.kind as string },
    geometry: f.geometry,
  }));

  const placeFeatures = geo('places-east-asia.geojson').features as GeoJSON.Feature<GeoJSON.Point>[];
  const places = placeFeatures.map((f) => {
    const p = f.properties ?? {};
    const props: Record<string, string | number> = { name: p.name, scalerank: p.scalerank, pop_max: p.pop_max ?? 0 };
    if (p.name_zh) props.name_zh = p.name_zh;
    return { type: 'Feature' as const, properties: props, geometry: f.geometry };
  });

  const ports = (geo('ports-east-asia.geojson').features as GeoJSON.Feature<GeoJSON.Point>[]).map((f) => {
    const p = f.properties ?? {};
    const c = f.geometry.coordinates as Pos;
    let nameZh: string | undefined = PORT_NAME_ZH[p.name];
    if (!nameZh) {
      const match = placeFeatures.find(
        (q) => q.properties?.name_zh && String(q.properties.name).toLowerCase() === String(p.name).toLowerCase() && haversineKm(c, q.geometry.coordinates as Pos) < 30,
      );
      nameZh = match?.properties?.name_zh;
    }
    const props: Record<string, string | number> = { name: p.name, scalerank: p.scalerank };
    if (nameZh) props.name_zh = nameZh;
    return { type: 'Feature' as const, properties: props, geometry: f.geometry };
  });

  return {
    land110,
    land50,
    landHi,
    coastHi: outlines(landHi, isBoxEdge),
    borders110: borderLines(countries110),
    borders50: borderLines(countries50),
    borders10: borderLines(countries10),
    admin1,
    rivers,
    places,
    ports,
  };
}

// ---------------------------------------------------------------------------------------------
// Tiling

function fc(features: GeoJSON.Feature[]): GeoJSON.FeatureCollection {
  return { type: 'FeatureCollection', features };
}
function polyFeatures(layer: LayerName, polys: PolygonCoords[]): GeoJSON.Feature[] {
  return polys.map((coordinates) => ({ type: 'Feature', properties: { _l: layer }, geometry: { type: 'Polygon', coordinates } }));
}
function lineFeatures(layer: LayerName, lines: Pos[][]): GeoJSON.Feature[] {
  return lines.map((coordinates) => ({ type: 'Feature', properties: { _l: layer }, geometry: { type: 'LineString', coordinates } }));
}
function pointFeatures(layer: LayerName, pts: GeoJSON.Feature<GeoJSON.Point>[]): GeoJSON.Feature[] {
  return pts.map((f) => ({ ...f, properties: { _l: layer, ...f.properties } }));
}
function taggedFeatures(layer: LayerName, features: GeoJSON.Feature[]): GeoJSON.Feature[] {
  return features.map((f) => ({ ...f, properties: { _l: layer, ...f.properties } }));
}

interface Band {
  minZoom: number;
  maxZoom: number;
  index: GeoJSONVT;
}

function makeBands(inp: Inputs, maxZoom: number): Band[] {
  const points = [...pointFeatures('places', inp.places), ...pointFeatures('ports', inp.ports)];
  const opts = (mz: number) => ({ maxZoom: mz, indexMaxZoom: Math.min(5, mz), extent: EXTENT, buffer: 64, tolerance: 3 });
  const bands: Band[] = [];
  const add = (minZoom: number, mz: number, features: GeoJSON.Feature[]) => {
    if (minZoom > maxZoom) return;
    const bandMax = Math.min(mz, maxZoom);
    bands.push({ minZoom, maxZoom: bandMax, index: new GeoJSONVT(fc(features), opts(bandMax)) });
  };
  add(0, 2, [...polyFeatures('land', inp.land110), ...lineFeatures('coast', outlines(inp.land110)), ...lineFeatures('admin0', inp.borders110), ...points]);
  add(3, 4, [
    ...polyFeatures('land', inp.land50),
    ...taggedFeatures(
      'rivers',
      inp.rivers.filter((f) => riverMinZoom(f.properties?.kind) <= 4),
    ),
    ...lineFeatures('coast', outlines(inp.land50)),
    ...lineFeatures('admin0', inp.borders50),
    ...lineFeatures('admin1', inp.admin1),
    ...points,
  ]);
  add(5, MAX_ZOOM, [
    ...polyFeatures('land', inp.landHi),
    ...taggedFeatures('rivers', inp.rivers),
    ...lineFeatures('coast', inp.coastHi),
    ...lineFeatures('admin0', inp.borders10),
    ...lineFeatures('admin1', inp.admin1),
    ...points,
  ]);
  return bands;
}

function lonToTileX(lon: number, z: number): number {
  return Math.min((1 << z) - 1, Math.max(0, Math.floor(((lon + 180) / 360) * (1 << z))));
}
function latToTileY(lat: number, z: number): number {
  const r = (lat * Math.PI) / 180;
  const y = (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2;
  return Math.min((1 << z) - 1, Math.max(0, Math.floor(y * (1 << z))));
}

/** Tile range [x0, x1] x [y0, y1] generated at zoom z. */
export function tileRange(z: number): { x0: number; x1: number; y0: number; y1: number } {
  if (z <= WORLD_MAX_ZOOM) return { x0: 0, x1: (1 << z) - 1, y0: 0, y1: (1 << z) - 1 };
  const [w, s, e, n] = DETAIL_BBOX;
  return { x0: lonToTileX(w, z), x1: lonToTileX(e, z), y0: latToTileY(n, z), y1: latToTileY(s, z) };
}

/** Encode one tile: split geojson-vt features into layers, thin points, strip the layer tag. */
function encodeTile(tile: GeoJSONVTTile | null, z: number): Uint8Array {
  if (!tile || tile.features.length === 0) return new Uint8Array(0);
  const byLayer = new Map<LayerName, GeoJSONVTFeature[]>();
  for (const f of tile.features) {
    const { _l, ...tags } = (f.tags ?? {}) as Record<string, unknown> & { _l: LayerName };
    if (_l === 'places' && (tags.scalerank as number) > placeMaxRank(z)) continue;
    if (_l === 'ports' && (tags.scalerank as number) > portMaxRank(z)) continue;
    if (_l === 'rivers' && riverMinZoom(tags.kind as string) > z) continue;
    let list = byLayer.get(_l);
    if (!list) byLayer.set(_l, (list = []));
    list.push({ ...f, tags } as GeoJSONVTFeature);
  }
  const layers: Record<string, GeoJSONVTTile> = {};
  for (const name of LAYERS) {
    const features = byLayer.get(name);
    if (features?.length) layers[name] = { features } as unknown as GeoJSONVTTile;
  }
  if (Object.keys(layers).length === 0) return new Uint8Array(0);
  return fromGeojsonVt(layers, { version: 2, extent: EXTENT });
}

export interface BuildOptions {
  /** Repository root (where geo/ and node_modules/ are). */
  root: string;
  /** Output archive path. */
  outFile: string;
  maxZoom?: number;
  /** Where to copy maplibre-gl-worker.mjs; null to skip. */
  workerOut?: string | null;
  log?: (line: string) => void;
}

export interface BuildResult {
  outFile: string;
  bytes: number;
  ms: number;
  stats: PmtilesStats;
}

export function buildBasemap(opts: BuildOptions): BuildResult {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const maxZoom = Math.min(opts.maxZoom ?? MAX_ZOOM, MAX_ZOOM);

  const inputs = loadInputs(opts.root);
  const bands = makeBands(inputs, maxZoom);
  log(`inputs + index: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const empty = gzip(new Uint8Array(0));
  const tiles: TileInput[] = [];
  for (let z = 0; z <= maxZoom; z++) {
    const tz = performance.now();
    const band = bands.find((b) => z >= b.minZoom && z <= b.maxZoom);
    if (!band) throw new Error(`no band for z${z}`);
    const { x0, x1, y0, y1 } = tileRange(z);
    let count = 0;
    let nonEmpty = 0;
    let bytes = 0;
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const mvt = encodeTile(band.index.getTile(z, x, y), z);
        const data = mvt.length ? gzip(mvt) : empty;
        if (mvt.length) nonEmpty++;
        tiles.push({ z, x, y, data });
        count++;
        bytes += data.length;
      }
    }
    log(`z${z}: ${count} tiles (${nonEmpty} with data), ${(bytes / 1024).toFixed(0)} KiB before dedupe, ` + `${((performance.now() - tz) / 1000).toFixed(1)} s`);
  }

  const { buffer, stats } = writePmtiles(tiles, {
    tileType: TileType.Mvt,
    tileCompression: Compression.Gzip,
    minZoom: 0,
    maxZoom,
    bounds: [-180, -85.0511287, 180, 85.0511287],
    center: [121.5, 31.0, Math.min(6, maxZoom)],
    metadata: {
      name: 'TransitWatch basemap',
      format: 'pbf',
      type: 'baselayer',
      description: `World z0-${Math.min(WORLD_MAX_ZOOM, maxZoom)}, lon ${DETAIL_BBOX[0]}..${DETAIL_BBOX[2]} lat ${DETAIL_BBOX[1]}..${DETAIL_BBOX[3]} to z${maxZoom}`,
      attribution: ATTRIBUTION,
      vector_layers: [
        { id: 'land', fields: {}, minzoom: 0, maxzoom: maxZoom },
        { id: 'rivers', fields: { class: 'Number', kind: 'String' }, minzoom: riverMinZoom('major'), maxzoom: maxZoom },
        { id: 'coast', fields: {}, minzoom: 0, maxzoom: maxZoom },
        { id: 'admin0', fields: {}, minzoom: 0, maxzoom: maxZoom },
        { id: 'admin1', fields: {}, minzoom: 3, maxzoom: maxZoom },
        { id: 'places', fields: { name: 'String', name_zh: 'String', scalerank: 'Number', pop_max: 'Number' }, minzoom: 0, maxzoom: maxZoom },
        { id: 'ports', fields: { name: 'String', name_zh: 'String', scalerank: 'Number' }, minzoom: 0, maxzoom: maxZoom },
      ],
    },
  });
  mkdirSync(dirname(opts.outFile), { recursive: true });
  writeFileSync(opts.outFile, buffer);

  if (opts.workerOut !== null) {
    const workerOut = opts.workerOut ?? join(opts.root, 'public', 'maplibre-gl-worker.mjs');
    mkdirSync(dirname(workerOut), { recursive: true });
    copyFileSync(join(opts.root, 'node_modules', 'maplibre-gl', 'dist', 'maplibre-gl-worker.mjs'), workerOut);
    log(`copied maplibre-gl-worker.mjs -> ${workerOut}`);
  }

  const ms = performance.now() - t0;
  return { outFile: opts.outFile, bytes: buffer.length, ms, stats };
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const outFile = resolve(arg('--out') ?? join(root, 'public', 'basemap.pmtiles'));
  const maxZoom = arg('--maxzoom') ? Number(arg('--maxzoom')) : MAX_ZOOM;
  const res = buildBasemap({ root, outFile, maxZoom, log: (l) => console.log(l) });
  const s = res.stats;
  console.log(
    `wrote ${res.outFile}: ${(res.bytes / 1024 / 1024).toFixed(2)} MB (${res.bytes} bytes), ` +
      `${s.addressedTiles} tiles, ${s.tileEntries} entries, ${s.tileContents} unique, ` +
      `${s.leafDirectories} leaf dirs, in ${(res.ms / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main();
}
