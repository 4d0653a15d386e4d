// bench/track: time to load and draw a 24 h track of one truck (a fix every 10 s: 8,640 fixes)
// in the console, in headless Chromium against the real server on real PostGIS. Beside it, in the
// same run: the same page with a 10-minute track (the fixed cost of asking and drawing), and on
// the server the journey endpoint against a bare SELECT of the same fixes. One JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { chromium } from '@playwright/test';
import pg from 'pg';
import { freshDatabase } from '../db/testing';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { PositionWriter } from '../server/pipeline/positionWriter';
import { seedWorld } from '../server/sim/seed';
import { buildIsStale } from '../scripts/buildState';
import { benchPostgis } from './postgis';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const DAY_FIXES = 8640;
const SHORT_FIXES = 60;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** A truck with a movement on route R01 and `n` fixes every 10 s up to now, along the route with a detour. */
async function seedTrack(pool: pg.Pool, plate: string, n: number): Promise<number> {
  const route = (await pool.query(`SELECT id, from_site, to_site, touched_districts(from_site, to_site, id) AS d FROM routes ORDER BY code LIMIT 1`)).rows[0];
  const assetId = (await pool.query(`INSERT INTO assets (key, kind, label, plate) VALUES ($1, 'vehicle', $2, $2) RETURNING id`, [`plate:${plate}`, plate])).rows[0].id;
  const now = Date.now();
  const t0 = now - (n - 1) * 10_000;
  const id = (
    await pool.query(
      `INSERT INTO consignments (reference, asset_id, origin_site, dest_site, route_id, departure, deadline, status, districts)
     VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), to_timestamp($6 / 1000.0) + interval '30 hours', 'in_transit', $7) RETURNING id`,
      [`BENCH-${plate}`, assetId, route.from_site, route.to_site, route.id, t0, route.d],
    )
  ).rows[0].id;
  const pts = (
    await pool.query(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
       SELECT ST_LineInterpolatePoint(path, i::float8 / $2) AS p FROM routes, generate_series(0, $2 - 1) i WHERE id = $1 ORDER BY i) s`,
      [route.id, n],
    )
  ).rows;
  const writer = new PositionWriter(pool, { batchRows: 5000, flushMs: 60_000 });
  pts.forEach((p, i) => {
    // A detour of ~0.02° north over a twentieth of the way: drawn red.
    const off = i > n * 0.4 && i < n * 0.45 ? 0.02 : 0;
    writer.add({ assetId, time: t0 + i * 10_000, lon: p.lon, lat: p.lat + off, speed: 40, source: 'bench' });
  });
  await writer.flush();
  return id;
}

/** A port nobody listens on, so the bench never measures some other server. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
let PORT = 0;

function startServer(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      SIM: 'false',
      LOG_LEVEL: 'warn',
      AIS_PORT: '0',
      JT808_PORT: '0',
      JT809_PORT: '0',
      OSMAND_PORT: '0',
      TW_ADMIN_PASSWORD: 'bench-admin-password',
      DATABASE_POOL_MAX: '4',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 120_000;
    const poll = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) return resolve(child);
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error('server did not start'));
      setTimeout(poll, 500);
    };
    void poll();
  });
}

async function main() {
  if (buildIsStale()) {
    console.error('build the app first: npm run build');
    process.exit(1);
  }
  const postgis = await benchPostgis();
  const db = await freshDatabase();
  await seedWorld(db.pool);
  console.error('writing a 24 h track (8,640 fixes) and a 10-minute one…');
  const day = await seedTrack(db.pool, '沪B·DAY24', DAY_FIXES);
  const short = await seedTrack(db.pool, '沪B·SHORT', SHORT_FIXES);
  await db.pool.query('ANALYZE');
  PORT = await freePort();
  const server = await startServer(db.url);
  process.on('exit', () => server.kill('SIGTERM')); // also when the bench fails half-way

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, baseURL: `http://127.0.0.1:${PORT}` });
  // SIM is off (no demo feed, no demo accounts): the HQ admin account signs in.
  const login = await page.request.post('/api/auth/login', { data: { username: 'admin', password: 'bench-admin-password' } });
  if (!login.ok()) throw new Error(`sign-in: HTTP ${login.status()}`);

  /**
   * Opens the console, waits for its map, then picks the movement through the search box as an
   * officer would: ms from asking for its journey to deck.gl having drawn it. `cold` instead
   * opens a link to it (?s=), so the map starts at the same time (the whole page's cost).
   */
  const open = async (id: number, reference: string, cold = false) => {
    if (cold) await page.goto(`/console?s=c${id}`);
    else {
      await page.goto('/console');
      await page.waitForFunction(() => window.__tw?.map?.loaded() && window.__tw.frames > 5, undefined, { timeout: 60_000 });
      await page.getByTestId('search-input').fill(reference);
      await page.getByTestId('search-hit').filter({ hasText: reference }).click();
    }
    await page.waitForFunction(() => performance.getEntriesByName('tw:tracks-drawn').length > 0, undefined, { timeout: 60_000 });
    return page.evaluate((key) => {
      const asked = performance.getEntriesByName(`tw:journey-request:${key}`)[0]!.startTime;
      const drawn = performance.getEntriesByName('tw:tracks-drawn')[0]!.startTime;
      return { loadDraw: drawn - asked, fromNavigation: drawn, fixes: window.__tw.scene.journeys[0]!.track.fixes.length };
    }, `c${id}`);
  };
  const DAY = 'BENCH-沪B·DAY24';
  const SHORT = 'BENCH-沪B·SHORT';
  await open(short, SHORT); // warm-up: the first page load compiles scripts and fills caches
  await open(day, DAY);
  const dayRuns: { loadDraw: number; fromNavigation: number; fixes: number }[] = [];
  const shortRuns: typeof dayRuns = [];
  const coldRuns: typeof dayRuns = [];
  for (let i = 0; i < RUNS; i++) {
    dayRuns.push(await open(day, DAY));
    shortRuns.push(await open(short, SHORT));
    coldRuns.push(await open(day, DAY, true));
  }

  // Server side alone: the journey endpoint (distance off route per fix, timeline, ETA, JSON)
  // against a bare SELECT of the same fixes.
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const api: number[] = [];
  const bare: number[] = [];
  const assetId = (await db.pool.query('SELECT asset_id FROM consignments WHERE id = $1', [day])).rows[0].asset_id;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}/api/consignments/${day}/journey`, { headers: { cookie } });
    await res.arrayBuffer();
    api.push(performance.now() - t);
    t = performance.now();
    await db.pool.query(`SELECT ST_X(geom), ST_Y(geom), time, speed FROM positions WHERE asset_id = $1 AND time > now() - interval '25 hours' ORDER BY time`, [assetId]);
    bare.push(performance.now() - t);
  }
  const journeyBytes = (await (await fetch(`http://127.0.0.1:${PORT}/api/consignments/${day}/journey`, { headers: { cookie } })).arrayBuffer()).byteLength;

  await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await db.drop();
  await postgis.stop();

  const dayMs = median(dayRuns.map((r) => r.loadDraw));
  const shortMs = median(shortRuns.map((r) => r.loadDraw));
  console.log(
    JSON.stringify({
      bench: 'track',
      database: postgis.database,
      fixes: dayRuns[0]!.fixes,
      runs: RUNS,
      day_track_load_and_draw_ms_p50: round(dayMs),
      ten_minute_track_load_and_draw_ms_p50: round(shortMs),
      ratio: round(dayMs / shortMs),
      day_track_link_opened_to_drawn_ms_p50: round(median(coldRuns.map((r) => r.fromNavigation))),
      journey_api_ms_p50: round(median(api)),
      bare_select_ms_p50: round(median(bare)),
      journey_bytes: journeyBytes,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
