// Federation in a real browser (server/federation/README.md): the configured server is the national
// node; this test provisions a region on /admin/federation (its secret shown once), starts a
// regional deployment itself (a second server process on a free port, its own database, the demo
// feed) whose link to the national is first cut (a proxy that refuses), lets the regional work alone,
// opens the link, and checks that the national page shows the region's movements and alerts with
// their source region after the catch-up, the same counts as the regional's database, and a
// verified ledger. Everything it started is stopped and dropped at the end.
import { test, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { apiAs } from './signIn';

const ADMIN_PASSWORD = process.env.TW_ADMIN_PASSWORD ?? 'e2e-admin-password';
const CODE = `e2e-${randomBytes(3).toString('hex')}`;
const NAME = '端到端关区';

/** A TCP proxy to the national node that can be cut and restored: the regional's link. */
class Link {
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private target: number,
  ) {}
  async open(): Promise<void> {
    this.server = createServer((s) => {
      const up = connect(this.target, '127.0.0.1');
      this.sockets.add(s).add(up);
      s.pipe(up).pipe(s);
      const end = () => (s.destroy(), up.destroy());
      s.on('error', end).on('close', end);
      up.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function signIn(page: Page, next: string): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/用户名/).fill('admin');
  await page.getByLabel(/密码/).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: /登录/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

test('federation: a region provisioned, its deployment works alone while the link is cut, catches up; the national page shows its records with their source region', async ({
  page,
  baseURL,
}) => {
  test.skip(!process.env.DATABASE_URL, 'starts a second deployment on the same PostgreSQL: needs DATABASE_URL');
  test.setTimeout(240_000);
  page.on('dialog', (d) => void d.accept());
  const national = Number(new URL(baseURL!).port);

  // 1. Provision the region on the national page; the secret is shown once.
  await signIn(page, '/admin/federation');
  await expect(page.getByRole('heading', { name: /全国联网/ })).toBeVisible();
  await page.getByLabel(/代码/).fill(CODE);
  await page.getByLabel(/名称/).fill(NAME);
  await page.getByRole('button', { name: /接入/ }).click();
  const secret = (await page.getByTestId('shown-once-value').textContent())!.trim();
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await page.getByRole('button', { name: /已保存/ }).click();
  const row = page.getByTestId('region-row').filter({ hasText: CODE });
  await expect(row).toContainText('未收到');

  // 2. The regional deployment: its own database and folder, its link through a proxy, cut for now.
  const dir = mkdtempSync(join(tmpdir(), 'tw-e2e-region-'));
  const secretFile = join(dir, 'federation.secret');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  const dbName = `tw_e2e_region_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const regionUrl = new URL(process.env.DATABASE_URL!);
  regionUrl.pathname = `/${dbName}`;
  const regionDb = new pg.Client({ connectionString: regionUrl.toString() });
  const link = new Link(await freePort(), national);
  let region: ChildProcess | undefined;
  let log = '';
  try {
    await regionDb.connect();
    await regionDb.query('CREATE EXTENSION IF NOT EXISTS postgis');
    const port = await freePort();
    region = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: regionUrl.toString(),
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        DATA_DIR: dir,
        SIM: '1',
        SIM_TRUCKS: '12',
        SIM_VESSELS: '4',
        AIS_PORT: '-1',
        JT808_PORT: '-1',
        JT809_PORT: '-1',
        OSMAND_PORT: '-1',
        LEDGER_CHECKPOINT_SECONDS: '5',
        FEDERATION_UPSTREAM_URL: `http://127.0.0.1:${link.port}`,
        FEDERATION_REGION: CODE,
        FEDERATION_SECRET_FILE: secretFile,
        FEDERATION_POLL_MS: '200',
        FEDERATION_BACKOFF_BASE_MS: '200',
        FEDERATION_BACKOFF_CAP_MS: '1000',
        TW_TEST_HOOKS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    region.stdout!.on('data', (d) => (log += d));
    region.stderr!.on('data', (d) => (log += d));
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status, { timeout: 120_000, message: 'the regional starts' }).toBe(200);

    // 3. Alone: it stores its movements, alerts and positions while the national cannot be reached.
    const count = async (sql: string) => Number((await regionDb.query(sql)).rows[0].n);
    await expect.poll(() => count('SELECT count(*) AS n FROM positions'), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => count('SELECT count(*) AS n FROM consignments'), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => log, { timeout: 30_000, message: 'the outage is logged' }).toContain('link to the national node is down');
    expect(log.match(/link to the national node is down/g)!.length, 'logged once per outage').toBe(1);
    await page.reload();
    await expect(page.getByTestId('region-row').filter({ hasText: CODE })).toContainText('未收到');
    // The regional says so: its status API and its metrics.
    const regional = await apiAs(`http://127.0.0.1:${port}`, 'sh-supervisor');
    const status = async () =>
      (await (await regional.get('/api/federation/status')).json()) as { forwarding: boolean; link: string; lag: number | null; lastSentSeq: number | null };
    expect(await status()).toMatchObject({ forwarding: true, link: 'down', lastSentSeq: null });
    const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(await metrics()).toMatch(/^tw_federation_link_up 0$/m);

    // 4. The link returns: it catches up.
    await link.open();
    await expect.poll(() => log, { timeout: 30_000 }).toContain('link to the national node is up again');
    const nat = await page.request.get('/api/federation/regions');
    expect(nat.status()).toBe(200);
    const head = await count('SELECT max(seq) AS n FROM ledger');
    const theirs = { consignments: await count('SELECT count(*) AS n FROM consignments'), alerts: await count('SELECT count(*) AS n FROM alerts') };
    await expect
      .poll(async () => ((await (await page.request.get('/api/federation/regions')).json()) as { code: string; lastSeq: number }[]).find((r) => r.code === CODE)?.lastSeq, {
        timeout: 60_000,
        message: 'the national has the ledger as it was',
      })
      .toBeGreaterThanOrEqual(head);

    await expect.poll(async () => (await status()).link).toBe('up');
    expect((await status()).lastSentSeq).toBeGreaterThanOrEqual(head);
    expect(await metrics()).toMatch(/^tw_federation_link_up 1$/m);
    await regional.dispose();
    // The national counted what it took in (its route handlers reach the server's counters).
    expect(await (await fetch(`${baseURL}/metrics`)).text()).toMatch(/^tw_federation_received_entries_total [1-9]/m);

    // 5. The national page: the region's link state, its movements and alerts with their source region, a verified ledger.
    await page.reload();
    const regionRow = page.getByTestId('region-row').filter({ hasText: CODE });
    await expect(regionRow).toContainText('已接入');
    const movements = page.getByTestId('fed-movement').filter({ hasText: NAME });
    await expect(movements.first()).toBeVisible();
    await expect(movements.first().getByTestId('source-region')).toContainText(`${NAME} ${CODE}`);
    // Nothing lost: every movement and alert the regional had stored is on the national (each once).
    for (const table of ['consignments', 'alerts'] as const) {
      await expect
        .poll(
          async () => {
            const recs = (await (await page.request.get(`/api/federation/records?table=${table}&region=${CODE}&limit=500`)).json()) as { id: string }[];
            return new Set(recs.map((r) => r.id)).size === recs.length ? recs.length : -1;
          },
          { timeout: 30_000, message: `the region's ${table}` },
        )
        .toBeGreaterThanOrEqual(theirs[table]);
    }
    await page.reload();
    await expect.poll(() => movements.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(theirs.consignments);
    await regionRow.getByRole('button', { name: /核验/ }).click();
    await expect(regionRow.getByTestId('region-verify')).toContainText('一致', { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/federation.png', fullPage: true });
  } finally {
    if (region && region.exitCode === null) {
      const exited = new Promise((resolve) => region!.once('exit', resolve));
      region.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (region.exitCode === null) region.kill('SIGKILL');
    }
    await link.close();
    await regionDb.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
});
