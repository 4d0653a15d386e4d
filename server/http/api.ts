// Helpers for Next route handlers: the signed-in user, validated input, and errors as 4xx JSON.
import { z } from 'zod';
import { getContext } from '../context';
import { SESSION_COOKIE, readCookie } from '../auth/cookies';
import { roleAtLeast, type ResolvedSession, type Role } from '../auth/sessions';
import { sessionCaller, type IngestCaller, type IngestKind } from '../ingest/tokens';
import { CLIENT_IP_HEADER } from './guard';
import { databaseRefusal } from './databaseRefusal';
import { DomainError, type DomainErrorKind } from '../errors';

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** The session of the request (the guard already refused requests without one). */
export async function requireSession(request: Request, role: Role = 'viewer'): Promise<ResolvedSession> {
  const session = await getContext().sessions.resolve(readCookie(request.headers.get('cookie'), SESSION_COOKIE));
  if (!session) throw new ApiError(401, 'sign in first');
  if (!roleAtLeast(session.user.role, role)) throw new ApiError(403, `needs the ${role} role`);
  return session;
}

/**
 * Ingest endpoints: a system with an ingest token that may post `kind`, or a signed-in supervisor.
 * The caller (its stored source and district scope) comes from the credential only.
 */
export async function requireIngest(request: Request, kind: IngestKind): Promise<IngestCaller> {
  const { ingestTokens } = getContext();
  const caller = await ingestTokens?.verify(request.headers.get('authorization'));
  if (caller) {
    if (!caller.may.has(kind)) throw new ApiError(403, `the ingest token ${caller.name} may not post ${kind}`);
    return caller;
  }
  const session = await requireSession(request, 'supervisor');
  return sessionCaller(session.user);
}

export function clientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) || 'unknown';
}

function describe(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}

/** PostgreSQL refuses NUL in text, so a NUL anywhere in the input is a 400 here, not a 500 there. */
const NUL = '\u0000';

/** The path of the first string (or object key) in `value` that holds a NUL byte, or null. */
export function nulPath(value: unknown, path = 'input', depth = 0): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (typeof value !== 'object' || value === null || depth > 64) return null;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const at = path === 'input' ? String(k) : `${path}.${k}`;
    if (typeof k === 'string' && k.includes(NUL)) return at;
    const found = nulPath(v, at, depth + 1);
    if (found) return found;
  }
  return null;
}

function refuseNul(value: unknown): void {
  const at = nulPath(value);
  if (at) throw new ApiError(400, `${at}: contains a NUL byte`);
}

export function parseQuery<T extends z.ZodType>(schema: T, request: Request): z.infer<T> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  refuseNul(params);
  const r = schema.safeParse(params);
  if (!r.success) throw new ApiError(400, describe(r.error));
  return r.data;
}

export async function parseBody<T extends z.ZodType>(schema: T, request: Request): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new ApiError(400, 'the body is not valid JSON');
  }
  refuseNul(body);
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(400, describe(r.error));
  return r.data;
}

/** The status each domain error kind answers with. */
export const STATUS_OF: Record<DomainErrorKind, number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 };

/** Wraps a route handler so that every failure becomes a JSON error with the right status. */
export function handler<A extends unknown[]>(fn: (request: Request, ...rest: A) => Promise<Response>) {
  return async (request: Request, ...rest: A): Promise<Response> => {
    try {
      return await fn(request, ...rest);
    } catch (err) {
      if (err instanceof ApiError) return json({ error: err.message }, err.status);
      const refused = databaseRefusal(err);
      if (refused) {
        console.warn(`input refused by the database: ${refused}`);
        return json({ error: refused }, 400);
      }
      if (DomainError.is(err)) return json({ error: err.message }, STATUS_OF[err.kind]);
      console.error(err);
      return json({ error: 'internal error' }, 500);
    }
  };
}
