// Approved routes a user may see. One definition serves /api/routes and the map's /api/world:
// a route is visible when a district the user sees holds its origin or destination site, or a
// movement the user sees runs on it. ($1 = the user's district.)
import type pg from 'pg';
import { LAST_CHANGE } from './lastChange';

export const VISIBLE_ROUTES = `
  SELECT r.* FROM routes r
  WHERE (SELECT is_hq($1))
     OR EXISTS (SELECT 1 FROM sites s WHERE s.id IN (r.from_site, r.to_site) AND s.district IN (SELECT unnest(visible_districts($1))))
     OR EXISTS (SELECT 1 FROM visible_consignments($1) c WHERE c.route_id = r.id)`;

/** The user's routes as a GeoJSON FeatureCollection, by code. */
export async function listRoutes(pool: pg.Pool, userDistrict: string): Promise<unknown> {
  const { rows } = await pool.query(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', r.id, 'geometry', ST_AsGeoJSON(r.path, 6)::json,
       'properties', json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'corridorM', r.corridor_m,
                                       'from', f.code, 'to', t.code, 'validFrom', r.valid_from, 'validUntil', r.valid_until,
                                       'changedBy', ch.username, 'changedAt', ch.at)) ORDER BY r.code), '[]'::json)) AS fc
     FROM (${VISIBLE_ROUTES}) r JOIN sites f ON f.id = r.from_site JOIN sites t ON t.id = r.to_site
     LEFT JOIN LATERAL (${LAST_CHANGE('route', 'r.code')}) ch ON true`,
    [userDistrict],
  );
  return rows[0].fc;
}
