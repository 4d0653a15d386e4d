// Noise: a fix implying an impossible speed from the last plausible one is an outlier, until a
// second fix agrees with it (then the old position was the stale one). Every geometric rule looks
// only at plausible fixes.
import { fastDistM, haversineM } from '../geofence/index';
import { msToKmh } from '../../lib/units';
import type { AssetState, TimedPoint } from './state';
import type { Fix, RulesConfig } from './types';

/**
 * Whether the fix is plausible for the asset; updates the asset's last plausible fix, its last
 * outlier and its implied speed.
 */
export function checkPlausible(asset: AssetState, fix: Fix, config: RulesConfig): boolean {
  const good = asset.good;
  if (!good) {
    asset.good = { t: fix.time, lon: fix.lon, lat: fix.lat };
    return true;
  }
  const maxKmh = asset.kind === 'vessel' ? config.vesselMaxKmh : config.vehicleMaxKmh;
  const fromGood = moveTo(good, fix, config.jumpToleranceM);
  if (fromGood && fromGood.toleratedKmh <= maxKmh) {
    asset.kmh = fromGood.kmh;
    good.t = fix.time;
    good.lon = fix.lon;
    good.lat = fix.lat;
    asset.rej = undefined;
    return true;
  }
  const fromOutlier = asset.rej && moveTo(asset.rej, fix, config.jumpToleranceM);
  if (fromOutlier && fromOutlier.toleratedKmh <= maxKmh) {
    asset.kmh = fromOutlier.kmh;
    asset.good = { t: fix.time, lon: fix.lon, lat: fix.lat };
    asset.rej = undefined;
    return true;
  }
  asset.rej = { t: fix.time, lon: fix.lon, lat: fix.lat };
  return false;
}

/**
 * The move from p to the fix: its speed, and its speed once `toleranceM` of jump is forgiven (km/h);
 * undefined when the fix is not later than p.
 */
function moveTo(p: TimedPoint, fix: Fix, toleranceM: number): { kmh: number; toleratedKmh: number } | undefined {
  const dt = (fix.time - p.t) / 1000;
  if (dt <= 0) return undefined;
  const d = distanceM(p, fix);
  return { kmh: msToKmh(d / dt), toleratedKmh: msToKmh(Math.max(0, d - toleranceM) / dt) };
}

/** Metres between two places: the flat approximation nearby, the great circle beyond 20 km. */
function distanceM(p: TimedPoint, q: { lon: number; lat: number }): number {
  const d = fastDistM(p.lon, p.lat, q.lon, q.lat);
  return d < 20_000 ? d : haversineM(p.lon, p.lat, q.lon, q.lat);
}
