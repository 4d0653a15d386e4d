// Configuration from environment variables, validated once at start-up.
// A bad value stops start-up with a message naming the variable.
import { z } from 'zod';
import { AIS_ALLOW_DEFAULT, AllowListError, parseAddressAllow } from './ingest/ais/allow';
import { ALL_ROLES, isWholeSystem, parseRoles } from './cluster/roles';

const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** A PostGIS server. Without it an embedded PostGIS (PGlite) runs under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Connections in the pool (the embedded PostGIS always uses one: it serves one session). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Run the demo simulator (on by default: the demo world needs a live feed). */
  SIM: bool.default(true),
  SIM_TRUCKS: z.coerce.number().int().min(0).max(100_000).default(320),
  SIM_VESSELS: z.coerce.number().int().min(0).max(100_000).default(160),
  SIM_SEED: z.coerce.number().int().default(20261127),
  /** Live hub tick: one coalesced frame per room per tick. */
  LIVE_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** Trail length kept per asset for the snapshot (number of fixes). */
  TRAIL_POINTS: z.coerce.number().int().min(0).max(200).default(20),
  /** Position batch writer: flush at this many rows or after this many ms. */
  STORE_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).default(2000),
  STORE_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /**
   * Fixes taken and not stored yet (or queued for the rules node) past which this node stops reading
   * its device sockets until a quarter of that is left (server/pipeline/ingestGate.ts).
   */
  INGEST_HOLD_ROWS: z.coerce.number().int().min(1000).max(5_000_000).default(200_000),
  /** Days of positions kept; older daily partitions are dropped. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Sessions end after this long unused, and at the latest this long after sign-in. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(120),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** Mark cookies Secure (set when served over HTTPS behind a proxy). */
  COOKIE_SECURE: bool.default(false),
  /** Password of the HQ `admin` account when it is first created; generated and printed when unset. */
  TW_ADMIN_PASSWORD: z.string().min(8).max(200).optional(),
  /** Password of the demo accounts (README states the default). */
  TW_DEMO_PASSWORD: z.string().min(6).max(200).optional(),
  /** Largest request body accepted by the HTTP API. */
  /**
   * Legacy bearer token for /api/ingest/*: a token named `env` with HQ scope that may post positions
   * and events. Prefer one token per source system (`transitwatch ingest-token`), scoped to its district.
   */
  INGEST_TOKEN: z.string().min(16).max(200).optional(),
  /** Ingest listeners: AIS NMEA (TCP and UDP), JT/T 808 (TCP), OsmAnd (HTTP); 0 picks a free port, -1 turns one off. */
  AIS_PORT: z.coerce.number().int().min(-1).max(65535).default(10110),
  JT808_PORT: z.coerce.number().int().min(-1).max(65535).default(6808),
  /** JT/T 809 upper-platform server (lower platforms' main links); 0 picks a free port, -1 turns it off. */
  JT809_PORT: z.coerce.number().int().min(-1).max(65535).default(6809),
  OSMAND_PORT: z.coerce.number().int().min(-1).max(65535).default(5055),
  /**
   * Addresses and CIDR blocks (IPv4 and IPv6, comma-separated) whose TCP connections and UDP datagrams
   * the AIS listener accepts; others are counted, logged and dropped. Default: this host only.
   * The relays named in AIS_REMOTE are connected to, and trusted, without being listed here.
   */
  AIS_ALLOW: z
    .string()
    .default(AIS_ALLOW_DEFAULT)
    .superRefine((v, ctx) => {
      try {
        parseAddressAllow(v);
      } catch (err) {
        if (!(err instanceof AllowListError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
      }
    }),
  /** Remote AIS feeds to connect to (AIS-catcher, AISHub-style relays): host:port, comma-separated. */
  AIS_REMOTE: z
    .string()
    .regex(/^([^,:\s]+:\d+)(,[^,:\s]+:\d+)*$/, 'host:port[,host:port…]')
    .optional(),
  /** How often the ledger records a Merkle checkpoint over the entries since the last one. */
  LEDGER_CHECKPOINT_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  /** The Ed25519 key (PEM, mode 0600) that signs each checkpoint; created on first start. Default DATA_DIR/ledger/anchor-key.pem. */
  LEDGER_KEY_FILE: z.string().min(1).optional(),
  /** The append-only log of signed checkpoints, outside the database. Default DATA_DIR/ledger/anchors.jsonl (with DATABASE_URL: anchors-<database>-<digest>.jsonl). */
  LEDGER_ANCHOR_FILE: z.string().min(1).optional(),
  /** A JSON file of rules thresholds (any subset of the defaults; per-route overrides by route code). */
  RULES_CONFIG_FILE: z.string().min(1).optional(),
  /**
   * The e-port style folders of the customs links: <dir>/<system>/InBox (dropped messages),
   * OutBox (receipts and replies), FailBox (refused files, each with a .reason.txt). Default
   * DATA_DIR/links; "off" turns the folders off (the links still answer POST /api/links/<system>).
   * Under NODE_ENV=test they are off unless set, so a test never takes a file meant for a real run.
   */
  LINKS_DIR: z.string().min(1).optional(),
  /** How often the inbox folders are read (ms); 0: only when asked (tests drive LinkInbox.pass()). */
  LINKS_INBOX_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
  /** The district whose movements a message dropped into an inbox may touch (files are trusted as the local e-port client). */
  LINKS_INBOX_DISTRICT: z
    .string()
    .regex(/^[0-9]{4}$/, 'a 4-digit district code')
    .default('0000'),
  /** How long after arriving through the destination gate goods must be received (NOT_RECEIVED), and a flagged movement inspected (INSPECTION_OVERDUE). */
  LINKS_RECEIVE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  LINKS_INSPECTION_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  /** The AES-256 key (32 bytes, mode 0600, created on first start) that seals the WMS and webhook secrets in the database. Default DATA_DIR/secrets/seal.key. */
  SECRETS_KEY_FILE: z.string().min(1).optional(),
  /** How far a signed WMS call's X-TW-Timestamp may be from the server's clock (s); a nonce is remembered twice as long. */
  WMS_WINDOW_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  /**
   * Federation (server/federation/README.md), on a regional deployment: the national node's base URL
   * (http:// or https://), this region's code as provisioned there, and the file (mode 0600) holding
   * the secret it was given. All three, or none (then nothing is forwarded).
   */
  FEDERATION_UPSTREAM_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'http(s)://host[:port]')
    .optional(),
  FEDERATION_REGION: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{1,39}$/, '2–40 lower-case letters, digits, _ or -')
    .optional(),
  FEDERATION_SECRET_FILE: z.string().min(1).optional(),
  /** Entries and position rows per batch (a single positions entry with more rows still goes, alone: keep the national's MAX_BODY_BYTES above it). */
  FEDERATION_BATCH_ENTRIES: z.coerce.number().int().min(1).max(10_000).default(500),
  FEDERATION_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).default(3000),
  /** How often the forwarder reads the ledger when it is caught up (ms). */
  FEDERATION_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  /** Retries while the national node is unreachable: a random wait up to min(cap, base × 2^(failures-1)) ms. */
  FEDERATION_BACKOFF_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(1000),
  FEDERATION_BACKOFF_CAP_MS: z.coerce.number().int().min(1).max(3_600_000).default(60_000),
  /** On the national node: how far a region's X-TW-Timestamp may be from its clock (s); a nonce is remembered twice as long. */
  FEDERATION_WINDOW_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  /** Webhooks out (server/webhooks/): the dispatcher delivers the outbox; off: rows wait in the outbox. */
  WEBHOOKS: bool.default(true),
  /** Allow webhook URLs on loopback, private, link-local and metadata addresses (tests; a lab). */
  WEBHOOKS_ALLOW_PRIVATE: bool.default(false),
  /** One delivery's time limit (ms); a receiver that takes longer counts as failed and is retried. */
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Tries before a delivery is dead-lettered (shown on its subscription; redeliver sends it again). */
  WEBHOOKS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  /** Exponential backoff with full jitter: a random wait up to min(cap, base × 2^(attempt-1)) ms. */
  WEBHOOKS_BACKOFF_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(2_000),
  WEBHOOKS_BACKOFF_CAP_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000),
  /** Deliveries in flight at once, in all and per subscription (a hanging receiver holds only its own). */
  WEBHOOKS_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  WEBHOOKS_PER_SUBSCRIPTION: z.coerce.number().int().min(1).max(100).default(4),
  /** How often the outbox is read when no new row was announced (ms). */
  WEBHOOKS_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(2_000),
  /** Delivered rows older than this are removed from the outbox (dead ones stay until redelivered or the subscription goes). */
  WEBHOOKS_KEEP_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  /** What this node does: any of web, ingest, rules (server/cluster/roles.ts). Anything less than all three needs REDIS_URL. */
  TW_ROLES: z
    .string()
    .default(ALL_ROLES)
    .transform((v, ctx) => {
      try {
        return parseRoles(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** The Redis the nodes of one deployment share (redis:// or rediss://): live fan-out, the fix streams, change notices. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'redis://host:port or rediss://…')
    .optional(),
  /** This node's name in the cluster (logs, stream consumers, leases); default host-pid. */
  TW_NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, '1–64 letters, digits, _ . -')
    .optional(),
  /** How often the rules node acknowledges the fixes it stored, saving its rules state with them (server/cluster/fixStream.ts). */
  CLUSTER_CHECKPOINT_MS: z.coerce.number().int().min(200).max(60_000).default(3000),
  /** Test-only hooks (server/live/testHooks.ts) for the end-to-end tests; never set in production. */
  TW_TEST_HOOKS: bool.default(false),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.REDIS_URL && !parsed.data.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  REDIS_URL: the nodes of a cluster share one PostgreSQL (the embedded one serves this process only); set DATABASE_URL');
  }
  if (!isWholeSystem(parsed.data.TW_ROLES) && !parsed.data.REDIS_URL) {
    throw new ConfigError(`Invalid configuration:\n  TW_ROLES=${JSON.stringify(env.TW_ROLES)}: a node with only some roles shares the work through Redis; set REDIS_URL`);
  }
  const fed = [parsed.data.FEDERATION_UPSTREAM_URL, parsed.data.FEDERATION_REGION, parsed.data.FEDERATION_SECRET_FILE].filter((v) => v !== undefined).length;
  if (fed !== 0 && fed !== 3) {
    throw new ConfigError('Invalid configuration:\n  FEDERATION_UPSTREAM_URL, FEDERATION_REGION and FEDERATION_SECRET_FILE: set all three to forward to a national node, or none');
  }
  return parsed.data;
}
