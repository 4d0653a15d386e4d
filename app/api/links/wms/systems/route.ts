// GET /api/links/wms/systems — the warehouse systems in the supervisor's jurisdiction (never a secret).
// POST /api/links/wms/systems {name, district, sites[]} — issue one (audited); its secret is in this
// answer once and never again. Sites must lie in the district, the district in your jurisdiction.
import { getContext } from '@/server/context';
import { ApiError, clientIp, handler, parseBody, requireSession } from '@/server/http/api';
import { send } from '@/server/http/contract';
import { issueWmsSystem as issueContract, listWmsSystems as listContract } from '@/server/http/contracts/wms';
import { issueWmsSystem, listWmsSystems } from '@/server/links/wms/systems';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  return send(listContract, 200, await listWmsSystems(getContext().pool, user.district));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(issueContract.body, request);
  const { pool, secrets } = getContext();
  if (!secrets) throw new ApiError(503, 'secrets are not available');
  return send(issueContract, 201, await issueWmsSystem(pool, secrets, body, user, clientIp(request)));
});
