// The open movements in memory: by id, and by the asset that carries them. An asset may carry
// more than one (the next run is planned before the rules see the last one arrive); its live
// scope is all of them together. Private to the movement service: others ask the service.
import type { OpenMovement } from './movement';

export class MovementIndex {
  private byId = new Map<number, OpenMovement>();
  private byAsset = new Map<number, Set<number>>();

  /** Adds a movement, or replaces the one held under its id (its asset may have changed). */
  put(m: OpenMovement): void {
    this.remove(m.id);
    this.byId.set(m.id, m);
    let ids = this.byAsset.get(m.assetId);
    if (!ids) this.byAsset.set(m.assetId, (ids = new Set()));
    ids.add(m.id);
  }

  /** Drops a movement; returns what was held. */
  remove(id: number): OpenMovement | undefined {
    const m = this.byId.get(id);
    if (!m) return undefined;
    this.byId.delete(id);
    const ids = this.byAsset.get(m.assetId);
    ids?.delete(id);
    if (ids && ids.size === 0) this.byAsset.delete(m.assetId);
    return m;
  }

  clear(): void {
    this.byId.clear();
    this.byAsset.clear();
  }

  get(id: number): OpenMovement | undefined {
    return this.byId.get(id);
  }

  ofAsset(assetId: number): OpenMovement[] {
    const ids = this.byAsset.get(assetId);
    return ids ? [...ids].map((id) => this.byId.get(id)!) : [];
  }

  /**
   * The movement an asset is on now, for its label: the one under way that left last, else
   * the planned one that leaves last.
   */
  current(assetId: number): OpenMovement | undefined {
    let best: OpenMovement | undefined;
    for (const m of this.ofAsset(assetId)) {
      if (!best) best = m;
      else {
        const under = m.status !== 'planned';
        const bestUnder = best.status !== 'planned';
        if (under !== bestUnder ? under : m.departure > best.departure) best = m;
      }
    }
    return best;
  }

  /** Every district any open movement of the asset touches. */
  districtsOfAsset(assetId: number): string[] {
    const out = new Set<string>();
    for (const m of this.ofAsset(assetId)) for (const d of m.districts) out.add(d);
    return [...out];
  }

  all(): IterableIterator<OpenMovement> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }
}
