// One REST route's contract, declared once next to the zod schemas the route validates with:
// method, path, summary (Chinese and English), tag, who may call it, path params, query, body and
// responses. The route parses with these very schemas (parseParams, parseQuery, parseBody) and
// answers through send(), whose body is typed from the response schema; server/http/openapi.ts
// turns every contract into the OpenAPI 3.1 document served at /api/openapi.json.
import { z } from 'zod';
import 'zod-openapi';
import type { Role } from '../auth/sessions';
import type { IngestKind } from '../ingest/tokens';
import { IdParam } from '@/lib/params';
import { ApiError, json } from './api';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route: anyone; a signed-in user of at least `session` (a kiosk's wall session is
 * a viewer's); or a system with an ingest token that may post `ingest`, or a signed-in supervisor.
 */
/** Who may call a route: anyone, a session of at least a role, an ingest token (or a supervisor), or a system that signs each call (HMAC). */
export type Access = 'public' | { session: Role } | { ingest: IngestKind | 'links' } | { signed: 'wms' | 'federation' };

/** A response: a zod schema (JSON), or several media types (a zod schema or a plain string body). */
export type ResponseSpec = z.ZodType | { description?: string; content: Record<string, z.ZodType | 'text'>; headers?: Record<string, string> };

export interface RouteContract {
  method: Method;
  /** The OpenAPI path: `/api/consignments/{id}`, as the folder `app/api/consignments/[id]`. */
  path: string;
  tag: string;
  summary: { zh: string; en: string };
  description?: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The body's media type when not JSON (a link message: XML or JSON as text). */
  bodyType?: 'text';
  responses: Partial<Record<number, ResponseSpec>>;
  /** Refusals beyond those the access and the input already imply (400, 401, 403, 413), with why. */
  errors?: Partial<Record<number, string>>;
}

export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract;
}

/** Every refusal, from the guard or a handler: `{ error: reason }`. */
export const ErrorBody = z.object({ error: z.string().meta({ description: 'why, in plain words' }) }).meta({ id: 'Error' });

/** A row id in a path (`/api/consignments/{id}`): a positive int4 in plain decimal digits. */
export const IdPath = z.object({ id: IdParam.meta({ description: 'row id', example: '42' }) });

/** A time as JSON: ISO 8601 (a timestamptz column as pg gives it, serialised). */
export const Timestamp = z.string().meta({ format: 'date-time' });
/** A time in ms since 1970. */
export const TimeMs = z.number().meta({ description: 'ms since 1970' });
export const DistrictCode = z.string().meta({ pattern: '^[0-9]{4}$', description: 'customs district code' });

/** `{ ok: true }`: a change done. */
export const Ok = z.object({ ok: z.literal(true) });

/** The JSON body a contract declares for `status`. */
export type ResponseBody<C extends RouteContract, S extends number> = C['responses'][S] extends z.ZodType
  ? z.input<C['responses'][S]>
  : C['responses'][S] extends { content: { 'application/json': infer J extends z.ZodType } }
    ? z.input<J>
    : never;

/** Answers with `body` as JSON, typed by the contract's schema for `status`: the two cannot drift. */
export function send<C extends RouteContract, S extends keyof C['responses'] & number>(
  _contract: C,
  status: S,
  body: ResponseBody<C, S>,
  headers: Record<string, string> = {},
): Response {
  return json(body, status, headers);
}

/**
 * The path parameters through the contract's schema; a bad one is a 400 naming it (or, with
 * `notFound`, that 404: a code that cannot exist answers like one that does not).
 */
export async function parseParams<C extends RouteContract & { params: z.ZodObject }>(
  contract: C,
  params: Promise<Record<string, string>>,
  notFound?: string,
): Promise<z.output<C['params']>> {
  const r = contract.params.safeParse(await params);
  if (r.success) return r.data as z.output<C['params']>;
  if (notFound) throw new ApiError(404, notFound);
  throw new ApiError(400, r.error.issues.map((i) => `${i.path.join('.') || 'path'}: ${i.message}`).join('; '));
}
