// The guard over real HTTP from startApp (no Next: a stand-in handler answers 404 and echoes the
// CSP it was handed). Raw request paths, sent as written (fetch would resolve the dots itself).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { freshDatabase, testPoolMax, type TestDatabase } from '@/db/testing';
import { startApp, type App } from '@/server/app';
import { loadConfig } from '@/server/config';
import { createTestUser, sessionCookie } from '@/server/auth/testing';
import { normalPath } from './normalPath';

let db: TestDatabase;
let app: App;
let cookie: string;

before(async () => {
  db = await freshDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', DATABASE_POOL_MAX: String(testPoolMax()), NODE_ENV: 'test' });
  app = await startApp(config, {
    say: () => {},
    // Stands in for Next: what reaches it passed the guard. It shows the policy it was handed.
    handler: (req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain', 'x-seen-csp': String(req.headers['content-security-policy'] ?? '') }).end('not found');
    },
  });
  cookie = await sessionCookie(app.sessions, await createTestUser(db.pool, { username: 'guard-viewer' }));
});
after(async () => {
  await app.close();
  await db.drop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

function raw(path: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: app.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('attack: /_next/static/../../console (and /wall, /alerts) does not pass as a public static file', async () => {
  for (const page of ['console', 'wall', 'alerts']) {
    for (const path of [
      `/_next/static/../../${page}`,
      `/_next/static/%2e%2e/%2E%2E/${page}`,
      `/_next/static/..%2f..%2f${page}`,
      `/_next/static/..\\..\\${page}`,
      `/_next/static//..//../${page}`,
    ]) {
      const first = await raw(path);
      assert.equal(first.status, 308, path);
      assert.equal(first.headers.location, `/${page}`, path);
      // Where it leads is judged as itself: no session, to the sign-in page.
      const second = await raw(first.headers.location as string);
      assert.equal(second.status, 303);
      assert.equal(second.headers.location, `/login?next=%2F${page}`);
    }
  }
  // Not even with a session does the odd form reach Next: it is sent to the normal one.
  assert.equal((await raw('/_next/static/../../console', { headers: { cookie } })).status, 308);
});

test('attack: paths that lead above /, are double-encoded or are not paths at all are refused', async () => {
  for (const path of ['/../console', '/_next/static/../../../console', '/_next/static/%252e%252e/%252e%252e/console', 'http://evil.example/console']) {
    assert.equal((await raw(path)).status, 400, path);
  }
  // API calls and changes are refused rather than redirected.
  assert.equal((await raw('/api/ingest/../consignments', { method: 'GET' })).status, 400);
  assert.equal((await raw('/api/auth/login/../../consignments')).status, 400);
  const changed = await raw('/login/../api/kiosk-tokens', { method: 'POST', headers: { 'content-length': '0' } });
  assert.equal(changed.status, 400);
});

test('attack: what the guard lets through is only what its normal form allows', async () => {
  // A real static path passes the guard (the stand-in handler answers 404); so does a page with a session.
  assert.equal((await raw('/_next/static/chunks/app.js')).status, 404);
  assert.equal((await raw('/console', { headers: { cookie } })).status, 404);
  assert.equal((await raw('/console')).status, 303);
  // Escapes that name a segment rather than move between them are left alone (no redirect loop).
  assert.equal((await raw('/_next/static/chunks/%5Broot%5D__x.js')).status, 404);
});

test('normal form: dots, doubled slashes, backslashes and encoded separators resolved; other escapes kept', () => {
  assert.deepEqual(normalPath('/a/./b//c/../d'), { ok: true, path: '/a/b/d' });
  assert.deepEqual(normalPath('/a%2Fb%5cc'), { ok: true, path: '/a/b/c' });
  assert.deepEqual(normalPath('/%E4%B8%AD/x%5B1%5D'), { ok: true, path: '/%E4%B8%AD/x%5B1%5D' });
  assert.deepEqual(normalPath('/console/'), { ok: true, path: '/console/' });
  assert.deepEqual(normalPath('/'), { ok: true, path: '/' });
  assert.equal(normalPath('/a/../..').ok, false);
});

test('attack: CSP has a fresh nonce per response, no unsafe-inline for scripts, and connect-src to this origin only', async () => {
  const a = await raw('/login', { headers: { 'content-security-policy': "script-src 'nonce-chosenbyattacker'" } });
  const b = await raw('/login');
  const cspA = String(a.headers['content-security-policy']);
  const cspB = String(b.headers['content-security-policy']);
  const nonceOf = (csp: string) => /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  assert.ok(nonceOf(cspA) && nonceOf(cspB), cspA);
  assert.notEqual(nonceOf(cspA), nonceOf(cspB), 'a new nonce for every response');
  assert.ok(Buffer.from(nonceOf(cspA)!, 'base64').length >= 16, '128 bits at least');
  const script = /(?:^|; )script-src ([^;]*)/.exec(cspA)![1]!;
  assert.ok(!script.includes("'unsafe-inline'"), script);
  assert.equal(/(?:^|; )connect-src ([^;]*)/.exec(cspA)![1], "'self' data: blob:");
  // Next reads the nonce from the request's policy: it was handed this response's, not the client's.
  assert.equal(a.headers['x-seen-csp'], cspA);
  assert.ok(!cspA.includes('chosenbyattacker'));
});

test('the API description and its reference page are readable without a session, and only readable', async () => {
  for (const path of ['/api/openapi.json', '/api/docs', '/api/docs/swagger-ui.css']) assert.equal((await raw(path)).status, 404, `${path} reaches the handler`);
  for (const method of ['POST', 'PUT', 'DELETE']) assert.equal((await raw('/api/docs/init.js', { method, headers: { 'content-length': '0' } })).status, 401, method);
  // Near names are not public.
  for (const path of ['/api/openapi.jsonx', '/api/docsx', '/api/docs/../alerts']) assert.notEqual((await raw(path)).status, 404, path);
});

test('attack: only a signed POST to /api/links/wms passes without a session (the route checks the HMAC); the header opens nothing else', async () => {
  const signed = { 'x-tw-signature': 'sha256=00', 'content-length': '0' };
  assert.equal((await raw('/api/links/wms', { method: 'POST', headers: signed })).status, 404, 'reaches the route');
  assert.equal((await raw('/api/links/wms', { method: 'POST', headers: { 'content-length': '0' } })).status, 401);
  assert.equal((await raw('/api/links/wms', { method: 'GET', headers: signed })).status, 401);
  assert.equal((await raw('/api/links/gate', { method: 'POST', headers: signed })).status, 401);
  assert.equal((await raw('/api/links/wms/systems', { method: 'POST', headers: signed })).status, 401);
  assert.equal((await raw('/api/links/wms/../wms/systems', { method: 'POST', headers: signed })).status, 400);
});
