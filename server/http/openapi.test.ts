// The OpenAPI document against the code: every app/api/**/route.ts method is in it and nothing else
// is; every schema in it compiles as JSON Schema 2020-12; and real requests to a real server (real
// HTTP through the guard, the real route handlers, a fresh PostGIS) and their real answers, 2xx and
// 4xx, validate against the operation's schemas. Response objects are closed (zod-openapi renders a
// z.object output with additionalProperties: false), so a field the contract does not declare fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createTestUser } from '../auth/testing';
import { SESSION_COOKIE } from '../auth/cookies';
import { startLinkTestServer, WORLD, type LinkTestServer } from '../links/testing';
import { signedHeaders } from '../links/wms/signature';
import { openApiDocument } from './openapi';

const API_DIR = join(process.cwd(), 'app', 'api');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface RouteFile {
  file: string;
  /** `/api/consignments/{id}` */
  path: string;
  methods: string[];
  pattern: RegExp;
  names: string[];
}

function routeFiles(dir = API_DIR): RouteFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e): RouteFile[] => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    if (e.name !== 'route.ts') return [];
    const segments = relative(API_DIR, dir).split(sep).filter(Boolean);
    const path = '/api/' + segments.map((s) => s.replace(/^\[(\w+)\]$/, '{$1}')).join('/');
    const source = readFileSync(full, 'utf8');
    const methods = METHODS.filter((m) => new RegExp(`export\\s+(const|(async\\s+)?function)\\s+${m}\\b`).test(source));
    const names = segments.flatMap((s) => s.match(/^\[(\w+)\]$/)?.[1] ?? []);
    const pattern = new RegExp('^/api/' + segments.map((s) => (/^\[\w+\]$/.test(s) ? '([^/]+)' : s.replace(/[.]/g, '\\.'))).join('/') + '$');
    return [{ file: relative(process.cwd(), full), path, methods, pattern, names }];
  });
}

type Doc = ReturnType<typeof openApiDocument>;
type Operation = { requestBody?: { content: Record<string, { schema: object }> }; responses: Record<string, { content?: Record<string, { schema: object }> }> };
const doc: Doc = JSON.parse(JSON.stringify(openApiDocument()));
const operation = (method: string, path: string) => (doc.paths?.[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
/** A schema from the document, its `#/components/…` references resolved in the document. */
function compile(schema: object) {
  const text = JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/');
  return ajv.compile(JSON.parse(text));
}

test('every app/api route file and method is in the document, and nothing else is', () => {
  const files = routeFiles();
  assert.ok(files.length >= 36, `found only ${files.length} route files`);
  const inCode = new Set(files.flatMap((f) => f.methods.map((m) => `${m} ${f.path}`)));
  const inDoc = new Set(Object.entries(doc.paths ?? {}).flatMap(([path, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${path}`)));
  for (const f of files) assert.ok(f.methods.length > 0, `${f.file} exports no HTTP method`);
  assert.deepEqual(
    [...inCode].filter((k) => !inDoc.has(k)),
    [],
    'routes with no contract',
  );
  assert.deepEqual(
    [...inDoc].filter((k) => !inCode.has(k)),
    [],
    'contracts with no route',
  );
});

/** Compiles (throws when it cannot) and counts one. */
const compileCount = (schema: object): number => (compile(schema) ? 1 : 0);

test('the document is OpenAPI 3.1 and every schema in it compiles as JSON Schema 2020-12', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.info.title && doc.info.version);
  let schemas = 0;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation & { summary?: string; tags?: string[]; parameters?: { schema: object }[] }>)) {
      assert.match(op.summary ?? '', /\p{Script=Han}.* · [A-Za-z]/u, `${method} ${path}: a summary in Chinese and English`);
      assert.equal(op.tags?.length, 1, `${method} ${path}: one tag`);
      for (const p of op.parameters ?? []) schemas += compileCount(p.schema);
      for (const c of Object.values(op.requestBody?.content ?? {})) schemas += compileCount(c.schema);
      for (const [status, r] of Object.entries(op.responses)) {
        assert.match(status, /^[1-5][0-9][0-9]$/);
        for (const c of Object.values(r.content ?? {})) schemas += compileCount(c.schema);
      }
      // Path parameters named in the path are declared, and only those.
      const named = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => (p as unknown as { in: string }).in === 'path').map((p) => (p as unknown as { name: string }).name);
      assert.deepEqual(declared.sort(), named.sort(), `${method} ${path}: path parameters`);
    }
  }
  for (const s of Object.values(doc.components?.schemas ?? {})) schemas += compileCount(s as object);
  assert.ok(schemas > 100, `compiled ${schemas} schemas`);
});

// ---- real requests against a real server ----

let server: LinkTestServer;
let base: string;
const cookies: Record<string, { cookie: string; csrf: string }> = {};
let ingestToken: string;
const checked: string[] = [];

/** What Next does in production, for the route files: match the path, call the method's handler. */
async function routeHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  // As Next does: a static segment wins over a dynamic one (/api/links/wms before /api/links/{system}).
  const route = routeFiles()
    .filter((f) => f.pattern.test(url.pathname))
    .sort((x, y) => x.names.length - y.names.length)[0];
  if (!route) return void res.writeHead(404).end();
  const mod = (await import(join(process.cwd(), route.file))) as Record<string, (r: Request, ctx: unknown) => Promise<Response> | Response>;
  const fn = mod[req.method ?? 'GET'];
  if (!fn) return void res.writeHead(405).end();
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const request = new Request(url, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
  const values = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
  const response = await fn(request, { params: Promise.resolve(Object.fromEntries(route.names.map((n, i) => [n, values[i]]))) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

before(async () => {
  server = await startLinkTestServer(undefined, { WEBHOOKS_ALLOW_PRIVATE: '1' }, routeHandler);
  base = `http://127.0.0.1:${server.app.port}`;
  for (const role of ['viewer', 'officer', 'supervisor'] as const) {
    const id = await createTestUser(server.db.pool, { username: `oa-${role}`, role });
    const s = await server.app.sessions.create(id, '127.0.0.1', 'test');
    cookies[role] = { cookie: `${SESSION_COOKIE}=${s.token}`, csrf: s.csrf };
  }
  ingestToken = (await (await import('../ingest/tokens')).issueIngestToken(server.db.pool, { name: 'oa-feed', district: '0000', kind: 'positions' })).token;
});
after(async () => {
  await server?.close();
});

/**
 * Sends a request, checks the body sent and the answer got against the document's operation for
 * `template` (the path as the document names it), and returns the answer's status and JSON.
 */
async function call(
  method: string,
  template: string,
  path: string,
  opts: { as?: 'viewer' | 'officer' | 'supervisor' | 'nobody'; body?: unknown; text?: string; bearer?: string; headers?: Record<string, string>; expect: number },
): Promise<{ status: number; body: unknown }> {
  const op = operation(method, template);
  assert.ok(op, `${method} ${template} is not in the document`);
  const headers: Record<string, string> = {};
  const who = opts.as ?? 'viewer';
  if (who !== 'nobody' && !opts.bearer) headers.cookie = cookies[who]!.cookie;
  if (who !== 'nobody' && !opts.bearer && method !== 'GET') headers['x-csrf-token'] = cookies[who]!.csrf;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  Object.assign(headers, opts.headers);
  let text: string | undefined;
  if (opts.text !== undefined) {
    text = opts.text;
    headers['content-type'] = 'text/plain';
    const schema = op.requestBody?.content['text/plain']?.schema;
    assert.ok(schema, `${method} ${template} takes no text body`);
    assert.ok(compile(schema)(text), `${method} ${template}: a text body`);
  }
  if (opts.body !== undefined) {
    text = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
    const schema = op.requestBody?.content['application/json']?.schema;
    assert.ok(schema, `${method} ${template} takes no JSON body`);
    const validate = compile(schema);
    // A request the server refuses may well break the contract: only check what it should take.
    if (opts.expect < 400) assert.ok(validate(opts.body), `${method} ${template} request: ${ajv.errorsText(validate.errors)}`);
  }
  const res = await fetch(base + path, { method, headers, body: text });
  const raw = await res.text();
  assert.equal(res.status, opts.expect, `${method} ${path}: ${res.status} ${raw.slice(0, 300)}`);
  const response = op.responses[String(res.status)];
  assert.ok(response, `${method} ${template}: status ${res.status} is not in the document`);
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
  const media = response.content?.[type];
  assert.ok(media, `${method} ${template} ${res.status}: ${type} is not in the document`);
  if (type !== 'application/json') return { status: res.status, body: raw };
  const body = JSON.parse(raw);
  const validate = compile(media.schema);
  assert.ok(validate(body), `${method} ${template} ${res.status} response: ${ajv.errorsText(validate.errors)}\n${raw.slice(0, 500)}`);
  checked.push(`${method} ${template} ${res.status}`);
  return { status: res.status, body };
}

test('sample requests and their real answers validate against the document', async (t) => {
  const now = Date.now();
  // Reads.
  const me = (await call('GET', '/api/auth/me', '/api/auth/me', { expect: 200 })).body as { user: { username: string } };
  assert.equal(me.user.username, 'oa-viewer');
  for (const p of ['/api/consignments', '/api/alerts', '/api/assets', '/api/sites', '/api/routes', '/api/zones', '/api/world', '/api/kpis', '/api/inspections', '/api/port-calls'])
    await call('GET', p, p, { expect: 200 });
  await call('GET', '/api/search', `/api/search?q=${encodeURIComponent('沪A')}`, { expect: 200 });
  await call('GET', '/api/sites/{code}/ledger', `/api/sites/${WORLD.sites.terminal}/ledger`, { expect: 200 });
  await call('GET', '/api/devices', '/api/devices', { as: 'supervisor', expect: 200 });
  await call('GET', '/api/ledger/verify', '/api/ledger/verify', { as: 'supervisor', expect: 200 });
  const assets = (await call('GET', '/api/assets', '/api/assets', { expect: 200 })).body as { id: number; key: string }[];
  const truck = assets.find((a) => a.key === WORLD.trucks.sh.key)!;
  await call('GET', '/api/assets/{id}/track', `/api/assets/${truck.id}/track?from=${now - 3_600_000}&to=${now}`, { expect: 200 });
  await call('GET', '/api/assets/{id}/journey', `/api/assets/${truck.id}/journey`, { expect: 200 });

  // A movement created, read, and closed.
  const departure = new Date(now - 600_000).toISOString();
  const deadline = new Date(now + 6 * 3_600_000).toISOString();
  const created = (
    await call('POST', '/api/consignments', '/api/consignments', {
      as: 'supervisor',
      body: { reference: 'OA-0001', asset: WORLD.trucks.sh.key, route: WORLD.route, departure, deadline, goods: '电子元件' },
      expect: 201,
    })
  ).body as { id: number };
  const list = (await call('GET', '/api/consignments', '/api/consignments', { expect: 200 })).body as { total: number };
  assert.equal(list.total, 1);
  await call('GET', '/api/consignments/{id}', `/api/consignments/${created.id}`, { expect: 200 });
  await call('GET', '/api/consignments/{id}/journey', `/api/consignments/${created.id}/journey`, { expect: 200 });
  await call('GET', '/api/consignments/{id}/documents', `/api/consignments/${created.id}/documents`, { expect: 200 });
  await call('POST', '/api/consignments/{id}/close', `/api/consignments/${created.id}/close`, { as: 'supervisor', body: { reason: '测试结束' }, expect: 200 });
  await call('POST', '/api/consignments/{id}/close', `/api/consignments/${created.id}/close`, { as: 'supervisor', body: { reason: 'again' }, expect: 409 });

  // A customs link message (the manifest fixture), its retry, and the stored message.
  const links = await server.token('oa-links', '0000');
  const manifest = readFileSync(join(process.cwd(), 'server/links/manifest/fixtures/mt1101.json'), 'utf8');
  const receipt = (await call('POST', '/api/links/{system}', '/api/links/manifest', { bearer: links, text: manifest, expect: 201 })).body as { id: number; status: string };
  assert.equal(receipt.status, 'applied');
  assert.equal(((await call('POST', '/api/links/{system}', '/api/links/manifest', { bearer: links, text: manifest, expect: 200 })).body as { status: string }).status, 'duplicate');
  await call('GET', '/api/links/messages/{id}', `/api/links/messages/${receipt.id}`, { expect: 200 });
  await call('POST', '/api/links/{system}', '/api/links/nosuch', { bearer: links, text: manifest, expect: 404 });
  await call('POST', '/api/links/{system}', '/api/links/manifest', { bearer: links, text: '<not xml', expect: 400 });

  // An alert listed, acknowledged, resolved, and acknowledged again (409).
  const raised = await server.app.alerts.raiseExternal({
    type: 'GATE_MISMATCH',
    assetId: truck.id,
    consignmentId: created.id,
    time: now,
    lon: 121.6,
    lat: 31.34,
    detail: { plate: WORLD.trucks.sh.plate },
    episode: 'oa-gate-1',
    districts: ['2200'],
  });
  assert.ok(raised);
  const alerts = (await call('GET', '/api/alerts', '/api/alerts', { expect: 200 })).body as { total: number };
  assert.equal(alerts.total, 1);
  await call('POST', '/api/alerts/{id}/ack', `/api/alerts/${raised.id}/ack`, { as: 'officer', body: { note: '已核实' }, expect: 200 });
  await call('POST', '/api/alerts/{id}/resolve', `/api/alerts/${raised.id}/resolve`, { as: 'officer', body: { note: '已处置' }, expect: 200 });
  await call('POST', '/api/alerts/{id}/ack', `/api/alerts/${raised.id}/ack`, { as: 'officer', expect: 409 });

  // A site saved (201, then 200 on update) and a zone saved and deleted.
  const square = (x: number, y: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + 0.01, y],
        [x + 0.01, y + 0.01],
        [x, y + 0.01],
        [x, y],
      ],
    ],
  });
  const site = { code: 'OA-SITE', nameZh: '测试场所', nameEn: 'Test site', kind: 'warehouse', district: '2200', area: square(121.4, 31.2) };
  await call('POST', '/api/sites', '/api/sites', { as: 'supervisor', body: site, expect: 201 });
  await call('POST', '/api/sites', '/api/sites', { as: 'supervisor', body: { ...site, nameEn: 'Test site 2' }, expect: 200 });
  const zone = { type: 'Feature', geometry: square(121.5, 31.3), properties: { code: 'OA-ZONE', nameZh: '测试禁区', nameEn: 'Test zone', kind: 'restricted', district: '2200' } };
  await call('POST', '/api/zones', '/api/zones', { as: 'supervisor', body: zone, expect: 201 });
  await call('GET', '/api/zones', '/api/zones', { expect: 200 });
  await call('DELETE', '/api/zones/{code}', '/api/zones/OA-ZONE', { as: 'supervisor', expect: 200 });

  // A kiosk token issued and revoked.
  const kiosk = (await call('POST', '/api/kiosk-tokens', '/api/kiosk-tokens', { as: 'supervisor', body: { username: 'oa-viewer', label: '大屏1', days: 1 }, expect: 201 }))
    .body as {
    id: string;
  };
  await call('DELETE', '/api/kiosk-tokens/{id}', `/api/kiosk-tokens/${kiosk.id}`, { as: 'supervisor', expect: 200 });

  // Partners: a JT/T 809 lower platform, a warehouse system and a signed event from it, a webhook.
  const platform = (
    await call('POST', '/api/jt809/platforms', '/api/jt809/platforms', {
      as: 'supervisor',
      body: { accessCode: 3100001, userId: 31001, password: 'pw809sh', name: '上海运输平台', district: '2200' },
      expect: 201,
    })
  ).body as { id: number };
  await call('GET', '/api/jt809/platforms', '/api/jt809/platforms', { as: 'supervisor', expect: 200 });
  await call('POST', '/api/assets/{id}/jt809-request', `/api/assets/${truck.id}/jt809-request`, { as: 'officer', body: { minutes: 30 }, expect: 409 });
  await call('DELETE', '/api/jt809/platforms/{id}', `/api/jt809/platforms/${platform.id}`, { as: 'supervisor', expect: 200 });
  const wms = (
    await call('POST', '/api/links/wms/systems', '/api/links/wms/systems', {
      as: 'supervisor',
      body: { name: 'oa-wms', district: '2200', sites: [WORLD.sites.bonded] },
      expect: 201,
    })
  ).body as { id: number; secret: string };
  await call('GET', '/api/links/wms/systems', '/api/links/wms/systems', { as: 'supervisor', expect: 200 });
  const goodsIn = { eventId: 'OA-WMS-1', type: 'GOODS_IN', site: WORLD.sites.bonded, time: new Date(now - 60_000).toISOString(), container: 'MSKU1234565', packages: 10 };
  const signed = () => signedHeaders('oa-wms', wms.secret, JSON.stringify(goodsIn));
  await call('POST', '/api/links/wms', '/api/links/wms', { as: 'nobody', body: goodsIn, headers: signed(), expect: 201 });
  await call('POST', '/api/links/wms', '/api/links/wms', { as: 'nobody', body: goodsIn, headers: signed(), expect: 200 });
  await call('POST', '/api/links/wms', '/api/links/wms', { as: 'nobody', body: goodsIn, headers: { ...signed(), 'x-tw-signature': 'sha256=00' }, expect: 401 });
  await call('DELETE', '/api/links/wms/systems/{id}', `/api/links/wms/systems/${wms.id}`, { as: 'supervisor', expect: 200 });
  const hook = (
    await call('POST', '/api/webhooks', '/api/webhooks', { as: 'supervisor', body: { url: 'http://127.0.0.1:9/hook', alertTypes: ['GATE_MISMATCH'], eventKinds: [] }, expect: 201 })
  ).body as { id: string };
  await call('GET', '/api/webhooks', '/api/webhooks', { as: 'supervisor', expect: 200 });
  await call('GET', '/api/webhooks/{id}', `/api/webhooks/${hook.id}`, { as: 'supervisor', expect: 200 });
  await call('PATCH', '/api/webhooks/{id}', `/api/webhooks/${hook.id}`, { as: 'supervisor', body: { enabled: false }, expect: 200 });
  await call('GET', '/api/webhooks/{id}/deliveries', `/api/webhooks/${hook.id}/deliveries`, { as: 'supervisor', expect: 200 });
  await call('POST', '/api/webhooks/{id}/redeliver', `/api/webhooks/${hook.id}/redeliver`, { as: 'supervisor', body: {}, expect: 200 });
  await call('GET', '/api/webhooks/{id}', '/api/webhooks/not-a-uuid', { as: 'supervisor', expect: 404 });
  await call('DELETE', '/api/webhooks/{id}', `/api/webhooks/${hook.id}`, { as: 'supervisor', expect: 200 });

  // A feed's batch with nothing usable: 422 with each reason.
  const fed = (await call('POST', '/api/ingest/positions', '/api/ingest/positions', { bearer: ingestToken, body: { reports: [{ lon: 500 }] }, expect: 422 })).body as {
    rejected: unknown[];
  };
  assert.equal(fed.rejected.length, 1);

  // Refusals: 400, 401, 403, 404, each the shared error shape.
  await call('GET', '/api/consignments', '/api/consignments?limit=0', { expect: 400 });
  await call('POST', '/api/consignments', '/api/consignments', { as: 'supervisor', body: { reference: 'x' }, expect: 400 });
  await call('GET', '/api/consignments/{id}', '/api/consignments/abc', { expect: 400 });
  await call('DELETE', '/api/kiosk-tokens/{id}', '/api/kiosk-tokens/not-hex', { as: 'supervisor', expect: 400 });
  await call('GET', '/api/alerts', '/api/alerts', { as: 'nobody', expect: 401 });
  await call('POST', '/api/auth/login', '/api/auth/login', { as: 'nobody', body: { username: 'oa-viewer', password: 'wrong' }, expect: 401 });
  await call('POST', '/api/auth/login', '/api/auth/login', { as: 'nobody', body: { username: '' }, expect: 400 });
  await call('POST', '/api/sites', '/api/sites', { as: 'viewer', body: site, expect: 403 });
  await call('GET', '/api/consignments/{id}', '/api/consignments/999999', { expect: 404 });
  await call('POST', '/api/alerts/{id}/ack', '/api/alerts/999999/ack', { as: 'officer', expect: 404 });
  await call('GET', '/api/sites/{code}/ledger', '/api/sites/NO-SUCH/ledger', { expect: 404 });
  await call('DELETE', '/api/devices/{id}', '/api/devices/999999', { as: 'supervisor', expect: 404 });

  // The document and its page, without a session.
  await call('GET', '/api/openapi.json', '/api/openapi.json', { as: 'nobody', expect: 200 });
  const page = await call('GET', '/api/docs', '/api/docs', { as: 'nobody', expect: 200 });
  assert.match(String(page.body), /swagger-ui-bundle\.js/);
  await call('GET', '/api/docs/{file}', '/api/docs/theme.css', { as: 'nobody', expect: 200 });
  const bundle = await fetch(`${base}/api/docs/swagger-ui-bundle.js`);
  assert.equal(bundle.status, 200);
  assert.ok((await bundle.text()).length > 100_000);
  await call('GET', '/api/docs/{file}', '/api/docs/package.json', { as: 'nobody', expect: 404 });
  const escape = await fetch(`${base}/api/docs/..%2F..%2Fpackage.json`);
  assert.notEqual(escape.status, 200);
  assert.ok(checked.length >= 40, `checked ${checked.length} answers`);
  t.diagnostic(`${checked.length} JSON answers of ${new Set(checked.map((c) => c.split(' ').slice(0, 2).join(' '))).size} operations validated`);
});
