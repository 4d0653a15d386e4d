// The console and the alert feed on a phone (390×844, touch), as an officer in the field uses
// them: the page never scrolls sideways, the search finds a movement, its panel and the map are
// both on screen, and the alert feed's cards keep their buttons in reach.
import { test, expect, type Page } from '@playwright/test';
import { apiAs, signInPage } from './signIn';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** How far the page reaches past the screen's width (0: no horizontal scroll). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('phone: console search, panel and map without horizontal scroll; alert feed as cards', async ({ page, baseURL }) => {
  const api = await apiAs(baseURL!, 'sh-officer');
  const list = (await (await api.get('/api/consignments?status=in_transit&limit=20')).json()).items as { reference: string }[];
  expect(list.length, 'movements in transit in the demo').toBeGreaterThan(0);
  const c = list[0]!;

  await signInPage(page, 'sh-officer', '/console');
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
  await expect(page.getByRole('link', { name: '告警' })).toBeInViewport();
  expect(await overflow(page)).toBe(0);

  await page.getByTestId('search-input').fill(c.reference.slice(-10));
  await page.getByTestId('search-hit').filter({ hasText: c.reference }).click();
  await expect(page.getByTestId('cp-reference')).toHaveText(c.reference);
  await expect(page.getByTestId('cp-reference')).toBeInViewport();
  const map = await page.locator('.map-root').boundingBox();
  expect(map && map.width, 'the map spans the screen').toBeGreaterThanOrEqual(380);
  expect(map && map.height, 'the map keeps a useful height').toBeGreaterThan(200);
  expect(await overflow(page)).toBe(0);
  await page.screenshot({ path: 'test-results/screens/phone-console.png' });

  await page.getByRole('link', { name: '告警' }).click();
  await expect(page).toHaveURL(/\/alerts/);
  const row = page.getByTestId('alert-row').first();
  await expect(row).toBeVisible();
  expect(await overflow(page)).toBe(0);
  // The card fits the screen, buttons included.
  const box = (await row.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'test-results/screens/phone-alerts.png' });
});
