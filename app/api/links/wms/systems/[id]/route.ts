// DELETE /api/links/wms/systems/{id} — revoke a warehouse system (audited): its calls are refused from then on.
import { getContext } from '@/server/context';
import { clientIp, handler, requireSession } from '@/server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { revokeWmsSystem as contract } from '@/server/http/contracts/wms';
import { revokeWmsSystem } from '@/server/links/wms/systems';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const { id } = await parseParams(contract, params);
  return send(contract, 200, await revokeWmsSystem(getContext().pool, id, user, clientIp(request)));
});
