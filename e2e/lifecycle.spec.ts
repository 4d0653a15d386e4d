// The movement lifecycle and the audit log in a real Chromium against the real server and its demo
// feed: the admin (HQ supervisor) extends a demo movement's deadline with a reason and sees it on
// the timeline, hands it over to another vehicle, then finds both in /admin/audit filtered by
// action, and in its CSV.
import { test, expect, request as playwrightRequest, type Page } from '@playwright/test';

const ADMIN_PASSWORD = 'e2e-admin-password';

async function signInAdmin(page: Page, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/用户名/).fill('admin');
  await page.getByLabel(/密码/).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: /登录/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

test('lifecycle: extend a deadline and hand over in the console; both on the timeline, in the audit log and its CSV', async ({ page, baseURL }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const api = await playwrightRequest.newContext({ baseURL });
  expect((await api.post('/api/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } })).status()).toBe(200);
  let movement: { id: number; reference: string; asset: { key: string; kind: string } } | undefined;
  await expect
    .poll(
      async () => {
        // A truck with a long way still to go (a short demo run may arrive while the test acts on it).
        const list = (await (await api.get('/api/consignments?status=in_transit&limit=50')).json()).items;
        movement = undefined;
        for (const x of list.filter((x: { route: string | null; asset: { kind: string } }) => x.route && x.asset.kind === 'vehicle').slice(0, 20)) {
          const j = await (await api.get(`/api/consignments/${x.id}/journey`)).json();
          if ((j.progress?.remainingM ?? 0) > 30_000) {
            movement = x;
            break;
          }
        }
        return !!movement;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  const assets = (await (await api.get('/api/assets')).json()) as { key: string; kind: string; plate: string | null; label: string | null }[];
  const other = assets.find((a) => a.kind === 'vehicle' && a.key !== movement!.asset.key)!;
  expect(other, 'another vehicle').toBeTruthy();

  await signInAdmin(page, `/console?s=c${movement!.id}`);
  await expect(page.getByTestId('cp-reference')).toHaveText(movement!.reference);
  const actions = page.getByTestId('movement-actions');
  await expect(actions).toBeVisible();
  await expect(actions.getByRole('button')).toHaveText(['编辑', '延长时限', '换车转运', '结案', '撤销']);

  // Extend by two hours (the dialog proposes it), with a reason.
  await page.getByTestId('action-extend').click();
  await expect(page.getByTestId('dialog-extend')).toBeVisible();
  await page.getByTestId('action-reason').fill('道路施工，延长两小时 E2E');
  await page.getByTestId('action-submit').click();
  await expect(page.getByTestId('dialog-extend')).toBeHidden();
  const extended = page.locator('[data-testid="timeline"] li[data-kind="action"]').filter({ hasText: '延长时限' });
  await expect(extended).toBeVisible();
  await expect(extended).toContainText('道路施工，延长两小时 E2E');
  await expect(extended).toContainText('admin');
  await page.getByTestId('consignment-panel').screenshot({ path: '/tmp/lifecycle-console-panel.png' });

  // An unknown vehicle: the server's reason is shown and nothing changes.
  await page.getByTestId('action-handover').click();
  await page.getByTestId('handover-asset').fill('tel:013999999990');
  await page.getByTestId('action-reason').fill('换车 E2E');
  await page.getByTestId('action-submit').click();
  await expect(page.getByTestId('action-error')).toContainText('tel:013999999990');
  await page.getByTestId('handover-asset').fill(other.key);
  await page.getByTestId('action-reason').fill('车辆故障，换车转运 E2E');
  await page.getByTestId('action-submit').click();
  await expect(page.getByTestId('dialog-handover')).toBeHidden();
  const handed = page.locator('[data-testid="timeline"] li[data-kind="action"]').filter({ hasText: '换车转运' });
  await expect(handed).toBeVisible();
  await expect(handed).toContainText('车辆故障，换车转运 E2E');
  await expect(page.locator('.cp-carrier')).toContainText(other.label ?? other.key);
  await page.getByTestId('consignment-panel').screenshot({ path: '/tmp/lifecycle-console-panel-after.png' });
  await page.getByTestId('timeline').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/lifecycle-console-timeline.png' });

  // The audit log, filtered by action, holds both; the CSV of the same filter too.
  await page.goto('/admin/audit');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await page.getByTestId('audit-action').fill('consignment_extend');
  await page.getByTestId('audit-apply').click();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toHaveAttribute('data-action', 'consignment_extend');
  await expect(rows.filter({ hasText: '道路施工，延长两小时 E2E' })).toHaveCount(1);
  await page.getByTestId('audit-action').fill('consignment_*');
  await page.getByTestId('audit-entity-id').fill(String(movement!.id));
  await page.getByTestId('audit-apply').click();
  await expect(rows.filter({ hasText: 'consignment_handover' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'consignment_extend' })).toHaveCount(1);
  await page.screenshot({ path: '/tmp/lifecycle-audit.png', fullPage: true });
  const href = await page.getByTestId('audit-csv').getAttribute('href');
  expect(href).toContain('format=csv');
  const csv = await (await page.request.get(href!)).text();
  expect(csv).toContain('consignment_extend');
  expect(csv).toContain('consignment_handover');
  expect(csv).toContain('车辆故障，换车转运 E2E');
  expect(errors).toEqual([]);
});
