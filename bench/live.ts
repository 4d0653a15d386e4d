// bench/live: cost of jurisdiction filtering on the live hub. 20,000 assets all moving every
// second, 50 connected Socket.IO clients of mixed levels (HQ, direct customs, offices), against
// the same load with no filtering (every client sees everything: one room), in the same run.
// Prints one JSON line: server time per tick and bytes sent per tick, both ways.
import { io as connect, type Socket } from 'socket.io-client';
import { benchPostgis } from './postgis';
import { freshDatabase, testPoolMax } from '../db/testing';
import { startApp } from '../server/app';
import { loadConfig } from '../server/config';
import { sessionCookie } from '../server/auth/testing';
import { seedWorld } from '../server/sim/seed';
import { WORLD } from '../server/sim/world';

const ASSETS = Number(process.env.BENCH_ASSETS ?? 20_000);
const USERS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);

async function run(filtered: boolean) {
  const db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SIM: '0',
    LIVE_TICK_MS: '1000',
    DATABASE_POOL_MAX: String(testPoolMax()),
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
  });
  const offices = WORLD.districts.filter((d) => d.level === 'office').map((d) => d.code);
  const directs = WORLD.districts.filter((d) => d.level === 'direct').map((d) => d.code);
  const app = await startApp(config, {
    say: () => {},
    seed: async (pool) => {
      await seedWorld(pool);
      // Assets spread over the offices (and so their direct customs); users: 10 HQ, 20 direct, 20 office.
      await pool.query(
        `INSERT INTO assets (key, kind, label, district) SELECT 'tel:' || lpad(i::text, 12, '0'), 'vehicle', 'T' || i, ($2::text[])[1 + i % array_length($2::text[], 1)]
         FROM generate_series(1, $1) i`,
        [ASSETS, offices],
      );
      const districts = Array.from({ length: USERS }, (_, i) => (!filtered || i < 10 ? '0000' : i < 30 ? directs[i % directs.length]! : offices[i % offices.length]!));
      await pool.query(`INSERT INTO users (username, password_hash, role, district) SELECT 'u' || i, '-', 'viewer', ($1::text[])[i] FROM generate_series(1, $2) i`, [
        districts,
        USERS,
      ]);
    },
  });
  const sockets: Socket[] = [];
  let received = 0;
  for (let i = 1; i <= USERS; i++) {
    const { rows } = await db.pool.query('SELECT id FROM users WHERE username = $1', [`u${i}`]);
    const cookie = await sessionCookie(app.sessions, rows[0].id);
    const s = connect(`http://127.0.0.1:${app.port}`, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
    s.on('delta', (b: Buffer) => {
      received += b.byteLength;
    });
    await new Promise((r) => s.once('snapshot', r));
    sockets.push(s);
  }
  const keys = [...app.registry.all()].map((a) => a.key);
  const tickMs: number[] = [];
  const tick = app.hub.tick.bind(app.hub);
  app.hub.tick = () => {
    const t = performance.now();
    tick();
    tickMs.push(performance.now() - t);
  };
  for (let s = 0; s < SECONDS; s++) {
    const now = Date.now();
    keys.forEach((key, i) =>
      app.pipeline.ingest({ assetKey: key, kind: 'vehicle', source: 'sim', time: now, lon: 120 + (i % 100) / 50 + s / 1000, lat: 30 + i / ASSETS, speed: 60 }),
    );
    await new Promise((r) => setTimeout(r, 1000));
  }
  for (const s of sockets) s.close();
  await app.close();
  await db.drop();
  const steady = tickMs.slice(2).filter((t) => t > 0.5); // ticks that carried the full batch
  const mean = steady.reduce((a, b) => a + b, 0) / steady.length;
  return { tickMsMean: Number(mean.toFixed(2)), tickMsMax: Number(Math.max(...steady).toFixed(2)), bytesPerTick: Math.round(received / SECONDS) };
}

async function main() {
  const postgis = await benchPostgis();
  const baseline = await run(false);
  const filtered = await run(true);
  console.log(
    JSON.stringify({
      bench: 'live',
      assets: ASSETS,
      clients: USERS,
      seconds: SECONDS,
      baseline_no_filtering: baseline,
      jurisdiction_filtered: filtered,
      tick_overhead_ratio: Number((filtered.tickMsMean / baseline.tickMsMean).toFixed(2)),
    }),
  );
  await postgis.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
