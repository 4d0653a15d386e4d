// Exact geometric tests in metres, fast enough to run for every fix.
//
// Distances use a local equirectangular frame centred on the fix: x = Δlon·R·cos(lat₀),
// y = Δlat·R (R = 6 371 008.8 m, the mean Earth radius turf uses, so results agree with
// turf.pointToLineDistance to centimetres over corridor-sized distances). The nearest point's
// east offset is then rescaled to the mean latitude of the fix and that point, which removes the
// frame's first-order error, so a distance of a few kilometres at 20–50°N is good to millimetres.
// Segments are straight in lon/lat (as PostGIS geometry and turf's planar tests take them); a
// great-circle segment of length L differs by at most L²·tan(lat)/(8R): 0.05 m for 2 km at 31°N.
//
// Point-in-polygon is the even-odd ray test in lon/lat (what turf.booleanPointInPolygon does),
// holes included, after a bounding-box check.

import { EARTH_RADIUS_M, M_PER_DEG, mPerDegLon } from '../../lib/units';

export { EARTH_RADIUS_M, M_PER_DEG, mPerDegLon };
const DEG = Math.PI / 180;

/** Great-circle distance in metres (haversine on the mean sphere, as turf.distance). */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLon = (lon2 - lon1) * DEG;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** Short-distance metres between two points (equirectangular at the mean latitude; < 1 mm error under 10 km). */
export function fastDistM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dx = (lon2 - lon1) * mPerDegLon((lat1 + lat2) / 2);
  const dy = (lat2 - lat1) * M_PER_DEG;
  return Math.sqrt(dx * dx + dy * dy);
}

/** A local metric frame at a fix; reuse one object to avoid allocation in hot loops. */
export interface Frame {
  lon: number;
  lat: number;
  kx: number; // metres per degree of longitude at lat
  ky: number; // metres per degree of latitude
  /** tan(lat) / (2R): the mean-latitude correction factor for east offsets. */
  corr: number;
}

export function frameAt(lon: number, lat: number, out: Frame = { lon: 0, lat: 0, kx: 0, ky: 0, corr: 0 }): Frame {
  out.lon = lon;
  out.lat = lat;
  out.kx = mPerDegLon(lat);
  out.ky = M_PER_DEG;
  out.corr = Math.tan(lat * DEG) / (2 * EARTH_RADIUS_M);
  return out;
}

/**
 * Squared frame distance (m²) from the frame's origin to the segment starting at offset `o` of a flat
 * [lon, lat, lon, lat, …] array (segment i of a polyline: o = 2i), and the segment parameter in `tOut[0]`.
 */
export function segDist2(f: Frame, xy: Float64Array, o: number, tOut: Float64Array): number {
  // The caller passes the offset of a segment: xy[o … o + 3] exist.
  const ax = (xy[o]! - f.lon) * f.kx;
  const ay = (xy[o + 1]! - f.lat) * f.ky;
  const dx = (xy[o + 2]! - f.lon) * f.kx - ax;
  const dy = (xy[o + 3]! - f.lat) * f.ky - ay;
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const px = ax + t * dx;
  const py = ay + t * dy;
  tOut[0] = t;
  return px * px + py * py;
}

/** Refined distance (m) from the frame origin to the point at parameter t on the segment at offset o. */
export function refinedSegDist(f: Frame, xy: Float64Array, o: number, t: number): number {
  const [x0, y0, x1, y1] = [xy[o]!, xy[o + 1]!, xy[o + 2]!, xy[o + 3]!]; // a segment's offset, as in segDist2
  const lon = x0 + t * (x1 - x0);
  const lat = y0 + t * (y1 - y0);
  const py = (lat - f.lat) * f.ky;
  const px = (lon - f.lon) * f.kx * (1 - f.corr * py);
  return Math.sqrt(px * px + py * py);
}

/**
 * Lower bound (m) of the distance from the frame origin to anything inside a lon/lat box.
 * Uses the smaller metres-per-degree of longitude over the box and the fix, so it never overestimates.
 */
export function boxLowerBoundM(f: Frame, minX: number, minY: number, maxX: number, maxY: number): number {
  const ex = f.lon < minX ? minX - f.lon : f.lon > maxX ? f.lon - maxX : 0;
  const ey = f.lat < minY ? minY - f.lat : f.lat > maxY ? f.lat - maxY : 0;
  if (ex === 0 && ey === 0) return 0;
  const farLat = Math.max(Math.abs(f.lat), Math.abs(minY), Math.abs(maxY));
  const kx = mPerDegLon(Math.min(89.9, farLat)) * 0.999;
  const dx = ex * kx;
  const dy = ey * f.ky;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Even-odd test of one closed ring stored flat as [lon, lat, …] from `start` (in numbers) for `n` points. */
export function inRingFlat(lon: number, lat: number, xy: Float64Array, start: number, n: number): boolean {
  let inside = false;
  // The caller's ring: n points from `start`, all in xy.
  let jx = xy[start + 2 * (n - 1)]!;
  let jy = xy[start + 2 * (n - 1) + 1]!;
  for (let k = 0; k < n; k++) {
    const ix = xy[start + 2 * k]!;
    const iy = xy[start + 2 * k + 1]!;
    if (iy > lat !== jy > lat && lon < ((jx - ix) * (lat - iy)) / (jy - iy) + ix) inside = !inside;
    jx = ix;
    jy = iy;
  }
  return inside;
}
