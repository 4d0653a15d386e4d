// The people-and-devices admin pages in a real browser, as the HQ admin: register a vehicle and its
// JT/T 808 terminal on /admin/devices and see it listed with its state (checked against PostGIS);
// create an officer for the Yangshan office on /admin/users, who then signs in with the password
// shown once and sees only movements touching that office (checked against SQL); issue and revoke a
// kiosk token; add an office to the district tree. Each page is screenshotted.
import { test, expect, type Page } from '@playwright/test';
import pg from 'pg';

const ADMIN_PASSWORD = process.env.TW_ADMIN_PASSWORD ?? 'e2e-admin-password';
const OFFICE = '2248'; // 洋山海关: the demo world runs movements from and to its terminals

async function signIn(page: Page, username: string, password: string, next: string): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/用户名/).fill(username);
  await page.getByLabel(/密码/).fill(password);
  await page.getByRole('button', { name: /登录/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

async function withDb<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

const touching = (db: pg.Client, district: string) =>
  db.query<{ id: number }>('SELECT id FROM consignments WHERE $1 = ANY (districts)', [district]).then((r) => new Set(r.rows.map((x) => x.id)));

test.beforeEach(({ page }) => {
  page.on('dialog', (d) => void d.accept()); // the pages confirm revokes and resets
});

test('devices: register a vehicle with a JT/T 808 terminal, listed with its state', async ({ page }) => {
  test.skip(!process.env.DATABASE_URL, 'checks PostGIS: needs DATABASE_URL');
  await signIn(page, 'admin', ADMIN_PASSWORD, '/admin/devices');
  await expect(page.getByRole('heading', { name: /车辆与终端/ })).toBeVisible();
  const n = String(10000 + Math.floor(Math.random() * 89999));
  const plate = `沪D·${n}`;
  const phone = `01390${n}00`;
  const form = page.getByRole('form', { name: /登记车辆/ });
  await form.getByLabel(/车牌 Plate/).fill(plate);
  await form.getByLabel(/车牌颜色/).selectOption('2');
  await form.getByLabel(/所属关区/).selectOption(OFFICE);
  await form.getByLabel(/终端类型/).selectOption('jt808');
  await form.getByLabel(/终端手机号/).fill(phone);
  await form.getByRole('button', { name: /登记/ }).click();
  await expect(page.getByRole('status').filter({ hasText: '已登记' })).toBeVisible();

  const ident = phone.replace(/^0+/, '');
  const row = page.locator(`[data-testid="device-row"][data-ident="${ident}"]`);
  await expect(row).toContainText(plate);
  await expect(row.getByTestId('device-state')).toContainText('Provisioned');
  await expect(row).toContainText('admin'); // who registered it, in the last-change column
  const stored = await withDb(async (db) =>
    db.query(`SELECT a.plate, a.plate_color, a.district, d.protocol, d.state FROM devices d JOIN assets a ON a.id = d.asset_id WHERE d.ident = $1 AND d.revoked_at IS NULL`, [
      ident,
    ]),
  );
  expect(stored.rows).toEqual([{ plate, plate_color: 2, district: OFFICE, protocol: 'jt808', state: 'never' }]);

  // The expected report interval is editable in the row.
  await row.getByLabel(/上报间隔/).fill('30');
  await row.getByRole('button', { name: /保存/ }).click();
  await expect.poll(() => withDb(async (db) => (await db.query('SELECT report_interval_s FROM devices WHERE ident = $1', [ident])).rows[0].report_interval_s)).toBe(30);
  // The viewport only: the demo fleet lists hundreds of terminals.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/people-devices.png' });
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/people-devices-row.png' });
});

test('users: create an office officer, who signs in and sees only their district', async ({ browser }) => {
  test.skip(!process.env.DATABASE_URL, 'compares with SQL: needs DATABASE_URL');
  const page = await (await browser.newContext()).newPage();
  page.on('dialog', (d) => void d.accept());
  await signIn(page, 'admin', ADMIN_PASSWORD, '/admin/users');
  await expect(page.getByRole('heading', { name: /用户/ })).toBeVisible();
  const username = `e2e-ys-${Math.floor(Math.random() * 1e6)}`;
  const form = page.getByRole('form', { name: /新建用户/ });
  await form.getByLabel(/用户名/).fill(username);
  await form.getByLabel(/姓名/).fill('洋山测试监控员');
  await form.getByLabel(/角色/).selectOption('officer');
  await form.getByLabel(/关区/).selectOption(OFFICE);
  await form.getByRole('button', { name: /新建/ }).click();
  const shown = page.getByTestId('shown-once-value');
  await expect(shown).toHaveText(/^[\w-]{16}$/);
  const password = (await shown.textContent())!;
  const row = page.locator(`[data-testid="user-row"][data-username="${username}"]`);
  await expect(row).toContainText('洋山');
  await expect(row).toContainText('启用');
  await page.screenshot({ path: 'test-results/people-users.png', fullPage: true });
  await page.getByRole('button', { name: /已保存/ }).click();
  await expect(shown).toHaveCount(0);

  // A fresh browser: the new officer signs in with the password shown once.
  const officer = await (await browser.newContext()).newPage();
  await signIn(officer, username, password, '/console');
  const me = await (await officer.request.get('/api/auth/me')).json();
  expect(me.user).toMatchObject({ username, role: 'officer', district: OFFICE });

  const { before, others } = await withDb(async (db) => ({
    before: await touching(db, OFFICE),
    others: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM consignments WHERE NOT ($1 = ANY (districts))', [OFFICE])).rows[0]?.n ?? 0,
  }));
  expect(before.size, 'the demo world has movements touching the office').toBeGreaterThan(0);
  expect(others, 'and movements elsewhere, which the officer must not see').toBeGreaterThan(0);
  const listed = await (await officer.request.get('/api/consignments?limit=500')).json();
  const after = await withDb((db) => touching(db, OFFICE));
  const ids = new Set<number>(listed.items.map((c: { id: number }) => c.id));
  for (const c of listed.items) expect(c.districts, `movement ${c.id}`).toContain(OFFICE);
  for (const id of before) expect(ids.has(id), `movement ${id} touches ${OFFICE}`).toBe(true);
  for (const id of ids) expect(after.has(id)).toBe(true);
  // Not a supervisor: the users API and page are closed to them.
  expect((await officer.request.get('/api/users')).status()).toBe(403);
  await officer.goto('/admin/users');
  await expect(officer.getByText('需要主管权限')).toBeVisible();

  // Disabling the account ends the officer's session at once.
  await row.getByRole('button', { name: /停用/ }).click();
  await expect(row).toContainText('已停用');
  expect((await officer.request.get('/api/auth/me')).status()).toBe(401);
  const audit = await withDb(
    async (db) => (await db.query(`SELECT action, after::text FROM audit_log WHERE entity = 'user' AND after->>'username' = $1 ORDER BY id`, [username])).rows,
  );
  expect(audit.map((a) => a.action)).toEqual(['user_create', 'user_update']);
  expect(JSON.stringify(audit)).not.toContain(password);
});

test('kiosk tokens: issue (link shown once), listed, revoke; districts: add an office', async ({ page }) => {
  test.skip(!process.env.DATABASE_URL, 'picks a free district code: needs DATABASE_URL');
  await signIn(page, 'admin', ADMIN_PASSWORD, '/admin/kiosk');
  await expect(page.getByRole('heading', { name: /大屏令牌/ })).toBeVisible();
  const label = `e2e 大屏 ${Math.floor(Math.random() * 1e6)}`;
  const form = page.getByRole('form', { name: /签发令牌/ });
  await form.getByLabel(/只读账号/).selectOption('sh-viewer');
  await form.getByLabel(/标签/).fill(label);
  await form.getByRole('button', { name: /签发/ }).click();
  await expect(page.getByTestId('shown-once-value')).toHaveText(/\/wall\?kiosk=[\w-]{43}$/);
  const row = page.getByTestId('kiosk-row').filter({ hasText: label });
  await expect(row).toContainText('有效');
  await page.screenshot({ path: 'test-results/people-kiosk.png', fullPage: true });
  await row.getByRole('button', { name: /吊销/ }).click();
  await expect(row).toContainText('已吊销');

  const code = await withDb(async (db) => {
    const taken = new Set((await db.query<{ code: string }>(`SELECT code FROM districts WHERE code LIKE '22%'`)).rows.map((r) => r.code));
    for (let i = 99; i > 0; i--) if (!taken.has(`22${String(i).padStart(2, '0')}`)) return `22${String(i).padStart(2, '0')}`;
    throw new Error('no free code under 2200');
  });
  await page.goto('/admin/districts');
  const add = page.getByRole('form', { name: /新增隶属海关/ });
  await add.getByLabel(/上级直属海关/).selectOption('2200');
  await add.getByLabel(/关区代码/).fill(code);
  await add.getByLabel(/中文名称/).fill('测试新增海关');
  await add.getByLabel(/英文名称/).fill('E2E Test Customs');
  await add.getByRole('button', { name: /新增/ }).click();
  const node = page.locator(`[data-testid="district-node"][data-code="2200"] [data-testid="district-node"][data-code="${code}"]`);
  await expect(node).toContainText('测试新增海关');
  await expect(node).toContainText('admin');
  await page.screenshot({ path: 'test-results/people-districts.png', fullPage: true });
});
