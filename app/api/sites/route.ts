// GET /api/sites — designated sites the user may see, as GeoJSON; POST — create or update one
// (supervisor, within their jurisdiction as stored and as written; a valid, closed, simple polygon).
import { getContext } from '../../../server/context';
import { clientIp, handler, json, parseBody, requireSession } from '../../../server/http/api';
import { SiteBody } from '../../../server/http/adminBodies';
import { saveSite } from '../../../server/queries/admin';
import { listSites } from '../../../server/queries/sites';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return json(await listSites(getContext().pool, user.district));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(SiteBody, request);
  const saved = await saveSite(getContext().pool, user, body, clientIp(request));
  await getContext().onWorldChanged?.();
  return json(saved, saved.created ? 201 : 200);
});
