// POST /api/auth/logout: ends the session and clears its cookies.
import { getContext } from '../../../../server/context';
import { auditNow } from '../../../../server/audit';
import { SESSION_COOKIE, clearedCookies, readCookie } from '../../../../server/auth/cookies';
import { clientIp, handler, requireSession } from '../../../../server/http/api';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request) => {
  const session = await requireSession(request);
  const { sessions, pool, secureCookies } = getContext();
  await sessions.destroy(readCookie(request.headers.get('cookie'), SESSION_COOKIE));
  await auditNow(pool, { userId: session.user.id, username: session.user.username, action: 'sign_out', ip: clientIp(request) });
  const headers = new Headers({ 'cache-control': 'no-store', 'content-type': 'application/json' });
  for (const c of clearedCookies(secureCookies)) headers.append('set-cookie', c);
  return new Response(JSON.stringify({ ok: true }), { status: 200, headers });
});
