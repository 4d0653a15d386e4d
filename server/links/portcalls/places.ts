// The places a vessel calls at, from the geofence index the rules engine already keeps (and
// reloads after every edit): sites of kind port_terminal (ports) and zones of kind anchorage.
import type { GeofenceIndex } from '../../geofence';
import type { Place, PlaceLookup } from './detector';

export const PORT_SITE_KIND = 'port_terminal';

export function geofencePlaces(geo: GeofenceIndex): PlaceLookup {
  return {
    at(lon, lat) {
      const out: Place[] = [];
      for (const s of geo.sitesAt(lon, lat)) if (s.kind === PORT_SITE_KIND) out.push({ key: `site:${s.id}`, kind: 'port', id: s.id, code: s.code });
      for (const z of geo.zonesAt(lon, lat)) if (z.kind === 'anchorage') out.push({ key: `zone:${z.id}`, kind: 'anchorage', id: z.id, code: z.code });
      return out;
    },
    distance(place, lon, lat) {
      return place.kind === 'port' ? geo.distanceToSite(place.id, lon, lat) : geo.distanceToZone(place.id, lon, lat);
    },
  };
}
