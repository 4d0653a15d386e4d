// GET /api/assets?kind=&limit=&offset= — the vehicles and vessels the user may see.
// POST /api/assets {kind: 'vehicle', plate, plateColor, district, label?} | {kind: 'vessel', mmsi, name?, district}
// — a supervisor registers one with a home district in their jurisdiction (audited).
import { getContext } from '../../../server/context';
import { AssetBody, AssetListQuery, listAssets, registerAsset } from '../../../server/devices/admin';
import { clientIp, handler, json, parseBody, parseQuery, requireSession } from '../../../server/http/api';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return json(await listAssets(getContext().pool, user.district, parseQuery(AssetListQuery, request)));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(AssetBody, request);
  return json(await registerAsset(getContext().pool, body, user, clientIp(request)), 201);
});
