// The geofence engine: approved routes (a polyline and a corridor half-width), supervised sites and
// restricted zones (polygons), held in memory apart from storage and transport (as Tile38 keeps its
// fences apart from its clients), with spatial indexes so that a fix is tested only against the
// fences near it, and exact tests in metres (geo.ts). Everything can be added, changed and removed
// while fixes are being checked; a change is visible to the next query.
//
// Used per fix by the rules engine (server/rules/): distance to the carrier's own route,
// the sites and zones the fix is in, and sites near a vessel.
import { ZONE_KINDS, type LonLat, type ZoneKind } from '../../lib/domain';
import { boxLowerBoundM, fastDistM, frameAt, haversineM, inRingFlat, M_PER_DEG, mPerDegLon, refinedSegDist, segDist2, type Frame } from './geo';
import { GridIndex } from './grid';

export { EARTH_RADIUS_M, fastDistM, haversineM } from './geo';

export type LineStringInput = readonly LonLat[] | { type: 'LineString'; coordinates: readonly LonLat[] };
/** One ring (closed or not), Polygon coordinates, or a GeoJSON Polygon / MultiPolygon geometry. */
export type PolygonInput =
  | readonly LonLat[]
  | readonly (readonly LonLat[])[]
  | { type: 'Polygon'; coordinates: readonly (readonly LonLat[])[] }
  | { type: 'MultiPolygon'; coordinates: readonly (readonly (readonly LonLat[])[])[] };

export interface RouteInput {
  id: number;
  code?: string;
  path: LineStringInput;
  /** Corridor half-width in metres. */
  corridorM: number;
}
export interface SiteInput {
  id: number;
  code: string;
  kind: string;
  district?: string | null;
  area: PolygonInput;
}
/**
 * `restricted`: entering raises ZONE_ENTRY. `anchorage`: a waiting area where vessels lie close (no
 * RENDEZVOUS). `bonded`: a Golden Customs II bonded zone (保税区): a vehicle crossing its boundary
 * needs a 核放单 passport (the rules report the crossing; server/links/zone/unauthorised.ts checks it).
 */
export { ZONE_KINDS, type ZoneKind };
export interface ZoneInput {
  id: number;
  code?: string;
  name?: string;
  kind?: ZoneKind;
  area: PolygonInput;
}

export type BBox = readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface Route {
  readonly id: number;
  readonly code: string;
  readonly corridorM: number;
  readonly lengthM: number;
  readonly bbox: BBox;
}
export interface Site {
  readonly id: number;
  readonly code: string;
  readonly kind: string;
  readonly district: string | null;
  readonly bbox: BBox;
}
export interface Zone {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly kind: ZoneKind;
  readonly bbox: BBox;
}

export interface RouteDistance {
  /** Distance from the fix to the route's polyline, metres. */
  metres: number;
  /** Distance along the route of the nearest point, metres from its start. */
  alongM: number;
  /** Index of the nearest segment. */
  segment: number;
  lengthM: number;
}

const SEG_SPAN = 2 ** 21; // grid entries for route segments: slot * SEG_SPAN + segment
const CHUNK = 16; // segments per chunk box (branch and bound for a route's own distance)
const EMPTY: readonly never[] = Object.freeze([]);

// Scratch for the hot paths (single-threaded; nothing here calls out while they are in use).
const F: Frame = frameAt(0, 0);
const T = new Float64Array(1);

class Area {
  /** All rings' points, flat [lon, lat, …], each ring closed. */
  readonly xy: Float64Array;
  /** Per polygon: [outerStart, outerN, holeStart, holeN, …] (start in numbers, n in points). */
  readonly polys: number[][];
  readonly bbox: [number, number, number, number];

  constructor(input: PolygonInput) {
    const polygons = toPolygons(input);
    const all: number[] = [];
    this.polys = [];
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (const rings of polygons) {
      const desc: number[] = [];
      for (const ring of rings) {
        const pts = ring.map((p) => checkLonLat(p));
        if (pts.length && (pts[0]![0] !== pts[pts.length - 1]![0] || pts[0]![1] !== pts[pts.length - 1]![1])) pts.push(pts[0]!);
        if (pts.length < 4) throw new Error('geofence: a polygon ring needs at least 3 distinct points');
        desc.push(all.length, pts.length);
        for (const [x, y] of pts) {
          all.push(x, y);
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
      this.polys.push(desc);
    }
    this.xy = Float64Array.from(all);
    this.bbox = [minX, minY, maxX, maxY];
  }

  contains(lon: number, lat: number): boolean {
    const b = this.bbox;
    if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) return false;
    for (const d of this.polys) {
      if (!inRingFlat(lon, lat, this.xy, d[0]!, d[1]!)) continue;
      let inHole = false;
      for (let k = 2; k < d.length && !inHole; k += 2) inHole = inRingFlat(lon, lat, this.xy, d[k]!, d[k + 1]!);
      if (!inHole) return true;
    }
    return false;
  }

  /** Metres from the point to the area: 0 inside, else to the nearest edge. */
  distance(lon: number, lat: number): number {
    if (this.contains(lon, lat)) return 0;
    return this.edgeDistance(lon, lat);
  }

  /** Metres from the point to the nearest edge of the area, whether the point is inside or outside. */
  edgeDistance(lon: number, lat: number): number {
    const f = frameAt(lon, lat, F);
    let best = Infinity,
      bo = -1,
      bt = 0;
    for (const d of this.polys) {
      for (let k = 0; k < d.length; k += 2) {
        const start = d[k]!,
          n = d[k + 1]!;
        for (let e = 0; e < n - 1; e++) {
          const d2 = segDist2(f, this.xy, start + 2 * e, T);
          if (d2 < best) {
            best = d2;
            bo = start + 2 * e;
            bt = T[0]!;
          }
        }
      }
    }
    return bo < 0 ? Infinity : refinedSegDist(f, this.xy, bo, bt);
  }
}

class RouteRec implements Route {
  readonly id: number;
  readonly code: string;
  readonly corridorM: number;
  readonly lengthM: number;
  readonly bbox: [number, number, number, number];
  readonly xy: Float64Array;
  readonly cum: Float64Array;
  readonly nSeg: number;
  /** Per chunk of CHUNK segments: minX, minY, maxX, maxY. */
  readonly chunks: Float64Array;
  stamp = 0;

  constructor(
    r: RouteInput,
    readonly slot: number,
  ) {
    if (!Number.isFinite(r.corridorM) || r.corridorM <= 0) throw new Error(`geofence: route ${r.id} needs a positive corridor width`);
    const coords = Array.isArray(r.path) ? (r.path as readonly LonLat[]) : (r.path as { coordinates: readonly LonLat[] }).coordinates;
    const pts: LonLat[] = [];
    for (const p of coords) {
      const q = checkLonLat(p);
      const last = pts[pts.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) pts.push(q);
    }
    if (pts.length < 2) throw new Error(`geofence: route ${r.id} needs at least 2 distinct points`);
    this.id = r.id;
    this.code = r.code ?? String(r.id);
    this.corridorM = r.corridorM;
    const n = pts.length;
    this.nSeg = n - 1;
    this.xy = new Float64Array(2 * n);
    this.cum = new Float64Array(n);
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    pts.forEach(([x, y], i) => {
      this.xy[2 * i] = x;
      this.xy[2 * i + 1] = y;
      if (i > 0) this.cum[i] = this.cum[i - 1]! + haversineM(pts[i - 1]![0], pts[i - 1]![1], x, y);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    });
    this.lengthM = this.cum[n - 1]!;
    this.bbox = [minX, minY, maxX, maxY];
    const nChunks = Math.ceil(this.nSeg / CHUNK);
    this.chunks = new Float64Array(4 * nChunks);
    for (let c = 0; c < nChunks; c++) {
      let x0 = Infinity,
        y0 = Infinity,
        x1 = -Infinity,
        y1 = -Infinity;
      const last = Math.min(n - 1, (c + 1) * CHUNK);
      for (let i = c * CHUNK; i <= last; i++) {
        const x = this.xy[2 * i]!,
          y = this.xy[2 * i + 1]!;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
      this.chunks.set([x0, y0, x1, y1], 4 * c);
    }
  }

  /** Segment i's box grown by the corridor width (for the corridor grid). */
  segBox(i: number, out: number[]): number[] {
    const ax = this.xy[2 * i]!,
      ay = this.xy[2 * i + 1]!,
      bx = this.xy[2 * i + 2]!,
      by = this.xy[2 * i + 3]!;
    const farLat = Math.min(89, Math.max(Math.abs(ay), Math.abs(by)) + this.corridorM / M_PER_DEG);
    const ex = this.corridorM / mPerDegLon(farLat);
    const ey = this.corridorM / M_PER_DEG;
    out[0] = Math.min(ax, bx) - ex;
    out[1] = Math.min(ay, by) - ey;
    out[2] = Math.max(ax, bx) + ex;
    out[3] = Math.max(ay, by) + ey;
    return out;
  }
}

class SiteRec implements Site {
  readonly bbox: [number, number, number, number];
  constructor(
    readonly id: number,
    readonly code: string,
    readonly kind: string,
    readonly district: string | null,
    readonly area: Area,
  ) {
    this.bbox = area.bbox;
  }
}

class ZoneRec implements Zone {
  readonly bbox: [number, number, number, number];
  constructor(
    readonly id: number,
    readonly code: string,
    readonly name: string,
    readonly kind: ZoneKind,
    readonly area: Area,
  ) {
    this.bbox = area.bbox;
  }
}

export interface GeofenceOptions {
  /** Grid cell size in degrees for route corridors (default 0.01°, ~1 km). */
  corridorCellDeg?: number;
  /** Grid cell size in degrees for sites and zones (default 0.01°). */
  areaCellDeg?: number;
}

export class GeofenceIndex {
  private routes = new Map<number, RouteRec>();
  private slots: (RouteRec | undefined)[] = [];
  private freeSlots: number[] = [];
  private sites = new Map<number, SiteRec>();
  private zones = new Map<number, ZoneRec>();
  private corridorGrid: GridIndex;
  private siteGrid: GridIndex;
  private zoneGrid: GridIndex;
  private stamp = 0;
  private box: number[] = [0, 0, 0, 0];
  /** Bumped on every change, so that a cache can tell it is stale. */
  version = 0;

  constructor(opts: GeofenceOptions = {}) {
    this.corridorGrid = new GridIndex(opts.corridorCellDeg ?? 0.01);
    this.siteGrid = new GridIndex(opts.areaCellDeg ?? 0.01);
    this.zoneGrid = new GridIndex(opts.areaCellDeg ?? 0.01);
  }

  // --- routes ---

  upsertRoute(r: RouteInput): Route {
    const old = this.routes.get(r.id);
    const slot = old ? old.slot : (this.freeSlots.pop() ?? this.slots.length);
    const rec = new RouteRec(r, slot); // throws on bad input before anything changes
    if (old) this.unindexRoute(old);
    this.routes.set(r.id, rec);
    this.slots[slot] = rec;
    for (let i = 0; i < rec.nSeg; i++) {
      const b = rec.segBox(i, this.box);
      this.corridorGrid.insert(slot * SEG_SPAN + i, b[0]!, b[1]!, b[2]!, b[3]!);
    }
    this.version++;
    return rec;
  }

  removeRoute(id: number): boolean {
    const rec = this.routes.get(id);
    if (!rec) return false;
    this.unindexRoute(rec);
    this.routes.delete(id);
    this.slots[rec.slot] = undefined;
    this.freeSlots.push(rec.slot);
    this.version++;
    return true;
  }

  private unindexRoute(rec: RouteRec): void {
    for (let i = 0; i < rec.nSeg; i++) {
      const b = rec.segBox(i, this.box);
      this.corridorGrid.remove(rec.slot * SEG_SPAN + i, b[0]!, b[1]!, b[2]!, b[3]!);
    }
  }

  route(id: number): Route | undefined {
    return this.routes.get(id);
  }

  /**
   * Distance from a point to a route's polyline, in metres, and where along the route the nearest point
   * lies. Branch and bound over boxes of 16 segments: exact, and a few dozen segment tests for a
   * 200 km route. Undefined for an unknown route.
   */
  distanceToRoute(routeId: number, lon: number, lat: number): RouteDistance | undefined {
    const r = this.routes.get(routeId);
    if (!r) return undefined;
    const f = frameAt(lon, lat, F);
    const ch = r.chunks;
    const nChunks = ch.length / 4;
    // Start with the chunk whose box is nearest, then only chunks that could hold something nearer.
    let first = 0,
      firstLb = Infinity;
    for (let c = 0; c < nChunks; c++) {
      const lb = boxLowerBoundM(f, ch[4 * c]!, ch[4 * c + 1]!, ch[4 * c + 2]!, ch[4 * c + 3]!);
      if (lb < firstLb) {
        firstLb = lb;
        first = c;
        if (lb === 0) break;
      }
    }
    this.best2 = Infinity;
    this.bestSeg = 0;
    this.bestT = 0;
    this.scanChunk(r, f, first);
    for (let c = 0; c < nChunks; c++) {
      if (c === first) continue;
      const lb = boxLowerBoundM(f, ch[4 * c]!, ch[4 * c + 1]!, ch[4 * c + 2]!, ch[4 * c + 3]!);
      if (lb * lb < this.best2 * 1.0001) this.scanChunk(r, f, c);
    }
    const bestSeg = this.bestSeg,
      bestT = this.bestT;
    const segLen = r.cum[bestSeg + 1]! - r.cum[bestSeg]!;
    return {
      metres: refinedSegDist(f, r.xy, 2 * bestSeg, bestT),
      alongM: r.cum[bestSeg]! + bestT * segLen,
      segment: bestSeg,
      lengthM: r.lengthM,
    };
  }

  private best2 = Infinity;
  private bestSeg = 0;
  private bestT = 0;

  private scanChunk(r: RouteRec, f: Frame, c: number): void {
    const end = Math.min(r.nSeg, (c + 1) * CHUNK);
    for (let i = c * CHUNK; i < end; i++) {
      const d2 = segDist2(f, r.xy, 2 * i, T);
      if (d2 < this.best2) {
        this.best2 = d2;
        this.bestSeg = i;
        this.bestT = T[0]!;
      }
    }
  }

  /** Ids of every route whose corridor (polyline ± half-width) holds the point. */
  corridorsAt(lon: number, lat: number): number[] {
    const list = this.corridorGrid.cell(lon, lat);
    if (!list) return [];
    const out: number[] = [];
    const f = frameAt(lon, lat, F);
    const stamp = ++this.stamp;
    for (let k = 0; k < list.length; k++) {
      const e = list[k]!;
      const slot = Math.floor(e / SEG_SPAN);
      const r = this.slots[slot]!;
      if (r.stamp === stamp) continue;
      const seg = e - slot * SEG_SPAN;
      const d2 = segDist2(f, r.xy, 2 * seg, T);
      const c = r.corridorM;
      if (d2 <= c * c * 0.98) {
        r.stamp = stamp;
        out.push(r.id);
      } else if (d2 <= c * c * 1.02 && refinedSegDist(f, r.xy, 2 * seg, T[0]!) <= c) {
        r.stamp = stamp;
        out.push(r.id);
      }
    }
    return out;
  }

  // --- sites ---

  upsertSite(s: SiteInput): Site {
    const rec = new SiteRec(s.id, s.code, s.kind, s.district ?? null, new Area(s.area));
    const old = this.sites.get(s.id);
    if (old) this.siteGrid.remove(old.id, ...old.bbox);
    this.sites.set(s.id, rec);
    this.siteGrid.insert(rec.id, ...rec.bbox);
    this.version++;
    return rec;
  }

  removeSite(id: number): boolean {
    const old = this.sites.get(id);
    if (!old) return false;
    this.siteGrid.remove(old.id, ...old.bbox);
    this.sites.delete(id);
    this.version++;
    return true;
  }

  site(id: number): Site | undefined {
    return this.sites.get(id);
  }

  siteByCode(code: string): Site | undefined {
    for (const s of this.sites.values()) if (s.code === code) return s;
    return undefined;
  }

  /** Sites whose polygon holds the point (usually none or one). */
  sitesAt(lon: number, lat: number): readonly Site[] {
    const list = this.siteGrid.cell(lon, lat);
    let out: Site[] | undefined;
    if (list) {
      for (let k = 0; k < list.length; k++) {
        const s = this.sites.get(list[k]!)!;
        if (s.area.contains(lon, lat)) (out ??= []).push(s);
      }
    }
    for (const id of this.siteGrid.large) {
      const s = this.sites.get(id)!;
      if (s.area.contains(lon, lat)) (out ??= []).push(s);
    }
    return out ?? EMPTY;
  }

  /** Whether a site's polygon holds the point (false for an unknown site). */
  inSite(siteId: number, lon: number, lat: number): boolean {
    return this.sites.get(siteId)?.area.contains(lon, lat) ?? false;
  }

  /** Metres from the point to a site (0 inside); undefined for an unknown site. */
  distanceToSite(siteId: number, lon: number, lat: number): number | undefined {
    return this.sites.get(siteId)?.area.distance(lon, lat);
  }

  /** Sites within `radiusM` metres of the point (inside counts as 0 m). */
  sitesWithin(lon: number, lat: number, radiusM: number): Site[] {
    return this.areasWithin(this.siteGrid, this.sites, lon, lat, radiusM);
  }

  // --- zones ---

  upsertZone(z: ZoneInput): Zone {
    const rec = new ZoneRec(z.id, z.code ?? String(z.id), z.name ?? z.code ?? String(z.id), z.kind ?? 'restricted', new Area(z.area));
    const old = this.zones.get(z.id);
    if (old) this.zoneGrid.remove(old.id, ...old.bbox);
    this.zones.set(z.id, rec);
    this.zoneGrid.insert(rec.id, ...rec.bbox);
    this.version++;
    return rec;
  }

  removeZone(id: number): boolean {
    const old = this.zones.get(id);
    if (!old) return false;
    this.zoneGrid.remove(old.id, ...old.bbox);
    this.zones.delete(id);
    this.version++;
    return true;
  }

  zone(id: number): Zone | undefined {
    return this.zones.get(id);
  }

  /** Metres from the point to a zone (0 inside); undefined for an unknown zone. */
  distanceToZone(zoneId: number, lon: number, lat: number): number | undefined {
    return this.zones.get(zoneId)?.area.distance(lon, lat);
  }

  /** Metres from the point to the zone's boundary (inside or outside); undefined for an unknown zone. */
  zoneEdgeDistance(id: number, lon: number, lat: number): number | undefined {
    return this.zones.get(id)?.area.edgeDistance(lon, lat);
  }

  /** Zones whose polygon holds the point. */
  zonesAt(lon: number, lat: number): readonly Zone[] {
    let out: Zone[] | undefined;
    const list = this.zoneGrid.cell(lon, lat);
    if (list) {
      for (let k = 0; k < list.length; k++) {
        const z = this.zones.get(list[k]!)!;
        if (z.area.contains(lon, lat)) (out ??= []).push(z);
      }
    }
    for (const id of this.zoneGrid.large) {
      const z = this.zones.get(id)!;
      if (z.area.contains(lon, lat)) (out ??= []).push(z);
    }
    return out ?? EMPTY;
  }

  // --- bulk ---

  allRoutes(): IterableIterator<Route> {
    return this.routes.values();
  }
  allSites(): IterableIterator<Site> {
    return this.sites.values();
  }
  allZones(): IterableIterator<Zone> {
    return this.zones.values();
  }

  stats(): { routes: number; sites: number; zones: number; segments: number; corridorCells: number } {
    let segments = 0;
    for (const r of this.routes.values()) segments += r.nSeg;
    return { routes: this.routes.size, sites: this.sites.size, zones: this.zones.size, segments, corridorCells: this.corridorGrid.cellCount };
  }

  private areasWithin<T extends { id: number; area: Area; bbox: readonly number[] }>(grid: GridIndex, map: Map<number, T>, lon: number, lat: number, radiusM: number): T[] {
    const ey = radiusM / M_PER_DEG;
    const ex = radiusM / mPerDegLon(Math.min(89, Math.abs(lat) + ey));
    const seen = new Set<number>();
    const out: T[] = [];
    grid.forBox(lon - ex, lat - ey, lon + ex, lat + ey, (id) => {
      if (seen.has(id)) return;
      seen.add(id);
      const a = map.get(id)!;
      const b = a.bbox;
      if (lon < b[0]! - ex || lon > b[2]! + ex || lat < b[1]! - ey || lat > b[3]! + ey) return;
      if (a.area.distance(lon, lat) <= radiusM) out.push(a);
    });
    return out;
  }
}

function checkLonLat(p: unknown): LonLat {
  if (!Array.isArray(p) || p.length < 2) throw new Error('geofence: a position must be [lon, lat]');
  const [x, y] = p as number[];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y) || x < -180 || x > 180 || y < -90 || y > 90) {
    throw new Error(`geofence: bad position [${String(x)}, ${String(y)}]`);
  }
  return [x, y];
}

/** Normalises any accepted polygon input to MultiPolygon coordinates. */
function toPolygons(input: PolygonInput): (readonly (readonly LonLat[])[])[] {
  if (Array.isArray(input)) {
    if (input.length === 0) throw new Error('geofence: empty polygon');
    // One ring ([lon, lat][]) or Polygon coordinates ([lon, lat][][]).
    return typeof (input[0] as unknown[])[0] === 'number' ? [[input as readonly LonLat[]]] : [input as readonly (readonly LonLat[])[]];
  }
  const g = input as { type: string; coordinates: unknown };
  if (g.type === 'Polygon') return [g.coordinates as readonly (readonly LonLat[])[]];
  if (g.type === 'MultiPolygon') return g.coordinates as (readonly (readonly LonLat[])[])[];
  throw new Error(`geofence: expected a Polygon or MultiPolygon, not ${String(g.type)}`);
}

/** Metres between two points (short distances; see geo.ts). */
export const distanceM = (a: LonLat, b: LonLat): number => fastDistM(a[0], a[1], b[0], b[1]);
