// The one owner of an asset's alert colour on the map (DESIGN.md, "Ownership and trust"). Fed by
// rule events only: an open, non-info alert colours its asset (the worst one wins) until it clears.
// The pipeline's latest state keeps motion and staleness; the live hub combines the two with
// shownStatus() when it encodes a frame, so nothing writes alert colours upstream.
import type { AssetStatus } from '../../lib/domain';
import { ALERT_MAP_STATUS, ALERT_SEVERITY, type RuleEvent } from '../rules/types';
import type { OpenEpisode, RuleListener } from '../alerts/rulesRuntime';
import type { MotionStatus } from '../pipeline/latestState';

const STATUS_RANK: Record<AssetStatus, number> = { normal: 0, stopped: 1, stale: 2, warning: 3, critical: 4 };

/**
 * What the map shows: a critical alert wins over everything; lost sight (stale) wins over a
 * warning; otherwise the alert's colour, else how the asset moves.
 */
export function shownStatus(alert: AssetStatus | null, motion: MotionStatus): AssetStatus {
  if (alert === 'critical') return 'critical';
  if (motion === 'stale') return 'stale';
  return alert ?? motion;
}

export class MapStatus implements RuleListener {
  /** Per asset: its open episodes and the colour each gives it. */
  private open = new Map<number, Map<string, AssetStatus>>();
  private worst = new Map<number, AssetStatus>();

  /** `changed` is told of every asset whose alerts changed (the hub re-sends it in the next tick). */
  constructor(private changed: (assetId: number) => void = () => {}) {}

  /** Applies what the rules decided: raised (non-info) alerts colour, cleared ones stop colouring. */
  onRuleEvents(events: readonly RuleEvent[]): void {
    for (const e of events) {
      if (e.kind === 'raised' && e.alert.severity !== 'info') this.add(e.alert.assetId, e.alert.episode, e.alert.mapStatus);
      else if (e.kind === 'cleared') this.remove(e.assetId, e.episode);
    }
  }

  /** Episodes open before a restart colour their assets again (they are stored already). */
  restore(episodes: readonly OpenEpisode[]): void {
    for (const ep of episodes) {
      if (ALERT_SEVERITY[ep.type] === 'info') continue;
      this.add(ep.assetId, ep.episode, ALERT_MAP_STATUS[ep.type]);
    }
  }

  /** Episodes whose movement ended while they were open stop colouring (they stay open in the alert feed). */
  released(episodes: readonly OpenEpisode[]): void {
    for (const ep of episodes) this.remove(ep.assetId, ep.episode);
  }

  /** The colour the asset's worst open alert gives it; null with none open. */
  of(assetId: number): AssetStatus | null {
    return this.worst.get(assetId) ?? null;
  }

  private add(assetId: number, episode: string, status: AssetStatus): void {
    let open = this.open.get(assetId);
    if (!open) this.open.set(assetId, (open = new Map()));
    open.set(episode, status);
    this.repaint(assetId);
  }

  private remove(assetId: number, episode: string): void {
    const open = this.open.get(assetId);
    if (!open?.delete(episode)) return;
    if (open.size === 0) this.open.delete(assetId);
    this.repaint(assetId);
  }

  private repaint(assetId: number): void {
    let worst: AssetStatus | null = null;
    for (const s of this.open.get(assetId)?.values() ?? []) if (!worst || STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
    if (worst) this.worst.set(assetId, worst);
    else this.worst.delete(assetId);
    this.changed(assetId);
  }
}
