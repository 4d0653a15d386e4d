// GET /api/zones — zones (restricted, anchorage, bonded) in the user's districts, as GeoJSON; POST —
// create or update one from a GeoJSON Feature (supervisor, within their jurisdiction as stored and
// as written; a valid, closed, simple polygon). The rules reload their fences after a change.
import { getContext } from '../../../server/context';
import { clientIp, handler, json, parseBody, requireSession } from '../../../server/http/api';
import { ZoneBody } from '../../../server/http/adminBodies';
import { listZones, saveZone } from '../../../server/queries/zones';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return json(await listZones(getContext().pool, user.district));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const { geometry, properties } = await parseBody(ZoneBody, request);
  const saved = await saveZone(getContext().pool, user, { ...properties, area: geometry }, clientIp(request));
  await getContext().onWorldChanged?.();
  return json(saved, saved.created ? 201 : 200);
});
