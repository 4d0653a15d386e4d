// GET /api/routes/{code}/rules — the thresholds stored for a route; PUT — replace them (supervisor,
// within their jurisdiction; audited). The running rules engine applies a change at once.
import { getContext } from '../../../../../server/context';
import { clientIp, handler, parseBody, requireSession } from '../../../../../server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { getRouteRules as getContract, putRouteRules as putContract } from '@/server/http/contracts/admin';
import { getRouteRules, putRouteRules } from '../../../../../server/queries/routeRules';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ code: string }> };

export const GET = handler(async (request: Request, { params }: Params) => {
  const { user } = await requireSession(request, 'supervisor');
  const { code } = await parseParams(getContract, params);
  return send(getContract, 200, await getRouteRules(getContext().pool, user, code));
});

export const PUT = handler(async (request: Request, { params }: Params) => {
  const { user } = await requireSession(request, 'supervisor');
  const { code } = await parseParams(putContract, params);
  const body = await parseBody(putContract.body, request);
  const saved = await putRouteRules(getContext().pool, user, code, body, clientIp(request));
  getContext().rules?.setRouteRules(saved.routeId, Object.keys(saved.rules).length ? saved.rules : null);
  return send(putContract, 200, saved);
});
