// Helpers for Next route handlers: the signed-in user, validated input, and errors as 4xx JSON.
import { z } from 'zod';
import { getContext } from '../context';
import { SESSION_COOKIE, readCookie } from '../auth/cookies';
import { roleAtLeast, type ResolvedSession, type Role } from '../auth/sessions';
import { DomainError, type DomainErrorKind } from '../errors';
import { CLIENT_IP_HEADER, bearerMatches } from './guard';

export class ApiError extends Error {
  constructor(public status: number, message: string) {
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

/** Ingest endpoints: a machine with the ingest token, or a signed-in supervisor. */
export async function requireIngest(request: Request): Promise<{ source: string; session: ResolvedSession | null }> {
  const { ingestToken } = getContext();
  if (ingestToken && bearerMatches(request.headers.get('authorization'), ingestToken)) return { source: 'token', session: null };
  const session = await requireSession(request, 'supervisor');
  return { source: `user:${session.user.username}`, session };
}

export function clientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) || 'unknown';
}

function describe(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}

export function parseQuery<T extends z.ZodType>(schema: T, request: Request): z.infer<T> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
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
      if (err instanceof DomainError) return json({ error: err.message }, STATUS_OF[err.kind]);
      console.error(err);
      return json({ error: 'internal error' }, 500);
    }
  };
}
