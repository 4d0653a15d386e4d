// Wires the parts together: database → registry → pipeline → live hub → HTTP + Socket.IO,
// with sign-in and jurisdiction in front of every HTTP request and socket.
// Used by server/index.ts (with Next) and by the tests (without it).
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { Server as IoServer } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ClientToServer, ServerToClient } from '../lib/wire';
import { ConfigError, type Config } from './config';
import { openDatabase, type Database } from '../db/database';
import { DistrictTree } from './auth/districtTree';
import { KioskSignIn } from './auth/kiosk';
import { Sessions } from './auth/sessions';
import { SignIn } from './auth/signIn';
import { authenticateSockets, type SocketData } from './auth/socketAuth';
import { AlertService } from './alerts/alertService';
import { startRules, type RulesRuntime } from './alerts/rulesRuntime';
import { getContext, setContext } from './context';
import { guard } from './http/guard';
import { anchorFiles, anchorGraceMs, LedgerAnchorer } from './ledger/anchorer';
import { LedgerCheckpointer } from './ledger/checkpoint';
import { startListeners, type Listeners } from './ingest/listeners';
import { IngestTokens } from './ingest/tokens';
import { LiveHub } from './live/hub';
import type { InterServerEvents, LiveServer } from './live/io';
import { MapStatus } from './live/mapStatus';
import { LiveTestHooks } from './live/testHooks';
import { log } from './log';
import { federationReceived, federationRefused, registry as metricsRegistry } from './metrics';
import { MovementService, type SettleRules } from './movements/movementService';
import { startLinks, type LinksRuntime } from './links/runtime';
import { startPortCalls, type PortCallsRuntime } from './links/portcalls/runtime';
import { ZoneUnauthorised } from './links/zone/unauthorised';
import { AssetRegistry } from './pipeline/assetRegistry';
import { LatestState } from './pipeline/latestState';
import { Pipeline } from './pipeline/pipeline';
import { PositionWriter } from './pipeline/positionWriter';
import { SecretBox } from './secrets/sealed';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { clusterPrefix, connectRedis, type Redis } from './cluster/redis';
import { localBus, redisBus } from './cluster/bus';
import { FixStreamConsumer, FixStreamProducer, fixStreamKey } from './cluster/fixStream';
import { IngestGate } from './pipeline/ingestGate';
import { RulesLease } from './cluster/rulesLease';
import { followRemote, remoteColours, remoteRules, type ColourCommands, type RulesCommands } from './cluster/remote';
import { hostname } from 'node:os';
import { Forwarder } from './federation/forwarder';
import { forwarderOptions } from './federation/fromConfig';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface App {
  config: Config;
  db: Database;
  http: HttpServer;
  io: LiveServer;
  hub: LiveHub;
  pipeline: Pipeline;
  latest: LatestState;
  writer: PositionWriter;
  registry: AssetRegistry;
  movements: MovementService;
  mapStatus: MapStatus;
  districts: DistrictTree;
  sessions: Sessions;
  alerts: AlertService;
  /** The rules engine: on a node with the rules role. */
  rules?: RulesRuntime;
  /** The customs links (POST /api/links/<system>, inbox folders, reconciliation). */
  links: LinksRuntime;
  /** Vessel arrivals and departures at ports and anchorages, from AIS (server/links/portcalls/). */
  portCalls?: PortCallsRuntime;
  /** Webhooks out: delivers the outbox (absent with WEBHOOKS=0). */
  webhooks?: WebhookDispatcher;
  /** Federation: forwards this region's ledger to the national node (on the rules node, with FEDERATION_UPSTREAM_URL). */
  forwarder?: Forwarder;
  /** Seals the HMAC secrets kept in the database (SECRETS_KEY_FILE). */
  secrets: SecretBox;
  /** Present when started with `ingest: true` on a node with the ingest role. */
  listeners?: Listeners;
  /** The Redis the cluster shares (REDIS_URL), and the prefix of this deployment's names in it. */
  redis?: { client: Redis; prefix: string };
  port: number;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Handles every request the server itself does not (Next.js). */
  handler?: RequestHandler;
  /** Fills an empty database (demo world, accounts) before anything is loaded from it. */
  seed?: (pool: pg.Pool) => Promise<void>;
  /** Runs after everything is loaded and before the port opens. */
  beforeListen?: () => Promise<void>;
  /** Open the ingest listeners (AIS, JT/T 808, OsmAnd) on the configured ports. */
  ingest?: boolean;
  say?: (msg: string) => void;
  /** This rules node lost its lease to another (server/index.ts exits, for the supervisor to restart it as a standby). */
  onLeaseLost?: () => void;
}

export async function startApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const say = opts.say ?? ((m: string) => log.info(m));
  const roles = config.TW_ROLES;
  // Read before anything opens: a missing or open secret file stops start-up, naming the setting.
  const fedOptions = forwarderOptions(config);
  const redis = config.REDIS_URL ? { client: await connectRedis(config.REDIS_URL, say), prefix: clusterPrefix(config.DATABASE_URL!) } : undefined;
  const nodeId = config.TW_NODE_ID ?? `${hostname()}-${process.pid}`;
  // A rules node takes the lease before it loads the picture it will own: a standby waits here (rulesLease.ts).
  // One that loses it (it stalled past the lease, and another took over) stops reading fixes at once.
  let fixConsumer: FixStreamConsumer | undefined;
  const lease =
    redis && roles.has('rules')
      ? await RulesLease.acquire(
          redis.client,
          redis.prefix,
          nodeId,
          () => {
            void fixConsumer?.stop(false);
            opts.onLeaseLost?.();
          },
          say,
        )
      : undefined;
  // Opened before anything is loaded, so no notice sent meanwhile is missed (see bus.ts).
  const bus = redis ? await redisBus(redis.client, redis.prefix, nodeId) : localBus;
  if (redis) say(`cluster node ${nodeId}: ${[...roles].join(', ')} (${redis.prefix})`);
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DATABASE_POOL_MAX, say, seed: opts.seed });

  const districts = new DistrictTree();
  await districts.load(db.pool);
  const registry = new AssetRegistry(db.pool);
  await registry.load();
  const movements = new MovementService(db.pool);
  await movements.load();
  const latest = new LatestState(config.TRAIL_POINTS);
  const restored = await latest.restore(db.pool, 30 * 60_000);
  if (restored) say(`Restored the latest positions of ${restored} assets`);
  // The device sockets of this node are held while what it took is not stored (or, on a node
  // without the rules role, not read by the rules node) past INGEST_HOLD_ROWS.
  const gate = new IngestGate(config.INGEST_HOLD_ROWS, Math.floor(config.INGEST_HOLD_ROWS / 4));
  const fixProducer = redis && !roles.has('rules') ? new FixStreamProducer(redis.client, fixStreamKey(redis.prefix), gate) : undefined;
  const writer = new PositionWriter(db.pool, { batchRows: config.STORE_BATCH_ROWS, flushMs: config.STORE_FLUSH_MS, ...(!fixProducer && { gate }) });
  const pipeline = new Pipeline(registry, latest, writer);
  // Between nodes, fixes travel by a Redis stream: a node without the rules role sends, the rules node reads.
  if (fixProducer) pipeline.forwardTo((report, source) => fixProducer.add(report, source));
  const sessions = new Sessions(db.pool, { idleMs: config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.SESSION_MAX_HOURS * 3_600_000 });
  const signIn = new SignIn(db.pool, sessions);
  const ingestTokens = new IngestTokens(db.pool, config.INGEST_TOKEN);
  if (config.INGEST_TOKEN)
    say('INGEST_TOKEN is set: a legacy ingest token named "env" with HQ scope (positions and events); give each system its own with `transitwatch ingest-token`');
  setContext({ pool: db.pool, pipeline, ingestGate: gate, sessions, signIn, districts, secureCookies: config.COOKIE_SECURE, ingestTokens, startedAt: Date.now() });

  const dev = config.NODE_ENV === 'development';
  const kiosk = new KioskSignIn(db.pool, sessions);
  const guardOpts = { sessions, ingestTokens, maxBodyBytes: config.MAX_BODY_BYTES, dev, kiosk, secureCookies: config.COOKIE_SECURE };
  const testHooks: LiveTestHooks | undefined = config.TW_TEST_HOOKS
    ? new LiveTestHooks(
        (): LiveServer => io,
        () => listeners?.ports,
      )
    : undefined;
  const http = createServer((req, res) => {
    if (testHooks?.handle(req, res, (req.url ?? '/').split('?')[0]!)) return;
    // A node without the web role answers its health and (loopback) metrics, nothing else.
    void route(req, res, guardOpts, roles.has('web') ? opts.handler : undefined);
  });
  const io: LiveServer = new IoServer<ClientToServer, ServerToClient<Buffer>, InterServerEvents, SocketData>(http, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // A node without the web role serves no client; the others' sockets hear its emits through Redis.
    ...(!roles.has('web')
      ? { allowRequest: (_req, answer) => answer('this node does not serve clients (TW_ROLES)', false) }
      : testHooks && { allowRequest: testHooks.allowRequest }),
    // Every room emit goes through a Redis stream (server/cluster/README.md: why streams, not pub/sub).
    ...(redis && { adapter: createAdapter(redis.client, { streamName: `${redis.prefix}:live`, channelPrefix: `${redis.prefix}:live`, maxLen: 10_000 }) }),
  });
  authenticateSockets(io, sessions);
  // An alert raised or cleared re-sends its asset in the next tick, in its new colour.
  const mapStatus = new MapStatus((assetId) => latest.touch(assetId));
  const hub = new LiveHub(io, latest, registry, movements, districts, mapStatus, {
    tickMs: config.LIVE_TICK_MS,
    staleAfterMs: { vehicle: 5 * 60_000, vessel: 10 * 60_000 },
    cluster: !!redis,
  });
  const alerts = new AlertService(db.pool, hub, movements, registry);
  // The rules role runs the engine, the map colours it feeds and the checks beside it; a node
  // without it hands their commands to the rules node (server/cluster/remote.ts).
  let rules: RulesRuntime | undefined;
  let zoneCheck: ZoneUnauthorised | undefined;
  let commands: RulesCommands;
  let colours: ColourCommands;
  if (roles.has('rules')) {
    // Bonded-zone crossings the rules report are checked against the 核放单 passports (ZONE_UNAUTHORISED).
    const zones = new ZoneUnauthorised(db.pool, alerts, mapStatus, (assetId) => movements.forAsset(assetId)?.id);
    const engine = await startRules(db.pool, pipeline, {
      open: movements.open(),
      listeners: [mapStatus, alerts, zones],
      aisClassOf: (id) => registry.byAssetId(id)?.aisClass ?? undefined,
      configFile: config.RULES_CONFIG_FILE,
      warn: say,
      settle: async () => {
        await alerts.apply([]);
        await zones.idle();
      },
    });
    await zones.restoreColours();
    const acknowledged = (episode: string) => {
      engine.acknowledge(episode);
      zones.acknowledged(episode);
    };
    alerts.onAcknowledged = acknowledged;
    followRemote(bus, engine, mapStatus, acknowledged);
    [rules, zoneCheck, commands, colours] = [engine, zones, engine, mapStatus];
  } else {
    commands = remoteRules(bus);
    colours = remoteColours(bus);
    alerts.onAcknowledged = (episode) => commands.acknowledge(episode);
  }
  // From here on every movement change reaches the live scopes and the rules, on every node.
  movements.follow({ live: hub, rules: commands });
  movements.announceTo((id, then) => bus.publish('movement', { id, then }));
  bus.on('movement', (n) => movements.refresh(n.id as number, n.then as SettleRules));
  // An office added on one node is in every node's tree.
  bus.on('districts', () => districts.load(db.pool));
  const onEvents = (events: { kind: string; time: number; assetId: number | null; consignmentId: number | null }[]) => {
    for (const e of events) commands.onEvent(e);
  };
  const links = await startLinks(config, { pool: db.pool, movements, alerts, mapStatus: colours, onEvents }, say, roles.has('rules'));
  const portCalls = rules ? await startPortCalls({ pool: db.pool, pipeline, geo: rules.geo }) : undefined;
  const ledgerFiles = anchorFiles(config);
  const secrets = SecretBox.forConfig(config);
  // One dispatcher, on the rules node: the outbox is delivered once.
  const webhooks =
    config.WEBHOOKS && roles.has('rules')
      ? new WebhookDispatcher(db.pool, secrets, {
          timeoutMs: config.WEBHOOKS_TIMEOUT_MS,
          maxAttempts: config.WEBHOOKS_MAX_ATTEMPTS,
          backoffBaseMs: config.WEBHOOKS_BACKOFF_BASE_MS,
          backoffCapMs: config.WEBHOOKS_BACKOFF_CAP_MS,
          concurrency: config.WEBHOOKS_CONCURRENCY,
          perSubscription: config.WEBHOOKS_PER_SUBSCRIPTION,
          pollMs: config.WEBHOOKS_POLL_MS,
          allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE,
          keepDays: config.WEBHOOKS_KEEP_DAYS,
          // The embedded database serves one connection (the pool's): it is polled instead.
          ...(!db.embedded && config.DATABASE_URL && { listenUrl: config.DATABASE_URL }),
        })
      : undefined;
  // Federation: one forwarder per deployment, on the rules node (server/federation/README.md).
  const forwarder = fedOptions && roles.has('rules') ? new Forwarder(db.pool, fedOptions) : undefined;
  setContext({
    ...getContext(),
    secrets,
    federation: {
      forwarder,
      windowSeconds: config.FEDERATION_WINDOW_SECONDS,
      count: { received: (n) => federationReceived.inc(n), refused: (reason) => federationRefused.inc({ reason }) },
    },
    wmsWindowSeconds: config.WMS_WINDOW_SECONDS,
    webhooks: { dispatcher: webhooks, allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE },
    ledgerAnchors: { ...ledgerFiles, graceMs: anchorGraceMs(config.LEDGER_CHECKPOINT_SECONDS) },
    alerts,
    movements,
    onWorldChanged: () => commands.reloadFences(),
    rules: commands,
    onEvents,
    links: links.receiver,
    bus,
  });
  await opts.beforeListen?.();

  // The loops that must run once per deployment run on the rules node: storing positions, the
  // ledger's checkpoints, retention, webhook deliveries, the live frames.
  const anchorer = rules ? await LedgerAnchorer.open(ledgerFiles, { say }) : undefined;
  const checkpointer = anchorer && new LedgerCheckpointer(db.pool, { everyMs: config.LEDGER_CHECKPOINT_SECONDS * 1000, anchorer });
  let retention: NodeJS.Timeout | undefined;
  if (rules) {
    writer.start();
    checkpointer!.start();
    hub.startTicks();
    // Retention: drop daily position partitions older than RETENTION_DAYS, now and every 6 hours.
    const dropOld = () =>
      db.pool
        .query('SELECT drop_old_positions_partitions($1) AS n', [config.RETENTION_DAYS])
        .then(({ rows }) => rows[0].n > 0 && say(`retention: dropped ${rows[0].n} position partitions older than ${config.RETENTION_DAYS} days`))
        .catch((err: Error) => log.error({ err: err.message }, 'retention failed'));
    void dropOld();
    retention = setInterval(dropOld, 6 * 3_600_000);
    retention.unref();
  }
  if (roles.has('web')) hub.serveClients();
  await webhooks?.start();
  forwarder?.start();
  bus.start();
  if (rules && redis) {
    const engine = rules;
    fixConsumer = new FixStreamConsumer(redis.client, fixStreamKey(redis.prefix), nodeId, {
      take: (report, source, replayed) => pipeline.ingest(report, source, replayed),
      // Acknowledged once stored, with the rules state that includes them saved (fixStream.ts).
      checkpoint: () => {
        const mark = writer.mark();
        return engine.save(() => writer.settled(mark));
      },
      checkpointMs: config.CLUSTER_CHECKPOINT_MS,
      held: () => gate.held,
    });
    await fixConsumer.start();
  }

  const shutdown = async () => {
    clearInterval(retention);
    await listeners?.close();
    await fixProducer?.stop();
    await fixConsumer?.stop();
    await webhooks?.stop();
    await forwarder?.stop();
    await links.stop();
    await portCalls?.stop();
    await rules?.stop();
    await zoneCheck?.idle();
    alerts.closing = true;
    await alerts.apply([]); // what the rules decided last is stored (status changes reach the movements)
    await movements.drain();
    hub.stop();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await writer.stop();
    if (checkpointer) {
      await checkpointer.stop();
      await checkpointer.tick(); // a last checkpoint over what this run stored, anchored
    }
    await anchorer?.close();
    await bus.close();
    await lease?.release();
    await db.close();
    await redis?.client.quit().catch(() => undefined);
  };
  let listeners: Listeners | undefined;
  try {
    // A port that cannot be opened stops start-up, naming its setting (PORT, JT808_PORT, …).
    await new Promise<void>((resolve, reject) => {
      const refused = (err: NodeJS.ErrnoException) => reject(new ConfigError(`PORT ${config.PORT}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`));
      http.once('error', refused);
      http.listen(config.PORT, config.HOST, () => {
        http.off('error', refused);
        resolve();
      });
    });
    listeners = opts.ingest && roles.has('ingest') ? await startListeners(config, pipeline, db.pool, registry, say, gate) : undefined;
  } catch (err) {
    await shutdown();
    throw err;
  }
  const port = (http.address() as AddressInfo).port;

  return {
    config,
    db,
    http,
    io,
    hub,
    pipeline,
    latest,
    writer,
    registry,
    movements,
    links,
    portCalls,
    webhooks,
    forwarder,
    secrets,
    mapStatus,
    districts,
    sessions,
    alerts,
    rules,
    listeners,
    redis,
    port,
    close: shutdown,
  };
}

async function route(req: IncomingMessage, res: ServerResponse, guardOpts: Parameters<typeof guard>[2], handler?: RequestHandler): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  try {
    const gate = await guard(req, res, guardOpts);
    if (!gate.pass) return;
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
