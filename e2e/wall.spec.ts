// The monitoring-centre wall in a real Chromium against the real server and its demo feed: KPI
// tiles that match the database, a critical alert through the pipeline taking the camera and
// the ticker, recovery from a live-side restart without reload, and a kiosk link.
import { test, expect, request as playwrightRequest, type Page } from '@playwright/test';
import pg from 'pg';
import { apiAs, signInPage } from './signIn';

const TOKEN = process.env.E2E_INGEST_TOKEN ?? 'e2e-ingest-token-0123456789';
// Shanghai customs and the offices under it: what sh-viewer may see.
const SH = ['2200', '2218', '2248'];

let pool: pg.Pool;
test.beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});
test.afterAll(async () => {
  await pool.end();
});

/** The figures, counted straight from the tables (not through the KPI query or the jurisdiction functions). */
async function expected() {
  const today = `(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;
  const {
    rows: [m],
  } = await pool.query(
    `SELECT count(*) FILTER (WHERE status IN ('in_transit', 'overdue', 'diverted'))::int AS "inTransit",
            count(*) FILTER (WHERE arrived_at >= ${today})::int AS "arrivedToday"
     FROM consignments WHERE districts && $1`,
    [SH],
  );
  const {
    rows: [al],
  } = await pool.query(`SELECT count(*)::int AS n FROM alerts WHERE districts && $1 AND state = 'open' AND severity <> 'info'`, [SH]);
  const {
    rows: [live],
  } = await pool.query(
    `SELECT count(*)::int AS n FROM assets a
     WHERE (a.district = ANY ($1) OR EXISTS (SELECT 1 FROM consignments c WHERE c.asset_id = a.id
              AND c.status IN ('planned', 'in_transit', 'overdue', 'diverted') AND c.districts && $1))
       AND EXISTS (SELECT 1 FROM positions p WHERE p.asset_id = a.id
              AND p.time > now() - CASE a.kind WHEN 'vessel' THEN interval '10 minutes' ELSE interval '5 minutes' END)`,
    [SH],
  );
  return { ...m, openAlerts: al.n, assetsLive: live.n } as Record<string, number>;
}

const tileNumber = async (page: Page, id: string) => Number((await page.getByTestId(`kpi-${id}-value`).textContent())!.replace(/[^0-9]/g, ''));

async function openWall(page: Page, user: string) {
  await signInPage(page, user, '/wall');
  await expect(page).toHaveURL(/\/wall$/);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
  await page.waitForFunction(() => window.__tw?.worldLoaded && window.__tw.frames > 5, undefined, { timeout: 60_000 });
}

test('the wall: KPI tiles match the database, a critical alert takes the camera and the ticker', async ({ page, baseURL }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openWall(page, 'sh-viewer');

  // Each tile equals the database at some moment (figures move with the demo feed, so poll both).
  for (const [tile, key] of [
    ['in-transit', 'inTransit'],
    ['arrived-today', 'arrivedToday'],
    ['open-alerts', 'openAlerts'],
    ['assets-live', 'assetsLive'],
  ] as const) {
    await expect
      .poll(async () => (await tileNumber(page, tile)) - (await expected())[key]!, { message: `${tile} matches the database`, timeout: 45_000, intervals: [1000] })
      .toBe(0);
  }
  expect(await tileNumber(page, 'in-transit')).toBeGreaterThan(0);
  expect(await tileNumber(page, 'assets-live')).toBeGreaterThan(0);
  await expect(page.getByTestId('wall-districts').locator('li')).toHaveCount(2); // 外高桥, 洋山
  await expect(page.getByTestId('wall-clock')).toContainText(/\d{2}:\d{2}:\d{2}/);

  // A seal alarm through the real pipeline on a sealed Shanghai movement.
  const sh = await apiAs(baseURL!, 'sh-officer');
  const list = await (await sh.get('/api/consignments?status=in_transit&limit=200')).json();
  let c: { id: number; reference: string; sealId: string; asset: { id: number } } | undefined;
  for (const x of list.items.filter((x: { sealId: string | null; districts: string[] }) => x.sealId && x.districts.includes('2200'))) {
    if ((await (await sh.get(`/api/alerts?type=SEAL_ALARM&consignment=${x.id}`)).json()).total === 0) {
      c = x;
      break;
    }
  }
  expect(c, 'a sealed Shanghai movement without a seal alarm').toBeTruthy();
  const machine = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  expect((await machine.post('/api/ingest/events', { data: [{ kind: 'seal_opened', time: Date.now() - 1000, reference: c!.reference, sealId: c!.sealId }] })).status()).toBe(200);

  // The camera flies to it and the asset is highlighted; the ticker shows it, newest first.
  // waitForFunction resolves on a truthy value only: the focused alert.
  const focus = (await page
    .waitForFunction(
      (ref) => {
        const f = window.__twWall?.focus;
        return f && f.alert.consignmentRef === ref ? f.alert : null;
      },
      c!.reference,
      { timeout: 15_000 },
    )
    .then((h) => h.jsonValue()))!;
  expect(focus.type).toBe('SEAL_ALARM');
  await expect(page.getByTestId('wall-focus')).toContainText('关锁报警');
  await page.waitForFunction(
    ([lon, lat]: [number, number]) => {
      const map = window.__tw.map;
      const ctr = map.getCenter();
      return !map.isMoving() && map.getZoom() > 10.5 && Math.abs(ctr.lng - lon) < 0.01 && Math.abs(ctr.lat - lat) < 0.01;
    },
    [focus.lon!, focus.lat!] as [number, number],
    { timeout: 15_000 },
  ); // the wall focuses only alerts with a position
  expect(await page.evaluate(() => window.__tw.highlight?.assetId)).toBe(c!.asset.id);
  const first = page.getByTestId('ticker-item').first();
  await expect(first).toHaveAttribute('data-alert-id', String(focus.id));
  await expect(first).toContainText('关锁报警');
  await expect(first).toContainText('严重');
  await page.screenshot({ path: 'test-results/screens/wall-focus.png' });

  // A few seconds later it returns to the overview, and the open-alert tile counted it.
  await page.waitForFunction(() => !window.__twWall.focus && window.__tw.map.getZoom() < 10 && !window.__tw.map.isMoving(), undefined, { timeout: 20_000 });
  await expect.poll(async () => (await tileNumber(page, 'open-alerts')) - (await expected()).openAlerts!, { timeout: 30_000 }).toBe(0);
  expect(errors).toEqual([]);
});

test('the wall recovers from a restart of the live side by itself, without a reload', async ({ page, request }) => {
  await openWall(page, 'hq-viewer');
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  const before = await page.evaluate(() => ({ kpi: window.__twWall.kpiFetches, ticker: window.__twWall.tickerFetches, snapshots: window.__twWall.snapshots }));

  const r = await request.post('/api/test/live-restart?ms=6000');
  expect(r.status()).toBe(200);
  expect((await r.json()).dropped).toBeGreaterThan(0);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'stale');
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });

  // A fresh snapshot, the figures and the ticker fetched again; the same document throughout.
  await page.waitForFunction(
    (b) => {
      const w = window.__twWall;
      return w.snapshots > b.snapshots && w.kpiFetches > b.kpi && w.tickerFetches > b.ticker;
    },
    before,
    { timeout: 20_000 },
  );
  expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
  const frames = await page.evaluate(() => window.__tw.frames);
  await page.waitForFunction((f) => window.__tw.frames > f + 10 && window.__tw.store.count > 50, frames);
});

test('tour mode visits the districts in turn', async ({ page }) => {
  await signInPage(page, 'hq-viewer', '/wall?tour=10');
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('wall-districts').locator('li.on')).toHaveCount(0);
  // After 10 s the first direct customs (上海海关, 2200): named in the header, its bar marked, the camera on it.
  await expect(page.locator('.wall-tour')).toContainText('上海海关', { timeout: 25_000 });
  await expect(page.getByTestId('wall-districts').locator('li.on')).toHaveAttribute('data-code', '2200');
  await page.waitForFunction(
    () => {
      const { map } = window.__tw;
      const c = map.getCenter();
      return !map.isMoving() && c.lng > 119 && c.lng < 123 && c.lat > 29.5 && c.lat < 32.5;
    },
    undefined,
    { timeout: 15_000 },
  );
  await expect(page.locator('.wall-tour')).toContainText('南京海关', { timeout: 25_000 });
});

test('a kiosk link signs a wall in as a read-only account and leaves the address bar clean', async ({ browser, baseURL }) => {
  const sup = await apiAs(baseURL!, 'sh-supervisor');
  const csrf = (await (await sup.get('/api/auth/me')).json()).csrf;
  const refused = await sup.post('/api/kiosk-tokens', { data: { username: 'sh-officer' }, headers: { 'x-csrf-token': csrf } });
  expect(refused.status(), 'only viewer accounts').toBe(400);
  expect((await sup.post('/api/kiosk-tokens', { data: { username: 'hq-viewer' }, headers: { 'x-csrf-token': csrf } })).status(), 'only within jurisdiction').toBe(404);
  const issued = await sup.post('/api/kiosk-tokens', { data: { username: 'sh-viewer', label: 'e2e wall' }, headers: { 'x-csrf-token': csrf } });
  expect(issued.status()).toBe(201);
  const { path, id } = await issued.json();

  // Another site cannot navigate a visitor into the wall's account.
  expect((await sup.get(path, { headers: { 'sec-fetch-site': 'cross-site' }, maxRedirects: 0 })).status()).toBe(403);

  const page = await (await browser.newContext()).newPage();
  await page.goto(path);
  await expect(page).toHaveURL(/\/wall$/);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('kpi-in-transit-value')).not.toHaveText('—');
  const me = await (await page.request.get('/api/auth/me')).json();
  expect(me.user).toMatchObject({ username: 'sh-viewer', role: 'viewer' });
  // Read-only: acknowledging is refused.
  const ack = await page.request.post('/api/alerts/1/ack', { headers: { 'x-csrf-token': me.csrf } });
  expect(ack.status()).toBe(403);

  // Revoked: the token no longer signs in, and its session ends.
  expect((await sup.delete(`/api/kiosk-tokens/${id}`, { headers: { 'x-csrf-token': csrf } })).status()).toBe(200);
  await expect.poll(async () => (await page.request.get('/api/auth/me')).status(), { timeout: 20_000 }).toBe(401);
  const again = await (await browser.newContext()).newPage();
  expect((await again.goto(path))!.status()).toBe(401);
  await page.context().close();
  await again.context().close();
});
