// GET /api/sites — designated sites the user may see, as GeoJSON; POST — create or update one
// (supervisor, within their jurisdiction as stored and as written; a valid, closed, simple polygon).
import { getContext } from '../../../server/context';
import { clientIp, handler, parseBody, requireSession } from '../../../server/http/api';
import { saveSite } from '../../../server/queries/admin';
import { listSites } from '../../../server/queries/sites';
import { send, type ResponseBody } from '@/server/http/contract';
import { listSites as contract, saveSite as saveSiteContract } from '@/server/http/contracts/admin';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  // The FeatureCollection is built in SQL; openapi.test.ts checks it against the schema.
  return send(contract, 200, (await listSites(getContext().pool, user.district)) as ResponseBody<typeof contract, 200>);
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(saveSiteContract.body, request);
  const saved = await saveSite(getContext().pool, user, body, clientIp(request));
  await getContext().onWorldChanged?.();
  return send(saveSiteContract, saved.created ? 201 : 200, saved);
});
