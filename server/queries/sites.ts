// Designated sites a user may see. ($1 = the user's district.)
import type pg from 'pg';
import { LAST_CHANGE } from './lastChange';

/** Sites in a district the user sees: what /api/sites lists (and a supervisor may edit below them). */
export const DISTRICT_SITES = `
  SELECT s.* FROM sites s WHERE (SELECT is_hq($1)) OR s.district IN (SELECT unnest(visible_districts($1)))`;

/** For the map: the district's sites, plus the origin and destination of every movement the user sees. */
export const MAP_SITES = `
  SELECT s.* FROM sites s
  WHERE (SELECT is_hq($1)) OR s.district IN (SELECT unnest(visible_districts($1)))
     OR EXISTS (SELECT 1 FROM visible_consignments($1) c WHERE s.id IN (c.origin_site, c.dest_site))`;

export async function listSites(pool: pg.Pool, userDistrict: string): Promise<unknown> {
  const { rows } = await pool.query(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', s.id, 'geometry', ST_AsGeoJSON(s.area, 6)::json,
       'properties', json_build_object('code', s.code, 'nameZh', s.name_zh, 'nameEn', s.name_en, 'kind', s.kind, 'district', s.district,
                                       'changedBy', ch.username, 'changedAt', ch.at)) ORDER BY s.code), '[]'::json)) AS fc
     FROM (${DISTRICT_SITES}) s LEFT JOIN LATERAL (${LAST_CHANGE('site', 's.code')}) ch ON true`,
    [userDistrict],
  );
  return rows[0].fc;
}
