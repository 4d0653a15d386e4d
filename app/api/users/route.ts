// GET /api/users — the accounts of the supervisor's jurisdiction. POST {username, displayName?, role,
// district, password?} — a new account there (audited); a generated password is in the answer once.
import { getContext } from '../../../server/context';
import { clientIp, handler, parseBody, requireSession } from '../../../server/http/api';
import { send } from '@/server/http/contract';
import { createUser as createContract, listUsers as listContract } from '@/server/http/contracts/users';
import { createUser, listUsers } from '@/server/users/users';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  return send(listContract, 200, await listUsers(getContext().pool, user));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(createContract.body, request);
  return send(createContract, 201, await createUser(getContext().pool, body, user, clientIp(request)));
});
