// Signing in for the end-to-end tests: through the real form, or straight at the API.
import { expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';

/** The demo accounts' password (README); the e2e server runs with the default. */
export const DEMO_PASSWORD = process.env.TW_DEMO_PASSWORD ?? 'demo-2026';

export async function signInPage(page: Page, username: string, next = '/'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/用户名/).fill(username);
  await page.getByLabel(/密码/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /登录/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export async function apiAs(baseURL: string, username: string): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const res = await ctx.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.status(), `sign-in of ${username}`).toBe(200);
  return ctx;
}
