// Small helpers that turn hand-picked coordinates into seed geometry (local equirectangular metres;
// good to a few metres over the few-km extents used here).
import type { LonLat } from '../../../lib/domain';
import { ROUGH_M_PER_DEG_LON_AT_EQUATOR } from '../../../lib/units';

const M_PER_DEG_LAT = 110_574;
const mPerDegLon = (lat: number) => ROUGH_M_PER_DEG_LON_AT_EQUATOR * Math.cos((lat * Math.PI) / 180);

export const round5 = (p: LonLat): LonLat => [Math.round(p[0] * 1e5) / 1e5, Math.round(p[1] * 1e5) / 1e5];

/** Moves `p` by (east, north) metres. */
export function offset(p: LonLat, eastM: number, northM: number): LonLat {
  return [p[0] + eastM / mPerDegLon(p[1]), p[1] + northM / M_PER_DEG_LAT];
}

/** Approximate ground distance in metres (equirectangular; fine below ~50 km). */
export function distM(a: LonLat, b: LonLat): number {
  const lat = (a[1] + b[1]) / 2;
  const dx = (b[0] - a[0]) * mPerDegLon(lat);
  const dy = (b[1] - a[1]) * M_PER_DEG_LAT;
  return Math.hypot(dx, dy);
}

function closeCcw(ring: LonLat[]): LonLat[] {
  const r = ring.map(round5);
  // shoelace in degrees is enough to tell the orientation
  let s = 0;
  for (let i = 0; i < r.length; i++) {
    const [x1, y1] = r[i]!;
    const [x2, y2] = r[(i + 1) % r.length]!;
    s += x1 * y2 - x2 * y1;
  }
  if (s < 0) r.reverse();
  r.push(r[0]!); // rings are built from four corners or more
  return r;
}

/**
 * A rectangle of `lengthM` × `widthM` centred on `c`, its length along `bearingDeg` (0 = north, 90 = east).
 * Returns a closed counter-clockwise ring.
 */
export function rect(c: LonLat, lengthM: number, widthM: number, bearingDeg = 0): LonLat[] {
  const b = (bearingDeg * Math.PI) / 180;
  const ux = Math.sin(b);
  const uy = Math.cos(b); // along
  const vx = uy;
  const vy = -ux; // across (to the right)
  const hl = lengthM / 2;
  const hw = widthM / 2;
  return closeCcw([
    offset(c, -hl * ux - hw * vx, -hl * uy - hw * vy),
    offset(c, hl * ux - hw * vx, hl * uy - hw * vy),
    offset(c, hl * ux + hw * vx, hl * uy + hw * vy),
    offset(c, -hl * ux + hw * vx, -hl * uy + hw * vy),
  ]);
}

/**
 * A quay strip behind a waterfront: `shore` is a polyline along the coast, walked with the land on its
 * left (the way coastline rings run); the strip starts `setbackM` inland of it and is `depthM` deep.
 * Each vertex is offset along the bisector of its neighbouring edges' left normals.
 */
export function quay(shore: LonLat[], setbackM: number, depthM: number): LonLat[] {
  if (shore.length < 2) throw new Error('quay: the shore needs two points or more');
  const lat0 = shore[0]![1];
  const kx = mPerDegLon(lat0);
  const xy = shore.map(([lon, lat]): [number, number] => [lon * kx, lat * M_PER_DEG_LAT]);
  const normals: [number, number][] = [];
  for (let i = 0; i < xy.length; i++) {
    const a = xy[Math.max(0, i - 1)]!;
    const b = xy[Math.min(xy.length - 1, i + 1)]!;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    normals.push([-dy / len, dx / len]); // left normal
  }
  const at = ([x, y]: [number, number], [nx, ny]: [number, number], d: number): LonLat => [(x + nx * d) / kx, (y + ny * d) / M_PER_DEG_LAT];
  const front = xy.map((p, i) => at(p, normals[i]!, setbackM));
  const back = xy.map((p, i) => at(p, normals[i]!, setbackM + depthM)).reverse();
  return closeCcw([...front, ...back]);
}

/** Inserts vertices so that no segment is longer than `maxM` metres. */
export function densify(path: LonLat[], maxM: number): LonLat[] {
  if (path.length === 0) return [];
  const out: LonLat[] = [round5(path[0]!)];
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]!;
    const b = path[i]!;
    const n = Math.ceil(distM(a, b) / maxM);
    for (let k = 1; k <= n; k++) out.push(round5([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]));
  }
  // drop exact repeats (hand-joined road pieces share their ends)
  return out.filter((p, i) => i === 0 || p[0] !== out[i - 1]![0] || p[1] !== out[i - 1]![1]);
}
