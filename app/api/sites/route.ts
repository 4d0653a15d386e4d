// GET /api/sites — designated sites the user may see, as GeoJSON; POST — create or update one
// (supervisor, within their jurisdiction; a valid, closed, simple polygon).
import { getContext } from '../../../server/context';
import { clientIp, handler, json, parseBody, requireSession } from '../../../server/http/api';
import { SiteBody, saveSite } from '../../../server/queries/admin';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  const { rows } = await getContext().pool.query(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', s.id, 'geometry', ST_AsGeoJSON(s.area, 6)::json,
       'properties', json_build_object('code', s.code, 'nameZh', s.name_zh, 'nameEn', s.name_en, 'kind', s.kind, 'district', s.district)) ORDER BY s.code), '[]'::json)) AS fc
     FROM sites s WHERE is_hq($1) OR s.district = ANY (visible_districts($1))`, [user.district]);
  return json(rows[0].fc);
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(SiteBody, request);
  const saved = await saveSite(getContext().pool, user, body, clientIp(request));
  await getContext().onWorldChanged?.();
  return json(saved, saved.created ? 201 : 200);
});
