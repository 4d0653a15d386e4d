// POST /api/auth/login {username, password} → session cookies, or 401/429 with the reason.
import { getContext } from '../../../../server/context';
import { sessionCookies } from '../../../../server/auth/cookies';
import { clientIp, handler, json, parseBody } from '../../../../server/http/api';

export const dynamic = 'force-dynamic';

import { login } from '@/server/http/contracts/auth';

export const POST = handler(async (request) => {
  const { username, password } = await parseBody(login.body, request);
  const { signIn, secureCookies } = getContext();
  const r = await signIn.attempt(username, password, clientIp(request), request.headers.get('user-agent') ?? undefined);
  if (!r.ok) return json({ error: r.reason }, r.status, r.retryAfterS ? { 'retry-after': String(r.retryAfterS) } : {});
  const headers = new Headers({ 'cache-control': 'no-store', 'content-type': 'application/json' });
  for (const c of sessionCookies(r.token, r.csrf, r.expiresAt, secureCookies)) headers.append('set-cookie', c);
  return new Response(JSON.stringify({ ok: true, csrf: r.csrf }), { status: 200, headers });
});
