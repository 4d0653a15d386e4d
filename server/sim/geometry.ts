// Polyline helpers in metres for the simulator. Lengths are measured once with turf (haversine);
// the per-tick work (pointAt) is a segment lookup and a linear interpolation, with a hint so that
// an asset moving forward finds its segment in O(1).
//
// Offsets use the local metres-per-degree of the WGS84 ellipsoid at the point's latitude, which
// is accurate to well under 0.1 % for offsets of a few kilometres at any Chinese latitude.
import { distance as turfDistance } from '@turf/distance';
import type { LonLat } from '../../lib/domain';

import { wgs84MPerDegLat, wgs84MPerDegLon } from '../../lib/units';

const DEG = Math.PI / 180;

/** Metres per degree of latitude at a latitude (WGS84). */
export const metresPerDegLat = wgs84MPerDegLat;

/** Metres per degree of longitude at a latitude (WGS84). */
export const metresPerDegLon = wgs84MPerDegLon;

/** Great-circle distance in metres (turf, haversine). */
export function distanceM(a: LonLat, b: LonLat): number {
  return turfDistance(a, b, { units: 'meters' });
}

/** Initial bearing a → b in degrees true [0, 360), from a local metric frame (fine for < ~100 km). */
export function bearingDeg(a: LonLat, b: LonLat): number {
  const mid = (a[1] + b[1]) / 2;
  const dx = (b[0] - a[0]) * metresPerDegLon(mid);
  const dy = (b[1] - a[1]) * metresPerDegLat(mid);
  return normDeg(Math.atan2(dx, dy) / DEG);
}

/** Normalises an angle to [0, 360). */
export function normDeg(d: number): number {
  let x = d % 360;
  if (x < 0) x += 360;
  return x >= 360 ? 0 : x;
}

/** Moves a point by (east, north) metres. */
export function offsetM(lon: number, lat: number, eastM: number, northM: number): LonLat {
  return [lon + eastM / metresPerDegLon(lat), lat + northM / metresPerDegLat(lat)];
}

/** The point `distM` metres from `p` along `bearing` (local flat approximation, good for tens of km). */
export function destination(p: LonLat, bearing: number, distM: number): LonLat {
  return offsetM(p[0], p[1], distM * Math.sin(bearing * DEG), distM * Math.cos(bearing * DEG));
}

/** A measured polyline. Do not mutate. */
export interface Path {
  readonly coords: readonly LonLat[];
  /** Cumulative length in metres at each vertex; cum[0] = 0. */
  readonly cum: Float64Array;
  readonly length: number;
  /** Bearing of each segment, degrees true. */
  readonly bearing: Float64Array;
  /** Unit normal to the right of travel at each vertex (mitred), east and north components. */
  readonly nx: Float64Array;
  readonly ny: Float64Array;
}

/** A sampled point on a path; reuse one object per asset to avoid allocation. */
export interface PathPoint {
  lon: number;
  lat: number;
  bearing: number;
  /** Segment index (use as the hint for the next call). */
  seg: number;
  /** Unit right-normal at the point (interpolated between vertex normals, so offsets are continuous). */
  nx: number;
  ny: number;
}

export const newPathPoint = (): PathPoint => ({ lon: 0, lat: 0, bearing: 0, seg: 0, nx: 1, ny: 0 });

/** Measures a polyline (consecutive duplicate points are dropped). */
export function makePath(input: readonly LonLat[]): Path {
  const coords: LonLat[] = [];
  for (const c of input) {
    const last = coords[coords.length - 1];
    if (!last || last[0] !== c[0] || last[1] !== c[1]) coords.push([c[0], c[1]]);
  }
  if (coords.length === 0) throw new Error('makePath: empty polyline');
  if (coords.length === 1) coords.push([coords[0]![0], coords[0]![1]]);
  const n = coords.length;
  const cum = new Float64Array(n);
  const bearing = new Float64Array(n - 1);
  const sx = new Float64Array(n - 1); // segment right-normals
  const sy = new Float64Array(n - 1);
  // Indices below are within the loop bounds: cum has n entries, the segment arrays n - 1.
  for (let i = 0; i < n - 1; i++) {
    const a = coords[i]!;
    const b = coords[i + 1]!;
    cum[i + 1] = cum[i]! + distanceM(a, b);
    const mid = (a[1] + b[1]) / 2;
    const dx = (b[0] - a[0]) * metresPerDegLon(mid);
    const dy = (b[1] - a[1]) * metresPerDegLat(mid);
    const len = Math.hypot(dx, dy);
    bearing[i] = len > 0 ? normDeg(Math.atan2(dx, dy) / DEG) : i > 0 ? bearing[i - 1]! : 0;
    sx[i] = len > 0 ? dy / len : i > 0 ? sx[i - 1]! : 1;
    sy[i] = len > 0 ? -dx / len : i > 0 ? sy[i - 1]! : 0;
  }
  const nx = new Float64Array(n);
  const ny = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i === 0 || i === n - 1) {
      const k = i === 0 ? 0 : n - 2;
      nx[i] = sx[k]!;
      ny[i] = sy[k]!;
      continue;
    }
    let x = sx[i - 1]! + sx[i]!;
    let y = sy[i - 1]! + sy[i]!;
    const len = Math.hypot(x, y);
    if (len < 1e-6) {
      x = sx[i - 1]!;
      y = sy[i - 1]!;
    } else {
      x /= len;
      y /= len;
    }
    nx[i] = x;
    ny[i] = y;
  }
  return { coords, cum, length: cum[n - 1]!, bearing, nx, ny };
}

const reversedCache = new WeakMap<Path, Path>();

/** The same polyline travelled the other way (cached). */
export function reversePath(p: Path): Path {
  let r = reversedCache.get(p);
  if (!r) {
    r = makePath([...p.coords].reverse());
    reversedCache.set(p, r);
    reversedCache.set(r, p);
  }
  return r;
}

/** Segment index holding distance s (clamped), starting from a hint. */
export function segmentAt(p: Path, s: number, hint = 0): number {
  // Every index read is in [0, last + 1]: a path has at least two vertices (makePath).
  const cum = p.cum;
  const last = cum.length - 2;
  const i = hint < 0 ? 0 : hint > last ? last : hint;
  if (s >= cum[i]! && (s < cum[i + 1]! || i === last)) return i;
  if (i < last && s >= cum[i + 1]! && (i + 1 === last || s < cum[i + 2]!)) return i + 1;
  // binary search
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cum[mid]! <= s) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The point at distance s along the path (clamped to [0, length]). Writes into `out`. */
export function pointAt(p: Path, s: number, out: PathPoint = newPathPoint(), hint = 0): PathPoint {
  if (s < 0) s = 0;
  else if (s > p.length) s = p.length;
  const i = segmentAt(p, s, hint); // a segment: vertices i and i + 1 exist
  const a = p.coords[i]!;
  const b = p.coords[i + 1]!;
  const c0 = p.cum[i]!;
  const segLen = p.cum[i + 1]! - c0;
  const f = segLen > 0 ? (s - c0) / segLen : 0;
  out.lon = a[0] + f * (b[0] - a[0]);
  out.lat = a[1] + f * (b[1] - a[1]);
  out.bearing = p.bearing[i]!;
  out.seg = i;
  const nx0 = p.nx[i]!;
  const ny0 = p.ny[i]!;
  let x = nx0 + f * (p.nx[i + 1]! - nx0);
  let y = ny0 + f * (p.ny[i + 1]! - ny0);
  const len = Math.hypot(x, y);
  if (len > 1e-9) {
    x /= len;
    y /= len;
  } else {
    x = nx0;
    y = ny0;
  }
  out.nx = x;
  out.ny = y;
  return out;
}

/** [lon, lat] at distance s, shifted `lateralM` metres to the right of travel (negative: left). */
export function pointAtOffset(p: Path, s: number, lateralM: number): LonLat {
  const q = pointAt(p, s);
  return offsetM(q.lon, q.lat, q.nx * lateralM, q.ny * lateralM);
}

/** Coordinates of the part of the path between distances s0 < s1 (end points interpolated). */
export function subCoords(p: Path, s0: number, s1: number): LonLat[] {
  s0 = Math.max(0, Math.min(p.length, s0));
  s1 = Math.max(s0, Math.min(p.length, s1));
  const a = pointAt(p, s0);
  const out: LonLat[] = [[a.lon, a.lat]];
  for (let i = 1; i < p.coords.length - 1; i++) {
    const c = p.cum[i]!;
    if (c > s0 && c < s1) out.push([p.coords[i]![0], p.coords[i]![1]]);
  }
  const b = pointAt(p, s1);
  out.push([b.lon, b.lat]);
  return out;
}

/** Distance in metres from a point to the path, and the distance along the path of the nearest point. */
export function nearestOnPath(p: Path, pt: LonLat): { distance: number; along: number } {
  const kx = metresPerDegLon(pt[1]);
  const ky = metresPerDegLat(pt[1]);
  let best = Infinity;
  let along = 0;
  for (let i = 0; i < p.coords.length - 1; i++) {
    const a = p.coords[i]!;
    const b = p.coords[i + 1]!;
    const ax = (a[0] - pt[0]) * kx;
    const ay = (a[1] - pt[1]) * ky;
    const bx = (b[0] - pt[0]) * kx;
    const by = (b[1] - pt[1]) * ky;
    const dx = bx - ax;
    const dy = by - ay;
    const l2 = dx * dx + dy * dy;
    let t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const d = Math.hypot(ax + t * dx, ay + t * dy);
    if (d < best) {
      best = d;
      along = p.cum[i]! + t * (p.cum[i + 1]! - p.cum[i]!);
    }
  }
  return { distance: best, along };
}

/** Even-odd point-in-polygon test for one ring. */
export function pointInRing(pt: LonLat, ring: readonly LonLat[]): boolean {
  const [x, y] = pt;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Mean of a ring's vertices (the closing vertex not counted twice). */
export function ringCentroid(ring: readonly LonLat[]): LonLat {
  const first = ring[0];
  const last = ring[ring.length - 1];
  const n = ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1] ? ring.length - 1 : ring.length;
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += ring[i]![0];
    y += ring[i]![1];
  }
  return [x / n, y / n];
}
