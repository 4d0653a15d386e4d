// GET /api/jt809/platforms[?revoked=1] — the JT/T 809 lower platforms in the supervisor's
// jurisdiction, with their login state and last contact (never a password or key).
// POST /api/jt809/platforms {accessCode, userId, password, name, district, plates?, keys?, address?}
// — provision a lower platform in the supervisor's jurisdiction (audited).
import { z } from 'zod';
import { getContext } from '../../../../server/context';
import { PlatformBody, listPlatforms, registerPlatform } from '../../../../server/ingest/jt809/admin';
import { clientIp, handler, json, parseBody, parseQuery, requireSession } from '../../../../server/http/api';

export const dynamic = 'force-dynamic';

const ListQuery = z.object({ revoked: z.enum(['0', '1']).optional() }).strict();

export const GET = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const q = parseQuery(ListQuery, request);
  return json(await listPlatforms(getContext().pool, user.district, { revoked: q.revoked === '1' }));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(PlatformBody, request);
  return json(await registerPlatform(getContext().pool, body, user, clientIp(request)), 201);
});
