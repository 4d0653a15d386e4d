// GET /api/auth/me: who is signed in, their jurisdiction, and the CSRF token for changes.
import { handler, requireSession } from '../../../../server/http/api';
import { send } from '@/server/http/contract';
import { me } from '@/server/http/contracts/auth';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user, csrf } = await requireSession(request);
  return send(me, 200, { user, csrf });
});
