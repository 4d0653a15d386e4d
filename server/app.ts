// Wires the parts together: database → registry → pipeline → live hub → HTTP + Socket.IO.
// Used by server/index.ts (with Next) and by the tests (without it).
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as IoServer } from 'socket.io';
import type { Config } from './config';
import { setContext } from './context';
import { openDatabase, type Database } from '../db/database';
import { LiveHub } from './live/hub';
import { log } from './log';
import { registry as metricsRegistry } from './metrics';
import { AssetRegistry } from './pipeline/assetRegistry';
import { ConsignmentIndex } from './pipeline/consignmentIndex';
import { LatestState } from './pipeline/latestState';
import { Pipeline } from './pipeline/pipeline';
import { PositionWriter } from './pipeline/positionWriter';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface App {
  config: Config;
  db: Database;
  http: HttpServer;
  io: IoServer;
  hub: LiveHub;
  pipeline: Pipeline;
  latest: LatestState;
  writer: PositionWriter;
  registry: AssetRegistry;
  consignments: ConsignmentIndex;
  port: number;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Handles every request the server itself does not (Next.js). */
  handler?: RequestHandler;
  /** Runs after the database and pipeline exist and before the port opens (e.g. seeding). */
  beforeListen?: (app: Omit<App, 'port' | 'close'>) => Promise<void>;
  say?: (msg: string) => void;
}

export async function startApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const say = opts.say ?? ((m: string) => log.info(m));
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, embeddedPort: config.EMBEDDED_PG_PORT, poolMax: config.DATABASE_POOL_MAX, say });
  const registry = new AssetRegistry(db.pool);
  await registry.load();
  const consignments = new ConsignmentIndex();
  await consignments.load(db.pool);
  const latest = new LatestState(config.TRAIL_POINTS);
  const restored = await latest.restore(db.pool, 30 * 60_000);
  if (restored) say(`Restored the latest positions of ${restored} assets`);
  const writer = new PositionWriter(db.pool, { batchRows: config.STORE_BATCH_ROWS, flushMs: config.STORE_FLUSH_MS });
  const pipeline = new Pipeline(registry, latest, writer);
  setContext({ pool: db.pool, pipeline, startedAt: Date.now() });

  const http = createServer((req, res) => void route(req, res, opts.handler));
  const io = new IoServer(http, { serveClient: false, maxHttpBufferSize: 1e6 });
  const hub = new LiveHub(io, latest, registry, consignments, {
    tickMs: config.LIVE_TICK_MS,
    staleAfterMs: { vehicle: 5 * 60_000, vessel: 10 * 60_000 },
  });
  const parts = { config, db, http, io, hub, pipeline, latest, writer, registry, consignments };
  await opts.beforeListen?.(parts);

  writer.start();
  hub.start();
  // Retention: drop daily position partitions older than RETENTION_DAYS, now and every 6 hours.
  const dropOld = () => db.pool.query('SELECT drop_old_positions_partitions($1) AS n', [config.RETENTION_DAYS])
    .then(({ rows }) => rows[0].n > 0 && say(`retention: dropped ${rows[0].n} position partitions older than ${config.RETENTION_DAYS} days`))
    .catch((err: Error) => log.error({ err: err.message }, 'retention failed'));
  void dropOld();
  const retention = setInterval(dropOld, 6 * 3_600_000);
  retention.unref();
  await new Promise<void>((resolve) => http.listen(config.PORT, config.HOST, resolve));
  const port = (http.address() as AddressInfo).port;

  return {
    ...parts,
    port,
    async close() {
      clearInterval(retention);
      hub.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await writer.stop();
      await db.close();
    },
  };
}

async function route(req: IncomingMessage, res: ServerResponse, handler?: RequestHandler): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  try {
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
    } else if (path === '/metrics') {
      res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(await metricsRegistry.metrics());
    } else if (handler) {
      await handler(req, res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  } catch (err) {
    log.error({ err: (err as Error).message, path }, 'request failed');
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
  }
}
