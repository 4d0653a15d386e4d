// GET /api/zones — zones (restricted, anchorage, bonded) in the user's districts, as GeoJSON; POST —
// create or update one from a GeoJSON Feature (supervisor, within their jurisdiction as stored and
// as written; a valid, closed, simple polygon). The rules reload their fences after a change.
import { getContext } from '../../../server/context';
import { clientIp, handler, parseBody, requireSession } from '../../../server/http/api';
import { listZones, saveZone } from '../../../server/queries/zones';
import { send, type ResponseBody } from '@/server/http/contract';
import { listZones as contract, saveZone as saveZoneContract } from '@/server/http/contracts/admin';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  // The FeatureCollection is built in SQL; openapi.test.ts checks it against the schema.
  return send(contract, 200, (await listZones(getContext().pool, user.district)) as ResponseBody<typeof contract, 200>);
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const { geometry, properties } = await parseBody(saveZoneContract.body, request);
  const saved = await saveZone(getContext().pool, user, { ...properties, area: geometry }, clientIp(request));
  await getContext().onWorldChanged?.();
  return send(saveZoneContract, saved.created ? 201 : 200, saved);
});
