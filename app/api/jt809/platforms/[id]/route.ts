// DELETE /api/jt809/platforms/{id} — revoke a lower platform (audited): its links close at once and
// its logins are refused from then on.
import { getContext } from '../../../../../server/context';
import { revokePlatform } from '../../../../../server/ingest/jt809/admin';
import { parseId } from '@/server/http/ids';
import { ApiError, clientIp, handler, requireSession } from '../../../../../server/http/api';
import { send } from '@/server/http/contract';
import { revokePlatform as contract } from '@/server/http/contracts/jt809';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const id = parseId((await params).id);
  if (!(await revokePlatform(getContext().pool, id, user, clientIp(request)))) throw new ApiError(404, 'no such platform');
  return send(contract, 200, { ok: true });
});
