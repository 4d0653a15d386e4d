// The steady feed of the cluster test (cluster.spec.ts): one HTTP batch every TICK_MS, each holding
// one fix of the carrier of a movement and fixes of filler trucks, so the rules node has work
// all the time. The carrier's fixes are a second apart in their own time (ten seconds of it per
// second of the feed, starting two minutes back, so a ROUTE_DEVIATION's 60 s of fixes outside
// the corridor fit into a short test): it drives east along its route, drifts north out of the
// corridor, stays out long enough to raise the alert, and comes back in, which clears it.

export const TICK_MS = 100;
export const FILLERS = 90;
/** Fixes in each tick's batch: the carrier's and this many fillers'. */
export const FILLERS_PER_TICK = 9;

/** The route: a straight line east along 30.9° N, and its corridor's half-width. */
export const ROUTE = {
  from: [121.0, 30.9] as const,
  to: [121.6, 30.9] as const,
  corridorM: 300,
};

/** A square site of ±`half` degrees around a point, as a GeoJSON polygon. */
export function square(lon: number, lat: number, half = 0.002) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
      ],
    ],
  };
}

const DRIFT_DEG = 0.0001; // ≈11 m north or south per fix; with ≈10 m east, ≈53 km/h

/** Degrees north of the route at the carrier's k-th fix: out from 60, held from 100, back from 190, on the route again from 230. */
function offRoute(k: number): number {
  if (k < 60) return 0;
  if (k < 100) return (k - 59) * DRIFT_DEG;
  if (k < 190) return 40 * DRIFT_DEG;
  if (k < 230) return (229 - k) * DRIFT_DEG;
  return 0;
}

/** The carrier's k-th fix; `t0` is the time of fix 0 (feed start minus two minutes). */
export function carrierFix(key: string, t0: number, k: number) {
  return { assetKey: key, time: t0 + k * 1000, lon: 121.004 + k * 0.0001, lat: 30.9 + offRoute(k), speed: 50, course: 45 };
}

/** The filler trucks' fixes of tick k: each truck one a second, at the wall clock, near Shanghai. */
export function fillerFixes(keyOf: (i: number) => string, k: number, now: number) {
  return Array.from({ length: FILLERS_PER_TICK }, (_, j) => {
    const i = (k * FILLERS_PER_TICK + j) % FILLERS;
    const step = Math.floor((k * FILLERS_PER_TICK + j) / FILLERS);
    return { assetKey: keyOf(i), time: now, lon: 121.3 + (i % 10) * 0.01 + step * 0.0001, lat: 31.0 + Math.floor(i / 10) * 0.01, speed: 40, course: 90 };
  });
}
