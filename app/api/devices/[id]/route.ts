// DELETE /api/devices/{id} — revoke a terminal (audited): its open connections close, and its
// logins and reports are refused from then on.
import { getContext } from '../../../../server/context';
import { revokeDevice } from '../../../../server/devices/admin';
import { parseId } from '@/server/http/ids';
import { ApiError, clientIp, handler, requireSession } from '../../../../server/http/api';
import { send } from '@/server/http/contract';
import { revokeDevice as contract } from '@/server/http/contracts/assets';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const id = parseId((await params).id);
  if (!(await revokeDevice(getContext().pool, id, user, clientIp(request)))) throw new ApiError(404, 'no such device');
  return send(contract, 200, { ok: true });
});
