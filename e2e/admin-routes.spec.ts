// Drawing a route on /admin/routes in a real browser, as a Shanghai supervisor: clicks on the map
// make the path, the corridor shows at the chosen half-width while drawing, and saving stores the
// route (checked in PostGIS: path, corridor area, validity) with who made it; it exports as KML and
// the KML imports back. Sites and zones draw the same way on /admin/sites.
import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import pg from 'pg';
import { signInPage } from './signIn';

async function clickMap(page: Page, points: [number, number][]): Promise<void> {
  const box = (await page.getByTestId('edit-map').boundingBox())!;
  for (const [fx, fy] of points) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    await page.waitForTimeout(150); // a double click would zoom
  }
}

test('draw a route: points by clicking, live corridor, save, stored in PostGIS with its author; KML out and back in', async ({ browser }) => {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signInPage(page, 'sh-supervisor', '/admin/routes');
  await expect(page.getByRole('heading', { name: /路线/ })).toBeVisible();
  await expect(page.getByTestId('route-row').first()).toBeVisible();

  const code = `E2E-R${Date.now() % 100000}`;
  await page.getByRole('button', { name: /新建路线/ }).click();
  await page.locator('input[name=code]').fill(code);
  await page.locator('input[name=nameZh]').fill('测试路线');
  await page.locator('input[name=nameEn]').fill('Test route');
  await page.locator('select[name=from]').selectOption('2200-T01');
  await page.locator('select[name=to]').selectOption('2200-W01');
  await page.locator('input[name=corridorM]').fill('800');
  await page.locator('input[name=validUntil]').fill('2030-12-31T18:00');
  await page.getByLabel(/吸附道路/).uncheck(); // snapping has its own test; here the clicks are the path
  await clickMap(page, [
    [0.3, 0.3],
    [0.45, 0.4],
    [0.55, 0.55],
    [0.7, 0.65],
  ]);
  const stats = page.getByTestId('route-stats');
  await expect(stats).toContainText('4 点');
  const shown = Number((await stats.textContent())!.match(/走廊 ([\d.]+) km²/)![1]);
  expect(shown).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/admin-route-drawn.png' });

  await page.getByRole('button', { name: /保存/ }).click();
  await expect(page.getByRole('status')).toContainText(`已创建 ${code}`);
  await expect(page.getByTestId('route-row').filter({ hasText: code })).toContainText('sh-supervisor');

  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT ST_NPoints(r.path) AS n, r.corridor_m, ST_Area(r.corridor::geography) / 1e6 AS km2, r.valid_until, f.code AS from, t.code AS to
       FROM routes r JOIN sites f ON f.id = r.from_site JOIN sites t ON t.id = r.to_site WHERE r.code = $1`,
      [code],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ n: 4, corridor_m: 800, from: '2200-T01', to: '2200-W01' });
    expect(Math.abs(rows[0].km2 - shown) / rows[0].km2).toBeLessThan(0.05); // the live preview is the stored corridor
    expect(rows[0].valid_until).not.toBeNull();
    const audit = await db.query(`SELECT username FROM audit_log WHERE action = 'route_create' AND entity_id = $1`, [code]);
    expect(audit.rows).toEqual([{ username: 'sh-supervisor' }]);
  } finally {
    await db.end();
  }

  // KML out, and back in as a new route's geometry.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'KML', exact: true }).click();
  const kml = readFileSync((await (await download).path())!, 'utf8');
  expect(kml).toContain('<LineString>');
  await page.getByRole('button', { name: /新建路线/ }).click();
  await expect(stats).toContainText('0 点');
  await page.getByTestId('route-import').setInputFiles({ name: 'route.kml', mimeType: 'application/vnd.google-earth.kml+xml', buffer: Buffer.from(kml) });
  await expect(stats).toContainText('4 点');
  await expect(page.locator('input[name=code]')).toHaveValue(code);
});

test('draw a site polygon on /admin/sites: saved, valid in PostGIS, listed with its author', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, 'sh-supervisor', '/admin/sites');
  await expect(page.getByTestId('area-row').first()).toBeVisible();
  const code = `E2E-S${Date.now() % 100000}`;
  await page.getByRole('button', { name: /新建场所/ }).click();
  await page.locator('input[name=code]').fill(code);
  await page.locator('input[name=nameZh]').fill('测试仓库');
  await page.locator('input[name=nameEn]').fill('Test warehouse');
  await page.locator('select[name=kind]').selectOption('warehouse');
  await page.locator('select[name=district]').selectOption('2200');
  await clickMap(page, [
    [0.4, 0.4],
    [0.6, 0.4],
    [0.6, 0.6],
    [0.4, 0.6],
  ]);
  await expect(page.getByTestId('area-stats')).toContainText('4 顶点');
  await page.getByRole('button', { name: /保存/ }).click();
  await expect(page.getByRole('status')).toContainText(`已创建 ${code}`);
  await expect(page.getByTestId('area-row').filter({ hasText: code })).toContainText('sh-supervisor');
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query(`SELECT ST_IsValid(area) AS valid, ST_NPoints(area) AS n, district FROM sites WHERE code = $1`, [code]);
    expect(rows).toEqual([{ valid: true, n: 5, district: '2200' }]);
  } finally {
    await db.end();
  }
});
