// The live map in a real Chromium against the real server and its demo feed.
import { test, expect } from '@playwright/test';
import { apiAs, signInPage } from './signIn';

test('the live map loads, turns live, and draws assets that can be picked', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page, 'the map needs a session').toHaveURL(/\/login/);
  await signInPage(page, 'hq-viewer');
  await expect(page.getByTestId('user-box')).toContainText('海关总署');

  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
  await expect(page.getByText('监管运输实时监控')).toBeVisible();

  // The demo feed fills the map: a few hundred trucks and vessels.
  await page.waitForFunction(
    () => {
      const tw = window.__tw;
      return tw && tw.worldLoaded && tw.vehicles.n >= 50 && tw.vessels.n >= 20 && tw.frames > 10;
    },
    undefined,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('count-vehicles')).not.toHaveText('0');

  // Pick the marker of a vehicle where it is drawn: deck.gl must find that vehicle there.
  const picked = await page.evaluate(() => {
    const tw = window.__tw;
    for (let i = 0; i < tw.vehicles.n; i++) {
      const lon = tw.vehicles.positions[2 * i]!,
        lat = tw.vehicles.positions[2 * i + 1]!;
      const p = tw.map.project([lon, lat]);
      const { width, height } = tw.map.getCanvas().getBoundingClientRect();
      if (p.x < 20 || p.y < 20 || p.x > width - 20 || p.y > height - 20) continue;
      const info = tw.overlay.pickObject({ x: p.x, y: p.y, radius: 6, layerIds: ['vehicles', 'vessels'] });
      if (info) return { layer: info.layer!.id, x: p.x, y: p.y };
    }
    return null;
  });
  expect(picked, 'a vehicle marker is drawn where the vehicle is').not.toBeNull();

  // Hovering it shows the card with its plate.
  const box = (await page.getByTestId('map').boundingBox())!;
  await page.mouse.move(box.x + picked!.x, box.y + picked!.y);
  await expect(page.getByTestId('hover-card')).toBeVisible();

  // The canvas holds marker colours (teal vehicles, blue vessels), not only the basemap.
  const shot = await page.screenshot();
  await testInfo.attach('live-map', { body: shot, contentType: 'image/png' });
  await page.screenshot({ path: testInfo.outputPath('live-map.png') });
  // Count the screenshot's pixels in the browser (a 2D canvas decodes the PNG for us).
  const colours = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const near = (i: number, r: number, gg: number, b: number) => Math.abs(d[i]! - r) < 30 && Math.abs(d[i + 1]! - gg) < 30 && Math.abs(d[i + 2]! - b) < 30;
    let teal = 0,
      blue = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (near(i, 45, 212, 191)) teal++;
      else if (near(i, 96, 165, 250)) blue++;
    }
    return { teal, blue };
  }, shot.toString('base64'));
  expect(colours.teal, 'teal vehicle pixels').toBeGreaterThan(100);
  expect(colours.blue, 'blue vessel pixels').toBeGreaterThan(100);
  expect(errors).toEqual([]);
});

test('the server answers health and metrics, and the world as GeoJSON', async ({ request, baseURL }) => {
  expect((await request.get('/healthz')).ok()).toBe(true);
  expect((await request.get('/metrics')).status(), 'from loopback: no session needed').toBe(200);
  // The demo feed runs the real ingest path: trucks as JT/T 808 terminals, vessels as AIS.
  await expect
    .poll(async () => (await (await request.get('/metrics')).text()).match(/tw_reports_accepted_total\{source="(jt808|ais)"\} \d+/g)?.length ?? 0, { timeout: 30_000 })
    .toBe(2);
  const hq = await apiAs(baseURL!, 'hq-viewer');
  const world = await (await hq.get('/api/world')).json();
  expect(world.corridors.type).toBe('FeatureCollection');
  expect(world.corridors.features.length).toBeGreaterThanOrEqual(20);
  expect(world.sites.features.length).toBeGreaterThanOrEqual(20);
});
