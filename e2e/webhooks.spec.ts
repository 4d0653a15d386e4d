// The webhook subscriptions page (/admin/webhooks) in a real browser: a supervisor subscribes a URL
// (the secret is shown once and never again), sees it listed with its state, disables and deletes
// it; a private address is refused with the reason; a viewer is told the page is for supervisors.
import { test, expect } from '@playwright/test';
import { signInPage } from './signIn';

test('webhooks page: subscribe, secret once, disable, delete; private address refused; supervisors only', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await signInPage(page, 'sh-supervisor', '/admin/webhooks');
  await expect(page.getByRole('heading', { name: /Webhook 订阅/ })).toBeVisible();

  // A loopback receiver is refused (the e2e server does not set WEBHOOKS_ALLOW_PRIVATE).
  await page.getByLabel(/接收地址/).fill('http://127.0.0.1:9/hook');
  await page.getByRole('checkbox', { name: '偏离路线' }).check();
  await page.getByRole('button', { name: /订阅/ }).click();
  await expect(page.locator('.form-error')).toContainText('loopback, private');

  // A public address (TEST-NET-3, never answered) is taken; the secret shows once.
  const url = `http://203.0.113.${10 + Math.floor(Math.random() * 200)}/hooks/e2e`;
  await page.getByLabel(/接收地址/).fill(url);
  await page.getByRole('checkbox', { name: '入库 goods_in' }).check();
  await page.getByRole('button', { name: /订阅/ }).click();
  const secret = page.locator('.webhook-secret code.mono');
  await expect(secret).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  const shown = await secret.textContent();
  const row = page.getByTestId('webhook-row').filter({ hasText: url });
  await expect(row).toContainText('启用');
  await expect(row).toContainText('偏离路线');
  await page.screenshot({ path: 'test-results/webhooks-created.png', fullPage: true });
  await page.getByRole('button', { name: /已保存/ }).click();
  await page.reload();
  await expect(row).toBeVisible();
  expect(await page.content()).not.toContain(shown!);

  await row.getByRole('button', { name: '停用' }).click();
  await expect(row.getByRole('button', { name: '启用' })).toBeVisible();
  await expect(row).toContainText('○ 停用');
  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: '删除' }).click();
  await expect(row).toHaveCount(0);

  const viewer = await (await browser.newContext()).newPage();
  await signInPage(viewer, 'sh-viewer', '/admin/webhooks');
  await expect(viewer.getByText('需要主管权限')).toBeVisible();
  await expect(viewer.locator('.webhook-form')).toHaveCount(0);
});
