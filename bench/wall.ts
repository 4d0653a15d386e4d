// bench/wall: the video wall in headless Chromium (software GL, e2e/chromium.ts flags) against
// the real server (Next + Socket.IO hub) fed N synthetic assets, every one moving every second.
//
// 1. Frame rate at 5,000 / 20,000 / 50,000 assets: requestAnimationFrame callbacks per second
//    (the page's responsiveness) and map redraws per second, with level of detail off
//    (/wall?lod=0, the baseline) and on (/wall), in the same run at 1920×1080 on the overview.
// 2. Memory under a fast feed (5,000 assets every 250 ms, a critical alert every 15 s through the
//    fly-to queue and ticker): JS heap after a forced GC and DOM node count at 1 minute, every 5,
//    and at the end (BENCH_WALL_MINUTES, default 5; 30 for the long run). The heap fills while the
//    trails do (15 min), then must stay flat, not grow linearly.
// Absolute fps measure this CPU, not a GPU: compare the two columns of the same run.
// Needs a production build (npm run build). Prints one JSON line.
import next from 'next';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { freshDatabase, testPoolMax } from '../db/testing';
import { startApp, type App } from '../server/app';
import { loadConfig } from '../server/config';
import { createTestUser } from '../server/auth/testing';
import { SESSION_COOKIE } from '../server/auth/cookies';
import { seedWorld } from '../server/sim/seed';
import { benchPostgis } from './postgis';

const COUNTS = (process.env.BENCH_WALL_COUNTS ?? '5000,20000,50000').split(',').filter(Boolean).map(Number); // '' skips the frame rates
const SECONDS = Number(process.env.BENCH_WALL_SECONDS ?? 20);
const MINUTES = Number(process.env.BENCH_WALL_MINUTES ?? 5);
const say = (m: string) => console.error(`[bench:wall] ${m}`);

type Handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>;

interface Running {
  app: App;
  stop(): Promise<void>;
  cookie: string;
  url: string;
}

/** A server with `n` assets spread over East China, all moving, one fix each every `everyMs`. */
async function serve(handler: Handler, n: number, everyMs: number, alertEveryMs = 0): Promise<Running> {
  const db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    LIVE_TICK_MS: String(Math.min(1000, everyMs)),
    DATABASE_POOL_MAX: String(testPoolMax()),
  });
  const app = await startApp(config, {
    say: () => {},
    handler,
    seed: async (pool) => {
      await seedWorld(pool);
      await pool.query(
        `INSERT INTO assets (key, kind, label, district)
         SELECT 'bench:' || i, CASE WHEN i % 4 = 0 THEN 'vessel' ELSE 'vehicle' END, 'B' || i, '2248' FROM generate_series(1, $1) i`,
        [n],
      );
    },
  });
  const userId = await createTestUser(db.pool, { username: 'bench-wall' });
  const { token } = await app.sessions.create(userId, '127.0.0.1', 'bench');
  // Positions: a deterministic scatter over 117–123 E, 28–33 N, each asset on its own heading.
  const assets = [...app.registry.all()].filter((a) => a.key.startsWith('bench:'));
  const lon = new Float64Array(assets.length);
  const lat = new Float64Array(assets.length);
  const course = new Float64Array(assets.length);
  assets.forEach((_, i) => {
    lon[i] = 117 + ((i * 7919) % 6000) / 1000;
    lat[i] = 28 + ((i * 104729) % 5000) / 1000;
    course[i] = (i * 37) % 360;
  });
  const step = () => {
    const now = Date.now();
    for (let i = 0; i < assets.length; i++) {
      const r = (course[i]! * Math.PI) / 180;
      lon[i]! += Math.sin(r) * 0.0004 * (everyMs / 1000);
      lat[i]! += Math.cos(r) * 0.0003 * (everyMs / 1000);
      app.latest.apply(assets[i]!.id, assets[i]!.kind, { lon: lon[i]!, lat: lat[i]!, time: now, speed: 60, course: course[i]! });
    }
  };
  step();
  const feed = setInterval(step, everyMs);
  let alertId = 1_000_000;
  const alerts = alertEveryMs
    ? setInterval(() => {
        const i = alertId % assets.length;
        const a = assets[i]!;
        app.hub.emitAlert(
          'alert',
          {
            id: alertId++,
            episode: null,
            type: 'ROUTE_DEVIATION',
            severity: 'critical',
            assetId: a.id,
            consignmentId: null,
            time: Date.now(),
            lon: lon[i]!,
            lat: lat[i]!,
            detail: {},
            state: 'open',
            ackedBy: null,
            ackedAt: null,
            resolvedBy: null,
            resolvedAt: null,
            note: null,
            clearedAt: null,
            districts: ['2248'],
            assetLabel: a.label,
            assetKind: a.kind,
            consignmentRef: null,
          },
          a.id,
        );
      }, alertEveryMs)
    : undefined;
  return {
    app,
    cookie: token,
    url: `http://127.0.0.1:${app.port}`,
    async stop() {
      clearInterval(feed);
      clearInterval(alerts);
      await app.close();
      await db.drop();
    },
  };
}

async function openWall(browser: Browser, s: Running, query: string, n: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await context.addCookies([{ name: SESSION_COOKIE, value: s.cookie, url: s.url }]);
  const page = await context.newPage();
  await page.goto(`${s.url}/wall${query}`);
  await page.waitForFunction(
    (want) => {
      const tw = window.__tw;
      return tw?.worldLoaded && tw.store.count >= want && tw.frames > 3 && !tw.map.isMoving();
    },
    n,
    { timeout: 180_000, polling: 1000 },
  );
  await page.waitForTimeout(3000); // the overview's camera flight and the first trails
  return page;
}

/** rAF callbacks per second and map redraws per second over `seconds`. */
async function fps(page: Page, seconds: number): Promise<{ raf: number; draws: number; mode: string; trails: number }> {
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  return page.evaluate(`new Promise((resolve) => {
    const tw = window.__tw, ms = ${seconds * 1000}, f0 = tw.frames, t0 = performance.now();
    let n = 0;
    const tick = () => {
      n++;
      const dt = performance.now() - t0;
      if (dt < ms) requestAnimationFrame(tick);
      else resolve({ raf: +(n * 1000 / dt).toFixed(1), draws: +((tw.frames - f0) * 1000 / dt).toFixed(1), mode: tw.lodMode, trails: tw.trailCount });
    };
    requestAnimationFrame(tick);
  })`);
}

async function memory(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  await cdp.detach();
  return { heapMB: +(heap.usedSize / 1048576).toFixed(1), domNodes: dom.nodes, listeners: dom.jsEventListeners };
}

async function main() {
  const postgis = await benchPostgis();
  const nextApp = next({ dev: false, dir: process.cwd() });
  await nextApp.prepare();
  const handler = nextApp.getRequestHandler() as Handler;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const frameRate: Record<string, unknown> = {};
  try {
    for (const n of COUNTS) {
      say(`${n} assets: starting`);
      const s = await serve(handler, n, 1000);
      const row: Record<string, unknown> = {};
      for (const [name, query] of [
        ['lod_off_baseline', '?lod=0'],
        ['lod_on', ''],
      ] as const) {
        const page = await openWall(browser, s, query, n);
        row[name] = await fps(page, SECONDS);
        say(`${n} assets, ${name}: ${JSON.stringify(row[name])}`);
        await page.context().close();
      }
      frameRate[n] = row;
      await s.stop();
    }

    say(`memory: 5000 assets every 250 ms for ${MINUTES} min`);
    const s = await serve(handler, 5000, 250, 15_000);
    const page = await openWall(browser, s, '', 5000);
    const samples: Record<string, unknown> = { '0': await memory(page) };
    const t0 = Date.now();
    for (let m = 1; m <= MINUTES; m++) {
      await page.waitForTimeout(t0 + m * 60_000 - Date.now());
      if (m === 1 || m === MINUTES || m % 5 === 0) {
        samples[String(m)] = await memory(page);
        say(`minute ${m}: ${JSON.stringify(samples[String(m)])}`);
      }
    }
    // Trails keep 15 min of points (1.5 × the 10 min shown), so the heap fills for 15 min by design;
    // growth is judged from there when the run is long enough, else from minute 1.
    const from = MINUTES > 15 ? 15 : 1;
    const last = samples[String(MINUTES)] as { heapMB: number; domNodes: number };
    const first = samples[String(from)] as { heapMB: number; domNodes: number };
    await page.context().close();
    await s.stop();
    console.log(
      JSON.stringify({
        bench: 'wall',
        viewport: '1920x1080',
        seconds: SECONDS,
        chromium: 'headless, software GL (llvmpipe)',
        frame_rate: frameRate,
        memory: {
          feed: '5000 assets every 250 ms, a critical alert every 15 s',
          minutes: samples,
          growth_from_minute: from,
          heap_growth_mb_per_min: +((last.heapMB - first.heapMB) / Math.max(1, MINUTES - from)).toFixed(2),
          dom_growth: last.domNodes - first.domNodes,
        },
      }),
    );
  } finally {
    await browser.close();
    await postgis.stop();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
