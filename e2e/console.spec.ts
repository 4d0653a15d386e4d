// The officer console in a real Chromium against the real server and its demo feed: search by
// plate and by reference, the corridor and track on the map, replay moving the marker, several
// movements together, English labels, and the alert feed opening the console at the alert.
import { test, expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';
import { apiAs, signInPage } from './signIn';

const TOKEN = process.env.E2E_INGEST_TOKEN ?? 'e2e-ingest-token-0123456789';

interface Listed {
  id: number;
  reference: string;
  sealId: string | null;
  route: string | null;
  districts: string[];
  asset: { id: number; plate: string | null };
}

/** Up to `n` of the listed movements whose trucks have reported more than 3 fixes in the last hour (the demo scripts some silences). */
async function reporting(api: APIRequestContext, list: Listed[], n: number): Promise<Listed[]> {
  let found: Listed[] = [];
  await expect
    .poll(
      async () => {
        found = [];
        const now = Date.now();
        for (const x of list.slice(0, 16)) {
          const track = await (await api.get(`/api/assets/${x.asset.id}/track?from=${now - 3_600_000}&to=${now + 60_000}`)).json();
          if (track.geometry.coordinates.length > 3) found.push(x);
          if (found.length === n) break;
        }
        return found.length;
      },
      { timeout: 60_000 },
    )
    .toBe(n);
  return found;
}

/** Where the replay marker of an asset is drawn now, or null. */
const markerOf = (page: Page, assetId: number) =>
  page.evaluate((id) => {
    const m = window.__tw?.replayMarkers?.find((x: { assetId: number }) => x.assetId === id);
    return m ? (m.position as [number, number]) : null;
  }, assetId);

test('console: search by plate and reference, corridor and track, replay moves the marker, English labels', async ({ page, baseURL }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const api = await apiAs(baseURL!, 'hq-viewer');
  const list = (await (await api.get('/api/consignments?status=in_transit&limit=100')).json()).items as Listed[];
  // Two moving consignments with routes whose trucks report.
  const [c, d] = await reporting(
    api,
    list.filter((x) => x.route && x.asset.plate),
    2,
  );

  await signInPage(page, 'hq-viewer', '/console');
  await expect(page).toHaveURL(/\/console/);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
  await expect(page.getByRole('link', { name: '运输跟踪' })).toHaveAttribute('aria-current', 'page');

  // By plate, typed as an officer reads it off a truck: without the printed middle dot.
  const search = page.getByTestId('search-input');
  await search.fill(c!.asset.plate!.replace('·', ''));
  const hit = page.getByTestId('search-hit').filter({ hasText: c!.reference });
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(page.getByTestId('cp-reference')).toHaveText(c!.reference);
  await expect(page.getByTestId('cp-status')).toHaveText('在途');
  await expect(page).toHaveURL(new RegExp(`s=c${c!.id}`));

  // Its corridor and its track from PostGIS on the map, the facts and charts beside it.
  await page.waitForFunction(
    (id) => {
      const s = window.__tw?.scene;
      return s && s.journeys.length === 1 && s.journeys[0]!.asset.id === id && s.focusCorridor.length === 2 && s.runs.length > 0 && s.trips.length === 1;
    },
    c!.asset.id,
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('cp-offroute')).toContainText(/米/);
  await expect(page.getByTestId('chart-offroute').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('timeline').locator('li[data-kind="departure"]')).toBeVisible();

  // Replay: put the slider at its first fix, then play at ×256; the marker must move.
  const fixes: number[] = await page.evaluate(() => window.__tw.scene.journeys[0]!.track.fixes.map((f) => f[2]!));
  expect(fixes.length, 'fixes from the demo feed').toBeGreaterThan(2);
  await page.getByTestId('replay-slider').fill(String(Math.ceil(fixes[0]! / 1000) * 1000));
  await expect.poll(() => markerOf(page, c!.asset.id)).not.toBeNull();
  const start = (await markerOf(page, c!.asset.id))!;
  await expect(page.getByTestId('replay-time')).toHaveText(/\d{2}:\d{2}:\d{2}/);
  await page.getByTestId('replay-speed').selectOption('256');
  await page.getByTestId('replay-play').click();
  await expect
    .poll(
      async () => {
        const now = await markerOf(page, c!.asset.id);
        return now !== null && (now[0] !== start[0] || now[1] !== start[1]);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  await page.screenshot({ path: 'test-results/screens/console-replay-zh.png' });

  // By reference: a second movement joins the replay.
  await search.fill(d!.reference.slice(4, 14));
  await page.getByTestId('search-hit').filter({ hasText: d!.reference }).click();
  await expect(page.getByTestId('cp-reference')).toHaveText(d!.reference);
  await expect(page.getByTestId('selection').locator('li')).toHaveCount(2);
  await page.waitForFunction(() => window.__tw?.scene?.journeys.length === 2);

  // English.
  await page.getByRole('button', { name: 'EN' }).click();
  await expect(page.getByRole('link', { name: 'Tracking' })).toBeVisible();
  await expect(page.getByTestId('consignment-panel')).toContainText('Carrier');
  await expect(page.getByTestId('cp-status')).toHaveText('In transit');
  await expect(page.getByTestId('replay-bar')).toContainText('Speed');
  await page.screenshot({ path: 'test-results/screens/console-en.png' });
  await page.getByRole('button', { name: '中文' }).click();
  expect(errors).toEqual([]);
});

test('console: an alert in the feed opens the console at that movement and moment', async ({ page, baseURL }) => {
  const sh = await apiAs(baseURL!, 'sh-officer');
  const list = (await (await sh.get('/api/consignments?status=in_transit&limit=200')).json()).items as Listed[];
  const [c] = await reporting(sh, list.filter((x) => x.sealId && x.districts.includes('2200')).reverse(), 1);
  const machine = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  const at = Date.now() - 2000;
  expect((await machine.post('/api/ingest/events', { data: [{ kind: 'seal_cut', time: at, reference: c!.reference, sealId: c!.sealId }] })).status()).toBe(200);

  await signInPage(page, 'sh-officer', '/alerts');
  const row = page.getByTestId('alert-row').filter({ hasText: c!.reference }).filter({ hasText: '关锁报警' }).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByTestId('alert-open').click();
  await expect(page).toHaveURL(new RegExp(`/console\\?s=c${c!.id}&at=\\d+`));
  await expect(page.getByTestId('cp-reference')).toHaveText(c!.reference);
  // The replay stands at the alert's moment, and the timeline lists the alert.
  await expect(page.getByTestId('replay-time')).toHaveAttribute('data-replaying', 'true');
  await expect.poll(() => page.evaluate(() => window.__tw?.replayMarkers?.length ?? 0)).toBeGreaterThan(0);
  // …with the map looking closely at where the truck was then.
  await expect.poll(() => page.evaluate(() => window.__tw.map.getZoom())).toBeGreaterThanOrEqual(12);
  await expect(page.getByTestId('timeline').locator('li[data-kind="alert"]').filter({ hasText: '关锁报警' }).first()).toBeVisible();
});
