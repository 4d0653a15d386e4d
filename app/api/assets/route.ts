// GET /api/assets?kind=&limit=&offset= — the vehicles and vessels the user may see.
// POST /api/assets {kind: 'vehicle', plate, plateColor, district, label?} | {kind: 'vessel', mmsi, name?, district}
// — a supervisor registers one with a home district in their jurisdiction (audited).
import { getContext } from '../../../server/context';
import { listAssets, registerAsset } from '../../../server/devices/admin';
import { clientIp, handler, parseBody, parseQuery, requireSession } from '../../../server/http/api';
import { send } from '@/server/http/contract';
import { listAssets as contract, registerAsset as registerAssetContract } from '@/server/http/contracts/assets';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return send(contract, 200, await listAssets(getContext().pool, user.district, parseQuery(contract.query, request)));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(registerAssetContract.body, request);
  return send(registerAssetContract, 201, await registerAsset(getContext().pool, body, user, clientIp(request)));
});
