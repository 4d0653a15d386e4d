// GET /api/jt809/platforms[?revoked=1] — the JT/T 809 lower platforms in the supervisor's
// jurisdiction, with their login state and last contact (never a password or key).
// POST /api/jt809/platforms {accessCode, userId, password, name, district, plates?, keys?, address?}
// — provision a lower platform in the supervisor's jurisdiction (audited).
import { getContext } from '../../../../server/context';
import { listPlatforms, registerPlatform } from '../../../../server/ingest/jt809/admin';
import { clientIp, handler, parseBody, parseQuery, requireSession } from '../../../../server/http/api';
import { send } from '@/server/http/contract';
import { listPlatforms as listContract, registerPlatform as registerContract } from '@/server/http/contracts/jt809';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const q = parseQuery(listContract.query, request);
  return send(listContract, 200, await listPlatforms(getContext().pool, user.district, { revoked: q.revoked === '1' }));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(registerContract.body, request);
  return send(registerContract, 201, await registerPlatform(getContext().pool, body, user, clientIp(request)));
});
