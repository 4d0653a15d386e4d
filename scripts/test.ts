// `npm test`: type check, lint, unit and integration tests against real PostGIS, then Playwright in
// Debian's Chromium against the real server. With DATABASE_URL it uses that PostGIS server
// (each test file makes its own database); without it, it starts the embedded PostGIS.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CHROMIUM_PATH } from '../e2e/chromium';
import { startEmbeddedPostgis } from '../db/embedded';
import { resetSchema } from '../db/testing';
import { buildIsStale } from './buildState';
import { freePort } from './freePort';

const say = (msg: string) => console.log(`[test] ${msg}`);

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  if (process.getuid?.() === 0) {
    say("Chromium is missing; installing Debian's chromium (apt-get)…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk', 'libgl1-mesa-dri'], { stdio: 'inherit', env });
    if (r.status === 0 && existsSync(CHROMIUM_PATH)) return;
  }
  console.error(`[test] Chromium not found at ${CHROMIUM_PATH}. Install it with: sudo apt-get install chromium fonts-noto-cjk libgl1-mesa-dri (or set CHROMIUM_PATH).`);
  process.exit(1);
}

/** Test files (`*.test.ts`) under a folder; Node 20 has no fs.globSync. */
function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

async function e2eDatabase(serverUrl: string, embedded: boolean): Promise<string> {
  if (embedded) {
    const pool = new pg.Pool({ connectionString: serverUrl, max: 1 });
    await resetSchema(pool);
    await pool.end();
    return serverUrl;
  }
  const name = `tw_e2e_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function main(): Promise<number> {
  const only = process.argv[2]; // 'unit' or 'e2e' to run one part
  if (only !== 'unit') ensureChromium(); // only the end-to-end tests need a browser
  let failed = 0;

  if (!only) {
    say('type check (tsc --noEmit)');
    failed += (await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit'])) ? 1 : 0;
    say('lint (eslint, prettier --check)');
    failed += (await run(process.execPath, ['node_modules/eslint/bin/eslint.js', '.'])) ? 1 : 0;
    failed += (await run(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '.'])) ? 1 : 0;
  }

  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  const embedded = !serverUrl;
  if (!serverUrl) {
    const dir = './data/test';
    rmSync(dir, { recursive: true, force: true });
    const pgEmbedded = await startEmbeddedPostgis(dir, 0, say);
    serverUrl = pgEmbedded.url;
    stopEmbedded = pgEmbedded.stop;
  }
  const dbEnv = { DATABASE_URL: serverUrl, TW_TEST_EMBEDDED: embedded ? '1' : '0', NODE_ENV: 'test' };

  if (only !== 'e2e') {
    const files = ['db', 'lib', 'server', 'scripts'].flatMap(testFiles).sort();
    say(`unit and integration tests: ${files.length} files`);
    failed += (await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], dbEnv)) ? 1 : 0;
  }

  if (only !== 'unit') {
    if (buildIsStale()) {
      say('building the app for the end-to-end tests');
      if (await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts'])) return 1;
    }
    const url = await e2eDatabase(serverUrl, embedded);
    // The server under test listens on a free port (playwright.config.ts reads E2E_PORT), not on a fixed one that may be taken.
    const port = process.env.E2E_PORT ?? String(await freePort());
    say(`end-to-end tests (Playwright, Debian Chromium), server on port ${port}`);
    failed += (await run(process.execPath, ['node_modules/@playwright/test/cli.js', 'test'], {
      DATABASE_URL: url,
      DATABASE_POOL_MAX: embedded ? '1' : '10',
      TW_TEST_EMBEDDED: embedded ? '1' : '0', // e2e/cluster.spec.ts needs a PostGIS server
      E2E_PORT: port,
    }))
      ? 1
      : 0;
  }

  await stopEmbedded?.();
  say(failed ? `${failed} part(s) failed` : 'all parts passed');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
