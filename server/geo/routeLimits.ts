// The stated limits of an approved route, checked before any geometry work, so that a hostile or
// careless route gets a 400 with the reason instead of tying up PostGIS (which, embedded, runs in
// this process: a long ST_Buffer stalls every request).
//
// 1. At most MAX_ROUTE_VERTICES positions.
// 2. Corridor area, estimated as length × 2 × half-width, at most MAX_CORRIDOR_KM2.
// 3. The corridor may not fold over itself too much. The buffer's cost grows with the number of
//    segment pairs whose corridors overlap (GEOS nodes them all): a 2,000-vertex zigzag folded
//    inside a 2 km corridor took 24 s in the embedded PostGIS, a plain 5,000-vertex road 0.2 s.
//    We count those pairs on the path simplified to within CORRIDOR_SIMPLIFY of the half-width
//    (Douglas–Peucker; a densely sampled GPS trace collapses to its bends) and refuse above
//    MAX_CORRIDOR_OVERLAPS. Measured in the embedded PostGIS on a 2-core machine under heavy load
//    (load average 13): the worst shapes found within these limits (a 5,000-vertex zigzag with
//    ~10,000 overlapping pairs) buffer in 1.0–1.6 s; a 5,000-vertex road, spiral or random walk in
//    under 0.3 s. The corridor is then buffered from that simplified path, widened by
//    the tolerance, so it still contains every point within the half-width of the exact path.
//    (The geofence measures against the exact path; the polygon is for the map and for the
//    districts a route crosses.)
export const MAX_ROUTE_VERTICES = 5_000;
export const MAX_CORRIDOR_KM2 = 50_000;
export const MAX_CORRIDOR_OVERLAPS = 10_000;
export const CORRIDOR_SIMPLIFY = 1 / 20;

const EARTH_M = 6_371_008.8;
const M_PER_DEG_LAT = 110_540;
const M_PER_DEG_LON_EQUATOR = 111_320;
const RAD = Math.PI / 180;

type Position = readonly number[];

export interface RouteGeometryOk {
  ok: true;
  /** The path the corridor is buffered from ([lon, lat] pairs). */
  simplified: [number, number][];
  /** Metres the buffer adds: the half-width plus the simplification tolerance. */
  bufferM: number;
  lengthM: number;
  corridorKm2: number;
  overlaps: number;
}
export type RouteGeometryCheck = RouteGeometryOk | { ok: false; reason: string };

export function pathLengthM(coords: readonly Position[]): number {
  let sum = 0;
  for (let i = 1; i < coords.length; i++) {
    const [x0, y0] = coords[i - 1]!, [x1, y1] = coords[i]!;
    const dLat = (y1! - y0!) * RAD, dLon = (x1! - x0!) * RAD;
    const a = Math.sin(dLat / 2) ** 2 + Math.cos(y0! * RAD) * Math.cos(y1! * RAD) * Math.sin(dLon / 2) ** 2;
    sum += 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  return sum;
}

/**
 * Douglas–Peucker in degrees with a tolerance given in metres of latitude: a degree of longitude is
 * never longer than one of latitude, so nothing farther than `tolM` from the result is dropped.
 */
export function simplify(coords: readonly Position[], tolM: number): [number, number][] {
  const n = coords.length;
  const tol = tolM / M_PER_DEG_LON_EQUATOR;
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = coords[a]!, [bx, by] = coords[b]!;
    const dx = bx! - ax!, dy = by! - ay!, len2 = dx * dx + dy * dy;
    let worst = -1, at = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = coords[i]!;
      let t = len2 === 0 ? 0 : ((px! - ax!) * dx + (py! - ay!) * dy) / len2;
      t = Math.max(0, Math.min(1, t));
      const d = Math.hypot(px! - (ax! + t * dx), py! - (ay! + t * dy));
      if (d > worst) { worst = d; at = i; }
    }
    if (worst > tol) {
      keep[at] = 1;
      stack.push([a, at], [at, b]);
    }
  }
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push([coords[i]![0]!, coords[i]![1]!]);
  return out;
}

/** Pairs of non-adjacent segments whose boxes, grown by `reachM`, overlap (sweep over x). */
export function overlappingSegmentPairs(coords: readonly Position[], reachM: number, stopAt = Infinity): number {
  const m = coords.length - 1;
  const box = new Float64Array(m * 4);
  for (let i = 0; i < m; i++) {
    const [ax, ay] = coords[i]!, [bx, by] = coords[i + 1]!;
    const far = Math.min(89.9, Math.max(Math.abs(ay!), Math.abs(by!)) + reachM / M_PER_DEG_LAT);
    const ex = reachM / (M_PER_DEG_LON_EQUATOR * Math.cos(far * RAD)), ey = reachM / M_PER_DEG_LAT;
    box[i * 4] = Math.min(ax!, bx!) - ex;
    box[i * 4 + 1] = Math.min(ay!, by!) - ey;
    box[i * 4 + 2] = Math.max(ax!, bx!) + ex;
    box[i * 4 + 3] = Math.max(ay!, by!) + ey;
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((p, q) => box[p * 4]! - box[q * 4]!);
  let pairs = 0;
  for (let s = 0; s < m; s++) {
    const i = order[s]!;
    const maxX = box[i * 4 + 2]!, minY = box[i * 4 + 1]!, maxY = box[i * 4 + 3]!;
    for (let t = s + 1; t < m; t++) {
      const j = order[t]!;
      if (box[j * 4]! > maxX) break;
      if (Math.abs(i - j) === 1) continue;
      if (box[j * 4 + 1]! <= maxY && box[j * 4 + 3]! >= minY && ++pairs > stopAt) return pairs;
    }
  }
  return pairs;
}

export function checkRouteGeometry(coords: readonly Position[], corridorM: number): RouteGeometryCheck {
  if (coords.length > MAX_ROUTE_VERTICES) {
    return { ok: false, reason: `path: at most ${MAX_ROUTE_VERTICES} positions (got ${coords.length}); simplify the line first` };
  }
  const lengthM = pathLengthM(coords);
  const corridorKm2 = (lengthM * 2 * corridorM + Math.PI * corridorM ** 2) / 1e6;
  if (corridorKm2 > MAX_CORRIDOR_KM2) {
    return { ok: false, reason: `corridor: at most ${MAX_CORRIDOR_KM2} km² (length ${Math.round(lengthM / 1000)} km × 2 × ${corridorM} m ≈ ${Math.round(corridorKm2)} km²)` };
  }
  const tolM = corridorM * CORRIDOR_SIMPLIFY;
  const simplified = simplify(coords, tolM);
  const bufferM = corridorM + tolM;
  const overlaps = overlappingSegmentPairs(simplified, bufferM, MAX_CORRIDOR_OVERLAPS);
  if (overlaps > MAX_CORRIDOR_OVERLAPS) {
    return { ok: false, reason: `path: the corridor folds over itself too often (more than ${MAX_CORRIDOR_OVERLAPS} overlapping segment pairs at ${corridorM} m); narrow the corridor or simplify the line` };
  }
  return { ok: true, simplified, bufferM, lengthM, corridorKm2, overlaps };
}
