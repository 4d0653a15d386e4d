// The gate every HTTP request passes before Next or any handler sees it: security headers,
// body size limits, authentication (deny by default) and CSRF for state-changing requests.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CSRF_HEADER, SESSION_COOKIE, readCookie, sessionCookies } from '../auth/cookies';
import { KIOSK_PARAM, type KioskSignIn } from '../auth/kiosk';
import type { ResolvedSession, Sessions } from '../auth/sessions';
import { normalPath } from './normalPath';
import { setSecurityHeaders } from './securityHeaders';

/** Paths that answer without a session. Everything else needs one. */
/** The signed warehouse link (app/api/links/wms/route.ts). */
const WMS_PATH = '/api/links/wms';
const WMS_SIGNATURE_HEADER = 'x-tw-signature';
/** The signed federation link a regional deployment calls (server/federation/receiver.ts). */
const FEDERATION_SIGNED = new Set(['POST /api/federation/batches', 'GET /api/federation/cursor']);
const PUBLIC_EXACT = new Set(['/login', '/healthz', '/api/auth/login', '/icon.svg', '/favicon.ico', '/robots.txt']);
const PUBLIC_PREFIX = ['/_next/static/', '/_next/image'];
/** Readable without a session (GET, HEAD): the API's description and its reference page describe the API, not anyone's data. */
const isPublicRead = (path: string) => path === '/api/openapi.json' || path === '/api/docs' || path.startsWith('/api/docs/');
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CLIENT_IP_HEADER = 'x-tw-client-ip';

export interface GuardOptions {
  sessions: Sessions;
  /** Bearer tokens accepted on /api/ingest/* instead of a session (machine-to-machine; see ingest/tokens.ts). */
  ingestTokens?: { verify(authorization: string | undefined): Promise<unknown> };
  maxBodyBytes: number;
  dev: boolean;
  /** Trades `/wall?kiosk=TOKEN` for a session (see auth/kiosk.ts). */
  kiosk?: KioskSignIn;
  secureCookies?: boolean;
}

export type GuardResult = { pass: true; session: ResolvedSession | null } | { pass: false };

export function isLoopback(addr: string | undefined): boolean {
  return !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));
}

function reply(res: ServerResponse, status: number, error: string, extra: Record<string, string> = {}): GuardResult {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra });
  res.end(JSON.stringify({ error }));
  return { pass: false };
}

export function bearerMatches(header: string | undefined | null, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Same-origin check: a browser's Origin (when sent) must name this host. */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export async function guard(req: IncomingMessage, res: ServerResponse, opts: GuardOptions): Promise<GuardResult> {
  setSecurityHeaders(req, res, opts.dev);
  // Only this server says who the client is; a client-sent value is discarded.
  req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? '';
  // Decided on the normal form only: a path with "..", "//", "\\" or %2e in it is sent to its
  // normal form (pages) or refused (everything else) before anything else looks at it.
  const [rawPath = '/', query] = (req.url ?? '/').split(/\?(.*)/s, 2);
  const normal = normalPath(rawPath);
  if (!normal.ok) return reply(res, 400, normal.reason);
  if (normal.path !== rawPath) {
    if ((req.method === 'GET' || req.method === 'HEAD') && !normal.path.startsWith('/api/')) {
      res.writeHead(308, { location: normal.path + (query !== undefined ? `?${query}` : ''), 'cache-control': 'no-store' }).end();
      return { pass: false };
    }
    return reply(res, 400, `the path is not in normal form (${normal.path})`);
  }
  const path = normal.path;
  const api = path.startsWith('/api/');

  if (STATE_CHANGING.has(req.method ?? '')) {
    const length = req.headers['content-length'];
    if (length === undefined && req.headers['transfer-encoding']) return reply(res, 411, 'a request body needs a Content-Length');
    if (Number(length ?? 0) > opts.maxBodyBytes) return reply(res, 413, `request body over ${opts.maxBodyBytes} bytes`);
    if (!sameOrigin(req)) return reply(res, 403, 'cross-origin request refused');
  }

  if (
    (path.startsWith('/api/ingest/') || path.startsWith('/api/links/')) &&
    opts.ingestTokens &&
    req.headers.authorization?.startsWith('Bearer ') &&
    (await opts.ingestTokens.verify(req.headers.authorization))
  ) {
    return { pass: true, session: null };
  }
  // A warehouse system's call carries no session or bearer token: the route checks its HMAC
  // signature over the whole request (server/links/wms/systems.ts) before it reads anything.
  if (path === WMS_PATH && req.method === 'POST' && req.headers[WMS_SIGNATURE_HEADER]) return { pass: true, session: null };
  // So does a regional deployment's federation call (server/federation/regions.ts).
  if (FEDERATION_SIGNED.has(`${req.method} ${path}`) && req.headers[WMS_SIGNATURE_HEADER]) return { pass: true, session: null };
  if (PUBLIC_EXACT.has(path) || PUBLIC_PREFIX.some((p) => path.startsWith(p))) return { pass: true, session: null };
  if ((req.method === 'GET' || req.method === 'HEAD') && isPublicRead(path)) return { pass: true, session: null };
  if (path === '/metrics' && isLoopback(req.socket.remoteAddress)) return { pass: true, session: null };

  if (path === '/wall' && req.method === 'GET' && opts.kiosk) {
    const url = new URL(req.url ?? '/', 'http://host');
    const token = url.searchParams.get(KIOSK_PARAM);
    if (token !== null) {
      // Only a link opened on the wall itself (typed, bookmarked, started by the kiosk browser), not
      // one another site navigates to, which would sign a visitor in to the wall's account.
      if (req.headers['sec-fetch-site'] === 'cross-site') return reply(res, 403, 'a kiosk link must be opened directly');
      // The token leaves the address bar at once: a redirect to the same view without it.
      url.searchParams.delete(KIOSK_PARAM);
      const session = await opts.kiosk.exchange(token, req.socket.remoteAddress ?? '', req.headers['user-agent']);
      if (!session) return reply(res, 401, 'this kiosk link is not valid (revoked, expired or mistyped)');
      res
        .writeHead(303, {
          location: `/wall${url.search}`,
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
          'set-cookie': sessionCookies(session.token, session.csrf, session.expiresAt, opts.secureCookies ?? false),
        })
        .end();
      return { pass: false };
    }
  }

  const session = await opts.sessions.resolve(readCookie(req.headers.cookie, SESSION_COOKIE));
  if (!session) {
    if (api || path === '/metrics' || req.method !== 'GET') return reply(res, 401, 'sign in first');
    const next = encodeURIComponent(req.url ?? '/');
    res.writeHead(303, { location: `/login?next=${next}`, 'cache-control': 'no-store' }).end();
    return { pass: false };
  }
  if (STATE_CHANGING.has(req.method ?? '') && req.headers[CSRF_HEADER] !== session.csrf) {
    return reply(res, 403, `missing or wrong ${CSRF_HEADER} header`);
  }
  return { pass: true, session };
}
