// The alert feed in two officers' browsers: a seal alarm appears in both without reload,
// acknowledging in one shows in the other, resolving needs a note, and English switches labels.
import { test, expect, request as playwrightRequest, type Page } from '@playwright/test';
import { apiAs, signInPage } from './signIn';

const TOKEN = process.env.E2E_INGEST_TOKEN ?? 'e2e-ingest-token-0123456789';

test('alert feed: live in two browsers, acknowledge and resolve with a note, English labels', async ({ browser, baseURL }) => {
  // A Shanghai movement with a seal and no seal alarm yet (alerts-api.spec.ts may have used one).
  const sh = await apiAs(baseURL!, 'sh-officer');
  const list = await (await sh.get('/api/consignments?status=in_transit&limit=200')).json();
  const candidates = list.items.filter((x: { districts: string[]; sealId: string | null }) => x.sealId && x.districts.includes('2200'));
  let c: { id: number; reference: string; sealId: string } | undefined;
  for (const x of candidates.reverse()) {
    const had = await (await sh.get(`/api/alerts?type=SEAL_ALARM&consignment=${x.id}`)).json();
    if (had.total === 0) {
      c = x;
      break;
    }
  }
  expect(c, 'a sealed Shanghai movement without a seal alarm').toBeTruthy();

  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  for (const p of [a, b]) {
    await signInPage(p, 'sh-officer', '/alerts');
    await expect(p).toHaveURL(/\/alerts$/);
    await expect(p.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
    await expect(p.getByRole('link', { name: '告警' })).toHaveAttribute('aria-current', 'page');
  }

  const machine = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  const sent = await machine.post('/api/ingest/events', { data: [{ kind: 'seal_opened', time: Date.now() - 1000, reference: c!.reference, sealId: c!.sealId }] });
  expect(sent.status()).toBe(200);

  const rowIn = (p: Page) => p.getByTestId('alert-row').filter({ hasText: c!.reference }).filter({ hasText: '关锁报警' });
  for (const p of [a, b]) {
    const row = rowIn(p);
    await expect(row).toBeVisible({ timeout: 15_000 });
    await expect(row).toHaveAttribute('data-severity', 'critical');
    await expect(row).toContainText('严重'); // a label, not colour alone
    await expect(row.getByTestId('alert-state')).toHaveText('待处理');
    await expect(row).toContainText(/秒前|分钟前/);
  }
  await a.screenshot({ path: 'test-results/screens/alerts-zh.png', fullPage: false });

  // Acknowledge in A: B sees it without reload.
  await rowIn(a).getByTestId('ack-button').click();
  await expect(rowIn(a)).toHaveAttribute('data-state', 'acknowledged');
  await expect(rowIn(b)).toHaveAttribute('data-state', 'acknowledged');
  await expect(rowIn(b).getByTestId('alert-state')).toHaveText('已确认');
  await expect(rowIn(b)).toContainText('sh-officer');

  // Resolve needs a note.
  await rowIn(a).getByTestId('resolve-button').click();
  const dialog = a.getByTestId('resolve-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('resolve-submit')).toBeDisabled();
  await dialog.getByTestId('resolve-note').fill('   ');
  await expect(dialog.getByTestId('resolve-submit')).toBeDisabled();
  await dialog.getByTestId('resolve-note').fill('现场查验：关锁完好，误报');
  await dialog.getByTestId('resolve-submit').click();
  await expect(dialog).toBeHidden();
  await expect(rowIn(a)).toHaveAttribute('data-state', 'resolved');
  await expect(rowIn(b)).toHaveAttribute('data-state', 'resolved');
  await expect(rowIn(b).getByTestId('alert-note')).toHaveText('现场查验：关锁完好，误报');

  // English: labels change, <html lang> follows, and the choice survives a reload.
  await b.getByTestId('lang-en').click();
  await expect(b.locator('html')).toHaveAttribute('lang', 'en');
  await expect(b.getByRole('link', { name: 'Alerts' })).toBeVisible();
  await expect(b.getByRole('link', { name: 'Live map' })).toBeVisible();
  const rowEn = b.getByTestId('alert-row').filter({ hasText: c!.reference }).filter({ hasText: 'Seal alarm' });
  await expect(rowEn.getByTestId('alert-state')).toHaveText('Resolved');
  await expect(rowEn).toContainText('Critical');
  await expect(b.getByTestId('export-csv')).toHaveText('Export CSV');
  await b.reload();
  await expect(b.getByRole('link', { name: 'Alerts' })).toBeVisible();
  await expect(b.getByTestId('alert-row').filter({ hasText: c!.reference }).getByTestId('alert-state')).toHaveText('Resolved');
  await b.screenshot({ path: 'test-results/screens/alerts-en.png', fullPage: false });

  // Filters drive the query: only resolved seal alarms, and the CSV export carries the same list.
  await b.getByTestId('filter-type').selectOption('SEAL_ALARM');
  await b.getByTestId('filter-state').selectOption('open');
  await expect(b.getByTestId('alert-row').filter({ hasText: c!.reference })).toHaveCount(0);
  await b.getByTestId('filter-state').selectOption('resolved');
  await expect(b.getByTestId('alert-row').filter({ hasText: c!.reference })).toHaveCount(1);
  const [download] = await Promise.all([b.waitForEvent('download'), b.getByTestId('export-csv').click()]);
  const csv = (await download.createReadStream()).setEncoding('utf8');
  let text = '';
  for await (const chunk of csv) text += chunk;
  expect(text).toContain(c!.reference);
  expect(text).toContain('SEAL_ALARM');

  // Switch back to Chinese for the screenshot of the whole page.
  await b.getByTestId('lang-zh-CN').click();
  await expect(b.getByRole('link', { name: '告警' })).toBeVisible();
  // The live map's top bar links back (and carries the language switch too).
  await a.getByRole('link', { name: '实时地图' }).click();
  await expect(a).toHaveURL(/\/$/);
  await expect(a.getByTestId('connection-badge')).toHaveAttribute('data-state', 'live');
  await expect(a.getByTestId('user-box')).toContainText('上海海关');
  await expect(a.getByTestId('count-vehicles')).not.toHaveText('0');
  await a.screenshot({ path: 'test-results/screens/live-zh.png' });
  await a.context().close();
  await b.context().close();
});
