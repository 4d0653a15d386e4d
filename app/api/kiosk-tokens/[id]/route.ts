// DELETE /api/kiosk-tokens/{id} — a supervisor revokes a kiosk token (the id issuing returned);
// the walls signed in with it lose their sessions (audited).
import { getContext } from '../../../../server/context';
import { revokeKioskToken } from '../../../../server/auth/kiosk';
import { ApiError, clientIp, handler, requireSession } from '../../../../server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { revokeKioskToken as contract } from '@/server/http/contracts/admin';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const { id } = await parseParams(contract, params);
  if (!(await revokeKioskToken(getContext().pool, getContext().sessions, id, user, clientIp(request)))) throw new ApiError(404, 'no such kiosk token');
  return send(contract, 200, { ok: true });
});
