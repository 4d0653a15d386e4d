// Sign-in, sessions and jurisdiction over HTTP against the real server and its demo data.
import { test, expect, request as playwrightRequest } from '@playwright/test';
import pg from 'pg';
import { apiAs, DEMO_PASSWORD, signInPage } from './signIn';

test('nothing but the sign-in page and health answers without a session', async ({ request }) => {
  expect((await request.get('/api/consignments')).status()).toBe(401);
  expect((await request.get('/api/world')).status()).toBe(401);
  expect((await request.get('/api/auth/me')).status()).toBe(401);
  const page = await request.get('/', { maxRedirects: 0 });
  expect(page.status()).toBe(303);
  expect(page.headers()['location']).toBe('/login?next=%2F');
  expect((await request.get('/login')).status()).toBe(200);
  expect((await request.get('/healthz')).status()).toBe(200);
});

test('every response carries the security headers', async ({ request }) => {
  const res = await request.get('/login');
  const h = res.headers();
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(h['content-security-policy']).toContain('worker-src');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['x-frame-options']).toBe('DENY');
});

test('a wrong password gets a clear 401; repeated failures are rate-limited with a clear 429', async ({ baseURL }) => {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const wrong = await ctx.post('/api/auth/login', { data: { username: 'sh-viewer', password: 'nope' } });
  expect(wrong.status()).toBe(401);
  expect((await wrong.json()).error).toMatch(/Wrong username or password/);
  const bad = await ctx.post('/api/auth/login', { data: { username: '' } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatch(/username/);
  for (let i = 0; i < 5; i++) await ctx.post('/api/auth/login', { data: { username: 'rate-limit-probe', password: `x${i}` } });
  const limited = await ctx.post('/api/auth/login', { data: { username: 'rate-limit-probe', password: 'x' } });
  expect(limited.status()).toBe(429);
  expect((await limited.json()).error).toMatch(/Too many sign-in attempts/);
  expect(Number(limited.headers()['retry-after'])).toBeGreaterThan(0);
});

test('sessions: the cookie is HttpOnly and SameSite; a forged or expired one is refused; sign-out ends it', async ({ baseURL }) => {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const res = await ctx.post('/api/auth/login', { data: { username: 'sh-viewer', password: DEMO_PASSWORD } });
  const setCookie = res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value);
  expect(setCookie.find((c) => c.startsWith('tw_session='))).toMatch(/HttpOnly/i);
  expect(setCookie.find((c) => c.startsWith('tw_session='))).toMatch(/SameSite=Strict/i);
  expect((await ctx.get('/api/auth/me')).status()).toBe(200);

  // A state change without the CSRF header is refused.
  expect((await ctx.post('/api/auth/logout')).status()).toBe(403);

  const forged = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { cookie: 'tw_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
  expect((await forged.get('/api/consignments')).status()).toBe(401);

  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const other = await apiAs(baseURL!, 'sh-officer');
  await db.query(`UPDATE sessions SET expires_at = now() - interval '1 s' WHERE user_id = (SELECT id FROM users WHERE username = 'sh-officer')`);
  // The server re-reads a session from the database at least every 10 s; a new server-side read sees the expiry.
  await expect.poll(async () => (await other.get('/api/auth/me')).status(), { timeout: 20_000, intervals: [1000] }).toBe(401);
  await db.end();

  const csrf = (await (await ctx.get('/api/auth/me')).json()).csrf;
  expect((await ctx.post('/api/auth/logout', { headers: { 'x-csrf-token': csrf } })).status()).toBe(200);
  expect((await ctx.get('/api/auth/me')).status()).toBe(401);
});

test('jurisdiction: an office sees only its own movements; guessing ids and naming other districts reveal nothing', async ({ baseURL }) => {
  const hq = await apiAs(baseURL!, 'hq-viewer');
  const ys = await apiAs(baseURL!, 'ys-viewer');
  const all = await (await hq.get('/api/consignments?limit=500')).json();
  const mine = await (await ys.get('/api/consignments?limit=500')).json();
  expect(all.total).toBeGreaterThan(mine.total);
  expect(mine.total).toBeGreaterThan(0);
  for (const c of mine.items) expect(c.districts).toContain('2248');

  const foreign = all.items.find((c: { districts: string[] }) => !c.districts.includes('2248'));
  expect((await ys.get(`/api/consignments/${foreign.id}`)).status()).toBe(404);
  expect((await hq.get(`/api/consignments/${foreign.id}`)).status()).toBe(200);
  expect((await ys.get(`/api/consignments/${mine.items[0].id}`)).status()).toBe(200);
  // Id guessing: every id up to the largest answers 404 or one of the office's own.
  const own = new Set(mine.items.map((c: { id: number }) => c.id));
  const maxId = Math.max(...all.items.map((c: { id: number }) => c.id));
  for (let id = 1; id <= Math.min(maxId, 120); id++) {
    const r = await ys.get(`/api/consignments/${id}`);
    expect(r.status() === 404 || (r.status() === 200 && own.has(id)), `id ${id}`).toBe(true);
  }
  // A filter naming another district returns nothing of it.
  const nb = await (await ys.get('/api/consignments?district=3100')).json();
  expect(nb.total).toBe(0);
});

test('jurisdiction: a movement crossing districts shows for each district it touches', async ({ baseURL }) => {
  const ys = await apiAs(baseURL!, 'ys-viewer');
  const hz = await apiAs(baseURL!, 'hz-officer');
  const nb = await apiAs(baseURL!, 'nb-officer');
  const ysItems = (await (await ys.get('/api/consignments?limit=500')).json()).items as { id: number; districts: string[] }[];
  const cross = ysItems.find((c) => c.districts.includes('2900'));
  expect(cross, 'a Yangshan → Zhejiang movement').toBeTruthy();
  expect((await hz.get(`/api/consignments/${cross!.id}`)).status()).toBe(200);
  expect((await nb.get(`/api/consignments/${cross!.id}`)).status()).toBe(404);
});

test('SQL injection in every search and filter parameter is inert', async ({ baseURL }) => {
  const ys = await apiAs(baseURL!, 'ys-viewer');
  const mineTotal = (await (await ys.get('/api/consignments')).json()).total;
  const payloads = ["' OR '1'='1", "'; DROP TABLE consignments; --", '%', "\\' OR 1=1 --", "2200' OR '1'='1"];
  for (const p of payloads) {
    const q = await ys.get(`/api/consignments?q=${encodeURIComponent(p)}`);
    expect(q.status()).toBe(200);
    const body = await q.json();
    expect(body.total).toBeLessThanOrEqual(mineTotal);
    for (const c of body.items) expect(c.districts).toContain('2248');
    for (const param of ['district', 'status', 'limit', 'offset']) {
      const r = await ys.get(`/api/consignments?${param}=${encodeURIComponent(p)}`);
      expect(r.status(), `${param}=${p}`).toBe(400);
      expect((await r.json()).error).toContain(param);
    }
    expect((await ys.get(`/api/consignments/${encodeURIComponent(p)}`)).status()).toBe(400);
  }
  const hq = await apiAs(baseURL!, 'hq-viewer');
  expect((await (await hq.get('/api/consignments')).json()).total).toBeGreaterThan(mineTotal);
});

test('the sign-in page signs an officer in and the top bar shows the jurisdiction', async ({ page }) => {
  await signInPage(page, 'ys-viewer');
  await expect(page.getByTestId('user-box')).toContainText('洋山海关');
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
});
