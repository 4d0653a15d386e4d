// GET /api/routes — approved routes the user may see, as GeoJSON; POST — create or update one
// (supervisor, within their jurisdiction as stored and as written). A path that is not a valid
// LineString, a corridor of 0 m or less, or a route over the limits (server/geo/routeLimits.ts)
// is refused with the reason.
import { getContext } from '../../../server/context';
import { clientIp, handler, parseBody, requireSession } from '../../../server/http/api';
import { saveRoute } from '../../../server/queries/admin';
import { listRoutes } from '../../../server/queries/routes';
import { send, type ResponseBody } from '@/server/http/contract';
import { listRoutes as contract, saveRoute as saveRouteContract } from '@/server/http/contracts/admin';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  // The FeatureCollection is built in SQL; openapi.test.ts checks it against the schema.
  return send(contract, 200, (await listRoutes(getContext().pool, user.district)) as ResponseBody<typeof contract, 200>);
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(saveRouteContract.body, request);
  const saved = await saveRoute(getContext().pool, user, body, clientIp(request));
  await getContext().onWorldChanged?.();
  return send(saveRouteContract, saved.created ? 201 : 200, saved);
});
