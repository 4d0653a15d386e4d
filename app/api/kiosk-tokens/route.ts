// GET /api/kiosk-tokens — the kiosk tokens of the supervisor's jurisdiction (never a token itself).
// POST /api/kiosk-tokens {username, label?, days?} — a supervisor issues a kiosk token for a
// viewer account in their jurisdiction (audited). The token is in the answer once, never again.
import { getContext } from '../../../server/context';
import { issueKioskToken } from '../../../server/auth/kiosk';
import { clientIp, handler, parseBody, requireSession } from '@/server/http/api';

export const dynamic = 'force-dynamic';

import { send } from '@/server/http/contract';
import { issueKioskToken as contract } from '@/server/http/contracts/admin';
import { listKioskTokens as listContract } from '@/server/http/contracts/users';
import { listKioskTokens } from '@/server/users/kioskTokens';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  return send(listContract, 200, await listKioskTokens(getContext().pool, user.district));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(contract.body, request);
  const issued = await issueKioskToken(getContext().pool, { ...body, issuer: user, ip: clientIp(request) });
  return send(contract, 201, issued);
});
