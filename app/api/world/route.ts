// The static picture for the map: route corridors, route lines and designated sites, as GeoJSON.
import { getContext } from '../../../server/context';

export const dynamic = 'force-dynamic';

const FC = (inner: string) => `
  SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f), '[]'::json)) AS fc FROM (${inner}) f`;

export async function GET() {
  const { pool } = getContext();
  const [corridors, routes, sites] = await Promise.all([
    pool.query(FC(`SELECT 'Feature' AS type, id, ST_AsGeoJSON(ST_SimplifyPreserveTopology(corridor, 0.0005), 5)::json AS geometry,
                          json_build_object('code', code, 'name', name_zh, 'nameEn', name_en, 'corridorM', corridor_m) AS properties
                   FROM routes ORDER BY id`)),
    pool.query(FC(`SELECT 'Feature' AS type, id, ST_AsGeoJSON(path, 5)::json AS geometry,
                          json_build_object('code', code, 'name', name_zh) AS properties FROM routes ORDER BY id`)),
    pool.query(FC(`SELECT 'Feature' AS type, id, ST_AsGeoJSON(area, 5)::json AS geometry,
                          json_build_object('code', code, 'name', name_zh, 'nameEn', name_en, 'kind', kind, 'district', district) AS properties
                   FROM sites ORDER BY id`)),
  ]);
  return Response.json(
    { corridors: corridors.rows[0].fc, routes: routes.rows[0].fc, sites: sites.rows[0].fc },
    { headers: { 'cache-control': 'private, max-age=60' } },
  );
}
