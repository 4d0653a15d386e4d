// Units in one place: speeds (knots, km/h, m/s) and metres per degree. Inside the system speeds are
// km/h (PositionReport.speed), distances metres; knots live at the AIS edge and in the vessel UI.

/** One knot is one nautical mile (1,852 m) per hour. */
export const KMH_PER_KNOT = 1.852;
export const MS_PER_KNOT = 1852 / 3600;

export const knotsToKmh = (knots: number): number => knots * KMH_PER_KNOT;
export const kmhToKnots = (kmh: number): number => kmh / KMH_PER_KNOT;
export const msToKmh = (metresPerSecond: number): number => metresPerSecond * 3.6;
export const kmhToMs = (kmh: number): number => kmh / 3.6;
export const knotsToMs = (knots: number): number => knots * MS_PER_KNOT;
export const msToKnots = (metresPerSecond: number): number => metresPerSecond / MS_PER_KNOT;

const DEG = Math.PI / 180;

/** The mean Earth radius (IUGG), as turf uses: haversine distances and the geofence's local frames. */
export const EARTH_RADIUS_M = 6_371_008.8;
/** Metres per degree of latitude (and of longitude at the equator) on the mean sphere. */
export const M_PER_DEG = EARTH_RADIUS_M * DEG;
/** Metres per degree of longitude at a latitude (mean sphere). */
export const mPerDegLon = (lat: number): number => M_PER_DEG * Math.cos(lat * DEG);

// The WGS84 ellipsoid, where the simulator lays out offsets (well under 0.1 % off for a few km).
const WGS84_A = 6378137;
const WGS84_E2 = 0.00669437999014; // first eccentricity squared

/** Metres per degree of latitude at a latitude (WGS84). */
export function wgs84MPerDegLat(lat: number): number {
  const p = lat * DEG;
  return 111132.954 - 559.822 * Math.cos(2 * p) + 1.175 * Math.cos(4 * p);
}

/** Metres per degree of longitude at a latitude (WGS84). */
export function wgs84MPerDegLon(lat: number): number {
  const p = lat * DEG;
  const s = Math.sin(p);
  return (DEG * WGS84_A * Math.cos(p)) / Math.sqrt(1 - WGS84_E2 * s * s);
}

/**
 * Round figures for checks that need no precision (is a jump over 10 km?): metres per degree of
 * longitude at the equator and of latitude at low latitudes.
 */
export const ROUGH_M_PER_DEG_LON_AT_EQUATOR = 111_320;
export const ROUGH_M_PER_DEG_LAT = 110_540;
