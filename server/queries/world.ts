// The static picture for the map, scoped to the user: the sites of their districts and of the
// movements they may see, and the routes (centre lines and corridors) they may see, by the same
// definition as /api/routes (server/queries/routes.ts).
import type pg from 'pg';
import { VISIBLE_ROUTES } from './routes';
import { MAP_SITES } from './sites';

const FC = (inner: string) => `
  SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f), '[]'::json)) AS fc FROM (${inner}) f`;

export interface World {
  corridors: unknown;
  routes: unknown;
  sites: unknown;
}

export async function loadWorld(pool: pg.Pool, userDistrict: string): Promise<World> {
  const [corridors, routes, sites] = await Promise.all([
    pool.query(
      FC(`SELECT 'Feature' AS type, id, ST_AsGeoJSON(ST_SimplifyPreserveTopology(corridor, 0.0005), 5)::json AS geometry,
                          json_build_object('code', code, 'name', name_zh, 'nameEn', name_en, 'corridorM', corridor_m) AS properties
                   FROM (${VISIBLE_ROUTES}) r ORDER BY id`),
      [userDistrict],
    ),
    pool.query(
      FC(`SELECT 'Feature' AS type, id, ST_AsGeoJSON(path, 5)::json AS geometry,
                          json_build_object('code', code, 'name', name_zh) AS properties FROM (${VISIBLE_ROUTES}) r ORDER BY id`),
      [userDistrict],
    ),
    pool.query(
      FC(`SELECT 'Feature' AS type, id, ST_AsGeoJSON(area, 5)::json AS geometry,
                          json_build_object('code', code, 'name', name_zh, 'nameEn', name_en, 'kind', kind, 'district', district) AS properties
                   FROM (${MAP_SITES}) s ORDER BY id`),
      [userDistrict],
    ),
  ]);
  return { corridors: corridors.rows[0].fc, routes: routes.rows[0].fc, sites: sites.rows[0].fc };
}
