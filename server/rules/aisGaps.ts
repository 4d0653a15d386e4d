// AIS_GAP: a vessel silent longer than its class and speed allow (ITU-R M.1371 reporting intervals
// times a factor, with a floor); cleared, with the gap, when it transmits again.
import { kmhToKnots } from '../../lib/units';
import { clear, oneDecimal, raise } from './episodes';
import type { AssetState } from './state';
import type { Fix, RuleEvent, RulesConfig } from './types';

export class AisGaps {
  constructor(private config: RulesConfig) {}

  /** Raises AIS_GAP if the vessel has been silent past its threshold by `now`. */
  timer(vessel: AssetState, now: number, out: RuleEvent[]): void {
    const last = vessel.last;
    if (!last || vessel.gap) return;
    const gapConfig = this.config.aisGap;
    const aisClass = vessel.cls ?? gapConfig.defaultClass;
    const knots = kmhToKnots(last.speed ?? vessel.kmh ?? 0);
    const moving = knots >= gapConfig.movingKn[aisClass];
    const nominal = gapConfig[aisClass];
    const thresholdMs = Math.max(gapConfig.factor * (moving ? nominal.movingIntervalS : nominal.slowIntervalS), moving ? nominal.movingFloorS : nominal.slowFloorS) * 1000;
    if (now <= last.t + thresholdMs) return;
    vessel.gap = { ep: `AIS_GAP/a${vessel.id}/${last.t}`, since: last.t };
    raise(out, 'AIS_GAP', { assetId: vessel.id }, last.t + thresholdMs, last, vessel.gap.ep, {
      lastFixTime: last.t,
      thresholdS: thresholdMs / 1000,
      aisClass,
      speedKn: oneDecimal(knots),
      moving,
    });
  }

  /** Any fix of the asset (in order) ends its gap. */
  onFix(asset: AssetState, fix: Fix, out: RuleEvent[]): void {
    if (!asset.gap) return;
    clear(out, 'AIS_GAP', { assetId: asset.id }, fix.time, asset.gap.ep, { gapS: (fix.time - asset.gap.since) / 1000, lon: fix.lon, lat: fix.lat });
    asset.gap = undefined;
  }
}
