// The demo world: customs districts at three levels, supervised sites, approved truck routes and vessel
// lanes around the Yangtze River Delta, Ningbo–Zhoushan and Shenzhen. Everything is approximate
// (`approximate: true`): good enough for a convincing live map and for exercising the geofence rules,
// not a reference for real customs boundaries.
//
// Sources: district areas from geo/china-admin1.geojson (Natural Earth, public domain) clipped with
// hand-drawn claims (build-districts.ts, output kept in districts.json); coastline checks against
// geo/coast-china-1m.geojson (© OpenStreetMap contributors, ODbL).
import type { World, DistrictSeed } from './types';
import districts from './districts.json';
import { SITES } from './sites';
import { ROUTES, BRIDGES } from './routes';
import { LANES } from './lanes';

export const WORLD: World = {
  districts: districts as DistrictSeed[],
  sites: SITES,
  routes: ROUTES,
  lanes: LANES,
};

export { BRIDGES };
export type { BridgeSeed } from './routes';
export type { World, DistrictSeed, SiteSeed, RouteSeed, VesselLaneSeed } from './types';
