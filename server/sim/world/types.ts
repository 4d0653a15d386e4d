// The demo world's seed data format. Coordinates are WGS84 [lon, lat].
// Every place here is approximate unless `approximate: false` and a source is given.
import type { DistrictLevel, LonLat, SiteKind } from '../../../lib/domain';

export interface DistrictSeed {
  code: string; // customs 4-digit style: 0000 HQ, 2200 direct, 2248 office
  nameZh: string;
  nameEn: string;
  level: DistrictLevel;
  parent: string | null;
  /** Polygon or MultiPolygon coordinates (GeoJSON geometry). */
  area: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  approximate: boolean;
}

export interface SiteSeed {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: SiteKind;
  district: string; // district code (the office or direct customs that supervises it)
  /** Polygon ring, closed ([first] === [last]), counter-clockwise. */
  area: LonLat[];
  approximate: boolean;
}

export interface RouteSeed {
  code: string;
  nameZh: string;
  nameEn: string;
  from: string; // site code
  to: string; // site code
  corridorM: number; // corridor half-width in metres
  /** Along real roads as far as a hand-drawn line can: starts inside `from`, ends inside `to`. */
  path: LonLat[];
  approximate: boolean;
}

export interface VesselLaneSeed {
  code: string;
  nameZh: string;
  nameEn: string;
  port: string; // site code of the terminal it approaches
  /** From open sea to the terminal's berth; every vertex and segment stays at sea. */
  path: LonLat[];
  approximate: boolean;
  /**
   * `approach` (the default when absent): open sea to `port`'s berth, ending within ~500 m of its site.
   * `transit`: a coastal through-route that calls at no port; `anchorage`: a waiting-area circuit.
   * For these two `port` names the terminal they serve or pass nearest, and the path ends at sea.
   */
  kind?: 'approach' | 'transit' | 'anchorage';
}

export interface World {
  districts: DistrictSeed[];
  sites: SiteSeed[];
  routes: RouteSeed[];
  lanes: VesselLaneSeed[];
}
