// The static picture for the map, scoped to the user: the designated sites of their districts and
// of the movements they may see, and the corridors of routes touching those.
import { getContext } from '../../../server/context';
import { handler, json, requireSession } from '../../../server/http/api';

export const dynamic = 'force-dynamic';

const FC = (inner: string) => `
  SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f), '[]'::json)) AS fc FROM (${inner}) f`;

// $1 = the user's district. Visible sites: in a visible district, or an end of a visible movement.
const VISIBLE_SITES = `
  SELECT s.* FROM sites s
  WHERE is_hq($1) OR s.district = ANY (visible_districts($1))
     OR EXISTS (SELECT 1 FROM visible_consignments($1) c WHERE s.id IN (c.origin_site, c.dest_site))`;
const VISIBLE_ROUTES = `
  SELECT r.* FROM routes r
  WHERE is_hq($1)
     OR EXISTS (SELECT 1 FROM (${VISIBLE_SITES}) s WHERE s.id IN (r.from_site, r.to_site))`;

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  const { pool } = getContext();
  const [corridors, routes, sites] = await Promise.all([
    pool.query(FC(`SELECT 'Feature' AS type, id, ST_AsGeoJSON(ST_SimplifyPreserveTopology(corridor, 0.0005), 5)::json AS geometry,
                          json_build_object('code', code, 'name', name_zh, 'nameEn', name_en, 'corridorM', corridor_m) AS properties
                   FROM (${VISIBLE_ROUTES}) r ORDER BY id`), [user.district]),
    pool.query(FC(`SELECT 'Feature' AS type, id, ST_AsGeoJSON(path, 5)::json AS geometry,
                          json_build_object('code', code, 'name', name_zh) AS properties FROM (${VISIBLE_ROUTES}) r ORDER BY id`), [user.district]),
    pool.query(FC(`SELECT 'Feature' AS type, id, ST_AsGeoJSON(area, 5)::json AS geometry,
                          json_build_object('code', code, 'name', name_zh, 'nameEn', name_en, 'kind', kind, 'district', district) AS properties
                   FROM (${VISIBLE_SITES}) s ORDER BY id`), [user.district]),
  ]);
  return json({ corridors: corridors.rows[0].fc, routes: routes.rows[0].fc, sites: sites.rows[0].fc }, 200, { 'cache-control': 'private, max-age=60' });
});
