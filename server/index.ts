// The TransitWatch server: one Node process serving Next.js and Socket.IO on one port,
// with the database, the pipeline and (by default) the demo feed.
import next from 'next';
import { ConfigError, loadConfig } from './config';
import { startApp } from './app';
import { log } from './log';
import { seedDeployment } from './seedDeployment';
import { startDemoFeed, type DemoFeed } from './sim/demoFeed';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const dev = config.NODE_ENV === 'development';
  const say = (msg: string) => console.log(`[transitwatch] ${msg}`);
  const t0 = Date.now();

  // Pages are the web role's (server/cluster/roles.ts); another node serves only health and metrics.
  const nextApp = config.TW_ROLES.has('web') ? next({ dev, dir: process.cwd() }) : undefined;
  const nextReady = nextApp?.prepare();

  let feed: DemoFeed | undefined;
  const app = await startApp(config, {
    say,
    ingest: true,
    handler: nextApp?.getRequestHandler(),
    seed: (pool) => seedDeployment(pool, config, say),
    beforeListen: async () => void (await nextReady),
    // Another rules node runs the rules now: this one must not act on its stale picture.
    onLeaseLost: () => {
      log.fatal('the rules lease was lost to another node; exiting');
      process.exit(1);
    },
  });
  if (config.SIM) {
    feed = await startDemoFeed(app, say);
  }
  say(`ready on http://localhost:${app.port} after ${((Date.now() - t0) / 1000).toFixed(1)} s (${app.db.embedded ? 'embedded PostGIS' : 'PostGIS server'})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    await feed?.stop();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    // A setting that cannot be honoured (a port taken): the same exit as a malformed one.
    console.error(err.message);
    process.exit(2);
  }
  log.fatal({ err: err instanceof Error ? err.stack : String(err) }, 'start-up failed');
  process.exit(1);
});
