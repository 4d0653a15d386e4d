// GET /api/routes — approved routes the user may see, as GeoJSON; POST — create or update one
// (supervisor, within their jurisdiction). A path that is not a valid LineString or a corridor
// of 0 m or less is refused with the reason.
import { getContext } from '../../../server/context';
import { clientIp, handler, json, parseBody, requireSession } from '../../../server/http/api';
import { RouteBody, saveRoute } from '../../../server/queries/admin';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  const { rows } = await getContext().pool.query(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', r.id, 'geometry', ST_AsGeoJSON(r.path, 6)::json,
       'properties', json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'corridorM', r.corridor_m,
                                       'from', f.code, 'to', t.code)) ORDER BY r.code), '[]'::json)) AS fc
     FROM routes r JOIN sites f ON f.id = r.from_site JOIN sites t ON t.id = r.to_site
     WHERE is_hq($1) OR f.district = ANY (visible_districts($1)) OR t.district = ANY (visible_districts($1))`, [user.district]);
  return json(rows[0].fc);
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(RouteBody, request);
  const saved = await saveRoute(getContext().pool, user, body, clientIp(request));
  await getContext().onWorldChanged?.();
  return json(saved, saved.created ? 201 : 200);
});
