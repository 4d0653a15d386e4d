// GET /api/routes — approved routes the user may see, as GeoJSON; POST — create or update one
// (supervisor, within their jurisdiction as stored and as written). A path that is not a valid
// LineString, a corridor of 0 m or less, or a route over the limits (server/geo/routeLimits.ts)
// is refused with the reason.
import { getContext } from '../../../server/context';
import { clientIp, handler, json, parseBody, requireSession } from '../../../server/http/api';
import { RouteBody } from '../../../server/http/adminBodies';
import { saveRoute } from '../../../server/queries/admin';
import { listRoutes } from '../../../server/queries/routes';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return json(await listRoutes(getContext().pool, user.district));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(RouteBody, request);
  const saved = await saveRoute(getContext().pool, user, body, clientIp(request));
  await getContext().onWorldChanged?.();
  return json(saved, saved.created ? 201 : 200);
});
