// POST /api/users/{id}/reset-password — a new generated password, in the answer once; the user's
// sessions end (audited, without the password).
import { getContext } from '../../../../../server/context';
import { clientIp, handler, requireSession } from '../../../../../server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { resetUserPassword as contract } from '@/server/http/contracts/users';
import { resetPassword } from '@/server/users/users';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const { id } = await parseParams(contract, params);
  const { pool, sessions } = getContext();
  return send(contract, 200, await resetPassword(pool, sessions, id, user, clientIp(request)));
});
