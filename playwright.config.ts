import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

// `npm test` passes a free port; 3100 when Playwright is run by hand.
const PORT = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1600, height: 900 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    // The real server, production build, with the demo feed.
    command: `node --import tsx server/index.ts`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      TW_ADMIN_PASSWORD: 'e2e-admin-password',
      INGEST_TOKEN: process.env.E2E_INGEST_TOKEN ?? 'e2e-ingest-token-0123456789',
      AIS_PORT: '0',
      JT808_PORT: '0',
      JT809_PORT: '0',
      OSMAND_PORT: '0',
      TW_TEST_HOOKS: '1',
    },
  },
});
