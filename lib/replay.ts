// Pure helpers for the console's track and replay: where a carrier was at a moment, which stretches
// of its track lie outside the corridor, and where it stood still. Fixes are lib/journey's
// [lon, lat, time ms, speed km/h, metres off route], in time order.
import type { JourneyFix } from './journey';
import { trailBreaks } from './trail';

/** A silence or a jump no carrier could make lies between these fixes: draw no line across it. */
export const breaksBetween = (a: JourneyFix, b: JourneyFix) => trailBreaks(a[0], a[1], a[2], b[0], b[1], b[2]);

/** The fixes cut where the track breaks (see breaksBetween). */
export function segments(fixes: JourneyFix[]): JourneyFix[][] {
  const out: JourneyFix[][] = [];
  fixes.forEach((f, i) => {
    if (i === 0 || breaksBetween(fixes[i - 1]!, f)) out.push([f]);
    else out[out.length - 1]!.push(f);
  });
  return out;
}

export const REPLAY_SPEEDS = [1, 2, 4, 8, 16, 32, 64, 128, 256] as const;

/** Index of the last fix at or before `t`, or -1 when `t` is before the first fix. */
export function fixIndexAt(fixes: JourneyFix[], t: number): number {
  let lo = 0;
  let hi = fixes.length - 1;
  if (hi < 0 || t < fixes[0]![2]) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fixes[mid]![2] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where the carrier was at `t`, interpolated between fixes, with its bearing (degrees); null before the first fix. */
export function positionAt(fixes: JourneyFix[], t: number): { lon: number; lat: number; bearing: number } | null {
  const i = fixIndexAt(fixes, t);
  if (i < 0) return null;
  const a = fixes[i]!;
  const b = fixes[Math.min(i + 1, fixes.length - 1)]!;
  // Across a break the carrier is where it was last seen, not gliding over the gap.
  const k = b[2] > a[2] && !breaksBetween(a, b) ? Math.min(1, (t - a[2]) / (b[2] - a[2])) : 0;
  const lon = a[0] + (b[0] - a[0]) * k;
  const lat = a[1] + (b[1] - a[1]) * k;
  // Bearing of the segment we are on (or the last one), for the arrow.
  const [p, q] = b !== a ? [a, b] : [fixes[Math.max(0, i - 1)]!, a];
  const dx = (q[0] - p[0]) * Math.cos((lat * Math.PI) / 180);
  const dy = q[1] - p[1];
  const bearing = dx === 0 && dy === 0 ? 0 : ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
  return { lon, lat, bearing };
}

export interface TrackRun {
  outside: boolean;
  path: [number, number][];
}

/**
 * The track cut into stretches inside and outside the corridor. Neighbouring stretches share
 * their boundary fix so the drawn line has no gap, except where the track breaks. Without a
 * route every fix counts as inside.
 */
export function corridorRuns(fixes: JourneyFix[], corridorM: number | null): TrackRun[] {
  const runs: TrackRun[] = [];
  for (const seg of segments(fixes)) {
    let last: TrackRun | undefined;
    for (const f of seg) {
      const outside = corridorM !== null && f[4] > corridorM;
      if (last?.outside === outside) last.path.push([f[0], f[1]]);
      else runs.push((last = { outside, path: last ? [last.path[last.path.length - 1]!, [f[0], f[1]]] : [[f[0], f[1]]] }));
    }
  }
  return runs;
}

/** Periods where the carrier stood (speed below `kmh`) for at least `minMs`: [start, end] ms. */
export function stops(fixes: JourneyFix[], kmh = 3, minMs = 120_000): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= fixes.length; i++) {
    const still = i < fixes.length && fixes[i]![3] < kmh;
    if (still && start < 0) start = i;
    if (!still && start >= 0) {
      const t0 = fixes[start]![2];
      const t1 = fixes[i - 1]![2];
      if (t1 - t0 >= minMs) out.push([t0, t1]);
      start = -1;
    }
  }
  return out;
}
