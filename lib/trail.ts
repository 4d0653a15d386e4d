import { ROUGH_M_PER_DEG_LAT, ROUGH_M_PER_DEG_LON_AT_EQUATOR } from './units';

// When a track should break instead of joining two fixes with a straight line: after a long
// silence or a jump no vehicle or vessel could make (a restart, a signal gap, a bad fix).
const MAX_GAP_MS = 10 * 60_000;
const MAX_JUMP_M = 10_000;

export function trailBreaks(lon0: number, lat0: number, t0: number, lon1: number, lat1: number, t1: number): boolean {
  if (t1 - t0 > MAX_GAP_MS) return true;
  const k = Math.cos(((lat0 + lat1) / 2) * (Math.PI / 180));
  const dx = (lon1 - lon0) * k * ROUGH_M_PER_DEG_LON_AT_EQUATOR;
  const dy = (lat1 - lat0) * ROUGH_M_PER_DEG_LAT;
  return dx * dx + dy * dy > MAX_JUMP_M * MAX_JUMP_M;
}
