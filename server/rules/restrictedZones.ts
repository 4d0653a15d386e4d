// ZONE_ENTRY: an asset inside a restricted zone for zoneEnterFixes consecutive plausible fixes;
// cleared after zoneLeaveFixes outside. Anchorages and other zone kinds raise nothing here.
import type { GeofenceIndex } from '../geofence/index';
import { clear, raise, type OpenEpisode } from './episodes';
import type { AssetState } from './state';
import type { Fix, RuleEvent, RulesConfig } from './types';

export class RestrictedZones {
  constructor(
    private geo: GeofenceIndex,
    private config: RulesConfig,
  ) {}

  /** A plausible fix of the asset; `consignmentId` is the movement it carries, if any (kept on the episode). */
  onFix(asset: AssetState, fix: Fix, consignmentId: number | undefined, out: RuleEvent[]): void {
    const zones = this.geo.zonesAt(fix.lon, fix.lat);
    if (zones.length === 0 && !hasKeys(asset.zones)) return;
    const time = fix.time;
    const inside = new Set<string>();
    for (const zone of zones) {
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
      st.in = 0;
      st.out++;
      if (!st.ep) delete asset.zones[key];
      else if (st.out >= this.config.zoneLeaveFixes) {
        clear(out, 'ZONE_ENTRY', { assetId: asset.id, consignmentId: st.cid }, time, st.ep, { zoneId: Number(key), durationS: (time - st.since) / 1000 });
        delete asset.zones[key];
      }
    }
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
