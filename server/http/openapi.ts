// The OpenAPI 3.1 document of the REST API, built from the route contracts (server/http/contracts/),
// which hold the very zod schemas the routes validate with: one source of truth, no copy by hand.
// Served at /api/openapi.json, read at /api/docs.
//
// To add a route:
//   1. Declare its contract with defineRoute({...}) in server/http/contracts/<area>.ts (a new area:
//      a new file, added to CONTRACT_MODULES below): method, path (`[id]` → `{id}`), tag, summary
//      {zh, en}, access, params/query/body (the zod schemas the route parses with; move any hand
//      check into them) and responses by status (zod schemas of what it answers), plus `errors`
//      for refusals beyond those its access and input imply.
//   2. In app/api/.../route.ts parse with them (parseParams(contract, params), parseQuery(contract.query, request),
//      parseBody(contract.body, request)) and answer with send(contract, status, body).
//   3. server/http/openapi.test.ts fails until every route file's methods are in the document and
//      nothing in the document lacks a route.
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import { z } from 'zod';
import { ErrorBody, type RouteContract, type ResponseSpec } from './contract';
import * as admin from './contracts/admin';
import * as alerts from './contracts/alerts';
import * as assets from './contracts/assets';
import * as audit from './contracts/audit';
import * as auth from './contracts/auth';
import * as consignments from './contracts/consignments';
import * as docs from './contracts/docs';
import * as districts from './contracts/districts';
import * as ingest from './contracts/ingest';
import * as jt809 from './contracts/jt809';
import * as webhooks from './contracts/webhooks';
import * as wms from './contracts/wms';
import * as federation from './contracts/federation';
import * as links from './contracts/links';
import * as reports from './contracts/reports';
import * as users from './contracts/users';

const CONTRACT_MODULES: Record<string, unknown>[] = [
  auth,
  alerts,
  consignments,
  assets,
  jt809,
  admin,
  links,
  wms,
  federation,
  ingest,
  webhooks,
  docs,
  districts,
  reports,
  users,
  audit,
];

const isContract = (v: unknown): v is RouteContract =>
  typeof v === 'object' && v !== null && 'method' in v && 'path' in v && 'responses' in v && typeof (v as { path: unknown }).path === 'string';

/** Every route contract, from the modules' exports. */
export const CONTRACTS: RouteContract[] = CONTRACT_MODULES.flatMap((m) => Object.values(m).filter(isContract));

const TAGS = [
  { name: 'auth', description: '登录与会话 · Sign-in, sessions, kiosk tokens' },
  { name: 'consignments', description: '监管运输 · Movements, journeys, documents' },
  { name: 'alerts', description: '告警 · Alerts' },
  { name: 'assets', description: '车辆、船舶与终端 · Vehicles, vessels, terminals, tracks' },
  { name: 'map', description: '地图与管理 · Map layers, routes, sites, zones, wall, search' },
  { name: 'links', description: '海关系统对接 · Customs links, inspections, port calls, site ledgers' },
  { name: 'webhooks', description: '推送订阅 · Webhooks out: alerts and movement events pushed to other systems' },
  { name: 'ingest', description: '数据接入 · Position and event feeds' },
  { name: 'ledger', description: '账本 · The tamper-evident ledger' },
  { name: 'federation', description: '全国与关区 · Federation: regional deployments forwarding to the national node' },
  { name: 'docs', description: '接口文档 · This reference' },
];

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad input: the reason names the field',
  401: 'Not signed in (or no valid token)',
  403: 'Not allowed: role, jurisdiction, CSRF token or cross-origin',
  404: 'Not found',
  409: 'Conflict',
  411: 'A request body needs a Content-Length',
  413: 'Request body over MAX_BODY_BYTES',
  422: 'Nothing in the batch was accepted',
  429: 'Too many attempts',
  503: 'A service it needs is not running',
};

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

function accessText(c: RouteContract): string {
  if (c.access === 'public') return 'Anyone (no session).';
  if ('signed' in c.access)
    return `A provisioned ${c.access.signed === 'wms' ? 'warehouse system' : 'regional deployment'}, each call signed with its secret (HMAC-SHA256; no session or token).`;
  if ('session' in c.access) return `A signed-in user with at least the ${c.access.session} role (a kiosk wall's session is a viewer's).`;
  return `A system with an ingest token that may post ${c.access.ingest === 'links' ? 'this link (kind links or link:<system>)' : c.access.ingest}, or a signed-in supervisor.`;
}

function security(c: RouteContract): Record<string, string[]>[] {
  const csrf: Record<string, string[]> = STATE_CHANGING.has(c.method) ? { csrf: [] } : {};
  if (c.access === 'public') return [];
  if ('signed' in c.access) return [{ wmsSignature: [] }];
  const session = { session: [], ...csrf };
  return 'ingest' in c.access ? [{ ingestToken: [] }, session] : [session];
}

function response(status: number, spec: ResponseSpec): ZodOpenApiResponseObject {
  if (spec instanceof z.ZodType) {
    return { description: (spec.meta()?.description as string | undefined) ?? STATUS_TEXT[status] ?? String(status), content: { 'application/json': { schema: spec } } };
  }
  const content = Object.fromEntries(Object.entries(spec.content).map(([type, s]) => [type, { schema: s === 'text' ? z.string() : s }]));
  return { description: spec.description ?? STATUS_TEXT[status] ?? String(status), content };
}

function operation(c: RouteContract): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, spec] of Object.entries(c.responses)) if (spec) responses[status] = response(Number(status), spec);
  const errors: Record<number, string> = {};
  if (c.params || c.query || c.body) errors[400] = STATUS_TEXT[400]!;
  if (c.access !== 'public') errors[401] = STATUS_TEXT[401]!;
  if (c.access !== 'public' && (STATE_CHANGING.has(c.method) || ('session' in c.access && c.access.session !== 'viewer') || 'ingest' in c.access)) errors[403] = STATUS_TEXT[403]!;
  if (STATE_CHANGING.has(c.method)) Object.assign(errors, { 411: STATUS_TEXT[411], 413: STATUS_TEXT[413] });
  Object.assign(errors, c.errors);
  for (const [status, why] of Object.entries(errors)) responses[status] = { description: why, content: { 'application/json': { schema: ErrorBody } } };
  return {
    operationId: `${c.method}${c.path
      .replace(/^\/api/, '')
      .replace(/[{}]/g, '')
      .replace(/[/.-](\w)/g, (_, ch: string) => ch.toUpperCase())}`,
    tags: [c.tag],
    summary: `${c.summary.zh} · ${c.summary.en}`,
    description: [c.description, `**调用者 · Who may call it:** ${accessText(c)}`].filter(Boolean).join('\n\n'),
    security: security(c),
    'x-access': c.access,
    requestParams: { ...(c.params && { path: c.params }), ...(c.query && { query: c.query as z.ZodObject }) },
    ...(c.body && {
      requestBody: {
        required: !c.body.safeParse(undefined).success,
        content: c.bodyType === 'text' ? { 'application/xml': { schema: c.body }, 'text/plain': { schema: c.body } } : { 'application/json': { schema: c.body } },
      },
    }),
    responses,
  } as ZodOpenApiOperationObject;
}

function build() {
  const paths: ZodOpenApiPathsObject = {};
  for (const c of CONTRACTS) {
    const item = (paths[c.path] ??= {});
    if (item[c.method]) throw new Error(`two contracts for ${c.method.toUpperCase()} ${c.path}`);
    item[c.method] = operation(c);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'TransitWatch 监管运输实时监控 API',
      version: '1',
      description:
        'REST API of TransitWatch. Everything but sign-in and this reference needs a session (cookie `tw_session` from POST /api/auth/login); state-changing calls also send the `x-csrf-token` header. Feeds and links may instead send `Authorization: Bearer <ingest token>`. Every refusal is `{ "error": reason }` with a 4xx status.',
    },
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'tw_session', description: 'The session cookie set by POST /api/auth/login.' },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'The session’s CSRF token (from login or GET /api/auth/me), on every state-changing call.' },
        wmsSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-TW-Signature',
          description: 'sha256=<hex HMAC-SHA256(secret, METHOD\\npath\\ntimestamp\\nnonce\\nhex SHA-256 of the body)>, with X-TW-System, X-TW-Timestamp and X-TW-Nonce.',
        },
        ingestToken: { type: 'http', scheme: 'bearer', description: 'An ingest token (`npx transitwatch ingest-token`), scoped to a district and kinds.' },
      },
    },
  });
}

let document: ReturnType<typeof build> | undefined;

/** The document, built once per process. */
export function openApiDocument(): ReturnType<typeof build> {
  return (document ??= build());
}
