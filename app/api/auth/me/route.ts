// GET /api/auth/me: who is signed in, their jurisdiction, and the CSRF token for changes.
import { handler, json, requireSession } from '../../../../server/http/api';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user, csrf } = await requireSession(request);
  return json({ user, csrf });
});
