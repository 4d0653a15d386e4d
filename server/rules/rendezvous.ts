// RENDEZVOUS: two vessels within distanceM, both slower than maxKn, for longer than minS, away from
// sites and anchorages. A pair starts as a candidate when one slow vessel finds another in the
// spatial hash; it survives up to partM apart and partKn; an open one clears beyond partM.
import { kmhToKnots } from '../../lib/units';
import { fastDistM, type GeofenceIndex } from '../geofence/index';
import { clear, raise, type OpenEpisode } from './episodes';
import { SlowVesselGrid } from './slowVesselGrid';
import type { AssetState, PairState } from './state';
import type { Fix, RendezvousConfig, RuleEvent } from './types';

export const pairKey = (a: number, b: number): string => (a < b ? `${a}-${b}` : `${b}-${a}`);

export class Rendezvous {
  private pairs = new Map<string, PairState>();
  private grid: SlowVesselGrid;

  constructor(
    private geo: GeofenceIndex,
    private config: RendezvousConfig,
    private assetById: (id: number) => AssetState | undefined,
  ) {
    this.grid = new SlowVesselGrid(config.cellDeg);
  }

  /** A plausible fix of a vessel. */
  onFix(vessel: AssetState, fix: Fix, out: RuleEvent[]): void {
    const meet = this.config;
    const time = fix.time;
    const kmh = fix.speed ?? vessel.kmh;
    const knots = kmh === undefined ? Infinity : kmhToKnots(kmh);
    let slow = knots < meet.maxKn;
    if (slow) {
      slow = this.geo.sitesWithin(fix.lon, fix.lat, meet.siteBufferM).length === 0 && !this.geo.zonesAt(fix.lon, fix.lat).some((z) => z.kind === 'anchorage');
    }
    vessel.rv = { slow, kn: knots };
    this.followPairs(vessel, fix, knots, out);
    // The spatial hash of slow vessels, and new meetings.
    if (!slow) {
      this.grid.place(vessel.id, undefined);
      return;
    }
    const cell = this.grid.cellOf(fix.lon, fix.lat);
    this.grid.place(vessel.id, cell);
    for (const id of this.grid.around(cell)) {
      if (id === vessel.id) continue;
      const key = pairKey(vessel.id, id);
      if (this.pairs.has(key)) continue;
      const other = this.assetById(id)!;
      const otherLast = other.last!;
      if (time - otherLast.t > meet.freshS * 1000 || !other.rv?.slow) continue;
      const distanceM = fastDistM(fix.lon, fix.lat, otherLast.lon, otherLast.lat);
      if (distanceM > meet.distanceM) continue;
      const pair: PairState = { a: Math.min(vessel.id, id), b: Math.max(vessel.id, id), since: time, minD: distanceM };
      this.pairs.set(key, pair);
      vessel.pairs.push(key);
      other.pairs.push(key);
    }
  }

  /** The pairs this vessel is in: a candidate grows into an episode or is dropped; an open one clears when they part. */
  private followPairs(vessel: AssetState, fix: Fix, knots: number, out: RuleEvent[]): void {
    const meet = this.config;
    const time = fix.time;
    for (const key of [...vessel.pairs]) {
      const pair = this.pairs.get(key);
      if (!pair) {
        vessel.pairs.splice(vessel.pairs.indexOf(key), 1);
        continue;
      }
      const other = this.assetById(pair.a === vessel.id ? pair.b : pair.a);
      const otherLast = other?.last;
      const fresh = otherLast !== undefined && time - otherLast.t <= meet.freshS * 1000;
      const distanceM = otherLast ? fastDistM(fix.lon, fix.lat, otherLast.lon, otherLast.lat) : Infinity;
      if (pair.ep) {
        if (fresh && distanceM > meet.partM) {
          clear(out, 'RENDEZVOUS', { assetId: pair.a }, time, pair.ep, {
            otherAssetId: pair.b,
            durationS: (time - pair.since) / 1000,
            distanceM: Math.round(distanceM),
          });
          this.drop(key, pair);
        } else if (fresh) pair.minD = Math.min(pair.minD, distanceM);
        continue;
      }
      const together = fresh && distanceM <= meet.partM && knots < meet.partKn && (other!.rv?.kn ?? Infinity) < meet.partKn;
      if (!together) {
        this.drop(key, pair);
        continue;
      }
      pair.minD = Math.min(pair.minD, distanceM);
      if (time - pair.since > meet.minS * 1000) {
        pair.ep = `RENDEZVOUS/a${pair.a}-a${pair.b}/${pair.since}`;
        raise(out, 'RENDEZVOUS', { assetId: pair.a }, time, { lon: (fix.lon + otherLast!.lon) / 2, lat: (fix.lat + otherLast!.lat) / 2 }, pair.ep, {
          otherAssetId: pair.b,
          assetIds: [pair.a, pair.b],
          distanceM: Math.round(distanceM),
          minDistanceM: Math.round(pair.minD),
          since: pair.since,
          durationS: (time - pair.since) / 1000,
        });
      }
    }
  }

  private drop(key: string, pair: PairState): void {
    this.pairs.delete(key);
    for (const id of [pair.a, pair.b]) {
      const asset = this.assetById(id);
      const i = asset ? asset.pairs.indexOf(key) : -1;
      if (i >= 0) asset!.pairs.splice(i, 1);
    }
  }

  openEpisodes(): OpenEpisode[] {
    const list: OpenEpisode[] = [];
    for (const p of this.pairs.values()) if (p.ep) list.push({ episode: p.ep, type: 'RENDEZVOUS', assetId: p.a });
    return list;
  }

  exportPairs(): PairState[] {
    return [...this.pairs.values()];
  }

  /** Replaces the pairs, and puts the candidates among `assets` back in the grid. */
  importState(pairs: PairState[], assets: Iterable<AssetState>): void {
    this.pairs.clear();
    this.grid.clear();
    for (const a of assets) if (a.rv?.slow && a.last) this.grid.place(a.id, this.grid.cellOf(a.last.lon, a.last.lat));
    for (const p of pairs) this.pairs.set(pairKey(p.a, p.b), p);
  }
}
