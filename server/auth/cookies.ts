// Cookie names and attributes for the session and its CSRF token.
import { parse, serialize } from 'cookie';

export const SESSION_COOKIE = 'tw_session';
export const CSRF_COOKIE = 'tw_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  return parse(header)[name];
}

export function sessionCookies(token: string, csrf: string, expiresAt: number, secure: boolean): string[] {
  const expires = new Date(expiresAt);
  return [
    // HttpOnly: scripts never see the session token. Strict: no cross-site request carries it.
    serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure, expires }),
    // Readable by the page, which echoes it in the CSRF header of state-changing requests.
    serialize(CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'strict', path: '/', secure, expires }),
  ];
}

export function clearedCookies(secure: boolean): string[] {
  const past = new Date(0);
  return [
    serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: '/', secure, expires: past }),
    serialize(CSRF_COOKIE, '', { sameSite: 'strict', path: '/', secure, expires: past }),
  ];
}
