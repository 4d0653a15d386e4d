// Zones by kind. Restricted: ZONE_ENTRY, an asset inside for zoneEnterFixes consecutive plausible
// fixes; cleared after zoneLeaveFixes outside. Bonded (Golden Customs II): a vehicle crossing the
// boundary, with the same debounce, is reported as a `zone_crossing` (enter / leave); whether it was
// authorised is for the passports (server/links/zone/unauthorised.ts), not for this pure engine.
// A vehicle first seen inside a bonded zone (no plausible fix before, or the one before was inside
// too: the zone was drawn around it) has not crossed anything; leaving later is a crossing.
// Anchorages raise nothing here.
import type { GeofenceIndex } from '../geofence/index';
import { clear, raise, type OpenEpisode } from './episodes';
import type { AssetState, ZoneState } from './state';
import type { Fix, RuleEvent, RulesConfig } from './types';

export class RestrictedZones {
  constructor(
    private geo: GeofenceIndex,
    private config: RulesConfig,
  ) {}

  /**
   * A plausible fix of the asset; `consignmentId` is the movement it carries, if any (kept on the
   * episode); `prev` the asset's plausible fix before this one, if any (did a crossing start outside?).
   */
  onFix(asset: AssetState, fix: Fix, consignmentId: number | undefined, out: RuleEvent[], prev?: { lon: number; lat: number }): void {
    const zones = this.geo.zonesAt(fix.lon, fix.lat);
    if (zones.length === 0 && !hasKeys(asset.zones)) return;
    const time = fix.time;
    const inside = new Set<string>();
    for (const zone of zones) {
      if (zone.kind === 'bonded') {
        if (asset.kind !== 'vehicle') continue;
        inside.add(String(zone.id));
        this.bondedFix(asset, zone.id, zone.code, fix, true, prev, out);
        continue;
      }
      if (zone.kind !== 'restricted') continue;
      const key = String(zone.id);
      inside.add(key);
      const st = (asset.zones[key] ??= { in: 0, out: 0, since: time });
      if (st.in === 0) st.since = time;
      st.in++;
      st.out = 0;
      if (!st.ep && st.in >= this.config.zoneEnterFixes) {
        st.ep = `ZONE_ENTRY/a${asset.id}/z${zone.id}/${st.since}`;
        st.cid = consignmentId;
        raise(out, 'ZONE_ENTRY', { assetId: asset.id, consignmentId }, time, fix, st.ep, {
          zoneId: zone.id,
          zoneCode: zone.code,
          zoneName: zone.name,
          since: st.since,
        });
      }
    }
    for (const key of Object.keys(asset.zones)) {
      if (inside.has(key)) continue;
      const st = asset.zones[key]!;
      if (st.b !== undefined) {
        this.bondedFix(asset, Number(key), undefined, fix, false, prev, out);
        continue;
      }
      st.in = 0;
      st.out++;
      if (!st.ep) delete asset.zones[key];
      else if (st.out >= this.config.zoneLeaveFixes) {
        clear(out, 'ZONE_ENTRY', { assetId: asset.id, consignmentId: st.cid }, time, st.ep, { zoneId: Number(key), durationS: (time - st.since) / 1000 });
        delete asset.zones[key];
      }
    }
  }

  /**
   * A vehicle's fix inside a bonded zone (`inPolygon`), or outside one it has state for. Only fixes
   * at least bondedEdgeMarginM from the boundary count, zoneEnterFixes / zoneLeaveFixes of them in a
   * row; a run inside that never counted is forgotten once the vehicle is clearly outside.
   */
  private bondedFix(
    asset: AssetState,
    zoneId: number,
    code: string | undefined,
    fix: Fix,
    inPolygon: boolean,
    prev: { lon: number; lat: number } | undefined,
    out: RuleEvent[],
  ): void {
    const key = String(zoneId);
    let st: ZoneState | undefined = asset.zones[key];
    if (!st) {
      const cameFromOutside = prev !== undefined && !this.geo.zonesAt(prev.lon, prev.lat).some((z) => z.id === zoneId);
      st = asset.zones[key] = { in: 0, out: 0, since: fix.time, b: false, from: cameFromOutside ? 1 : 0 };
    }
    // A zone removed meanwhile: the vehicle is as good as outside it.
    const edge = this.geo.zoneEdgeDistance(zoneId, fix.lon, fix.lat);
    if (edge !== undefined && edge < this.config.bondedEdgeMarginM) return;
    const zoneCode = code ?? this.geo.zone(zoneId)?.code ?? key;
    if (inPolygon) {
      if (st.in === 0) st.since = fix.time;
      st.in++;
      st.out = 0;
      if (!st.b && st.in >= this.config.zoneEnterFixes) {
        st.b = true;
        if (st.from === 1) out.push({ kind: 'zone_crossing', assetId: asset.id, zoneId, zoneCode, direction: 'enter', time: st.since, lon: fix.lon, lat: fix.lat });
      }
      return;
    }
    if (!st.b) {
      delete asset.zones[key];
      return;
    }
    if (st.out === 0) st.os = fix.time;
    st.in = 0;
    st.out++;
    if (st.out < this.config.zoneLeaveFixes) return;
    out.push({ kind: 'zone_crossing', assetId: asset.id, zoneId, zoneCode, direction: 'leave', time: st.os ?? fix.time, lon: fix.lon, lat: fix.lat });
    delete asset.zones[key];
  }
}

export function openZoneEpisodes(asset: AssetState): OpenEpisode[] {
  const list: OpenEpisode[] = [];
  for (const z of Object.values(asset.zones)) if (z.ep) list.push({ episode: z.ep, type: 'ZONE_ENTRY', assetId: asset.id, consignmentId: z.cid });
  return list;
}

const hasKeys = (o: object): boolean => {
  for (const _ in o) return true;
  return false;
};
