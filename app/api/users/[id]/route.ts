// PATCH /api/users/{id} {displayName?, role?, district?, disabled?} — a supervisor changes an account
// of their jurisdiction (audited); a change of rights ends its sessions at once.
import { getContext } from '../../../../server/context';
import { clientIp, handler, parseBody, requireSession } from '../../../../server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { patchUser as contract } from '@/server/http/contracts/users';
import { updateUser } from '@/server/users/users';

export const dynamic = 'force-dynamic';

export const PATCH = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const { id } = await parseParams(contract, params);
  const body = await parseBody(contract.body, request);
  const { pool, sessions } = getContext();
  return send(contract, 200, await updateUser(pool, sessions, id, body, user, clientIp(request)));
});
