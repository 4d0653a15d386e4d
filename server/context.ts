// Hands the server's live objects to Next route handlers, which Next bundles separately:
// the module graph is not shared, the process (and so globalThis) is.
import type pg from 'pg';
import type { ClusterBus } from './cluster/bus';
import type { RulesRuntime } from './alerts/rulesRuntime';
import type { DistrictTree } from './auth/districtTree';
import type { Sessions } from './auth/sessions';
import type { SignIn } from './auth/signIn';
import type { IngestTokens } from './ingest/tokens';
import type { Pipeline } from './pipeline/pipeline';
import type { AlertService } from './alerts/alertService';
import type { MovementService } from './movements/movementService';
import type { AnchorFiles } from './ledger/anchorer';
import type { LinkReceiver } from './links/receiver';
import type { SecretBox } from './secrets/sealed';
import type { WebhookDispatcher } from './webhooks/dispatcher';
import type { IngestGate } from './pipeline/ingestGate';
import type { Forwarder } from './federation/forwarder';
import type { FederationCounters } from './federation/receiver';

export interface ServerContext {
  pool: pg.Pool;
  /** Change notices to the other nodes of a cluster (nothing on a single node). */
  bus?: ClusterBus;
  pipeline: Pipeline;
  /** Held while the store is behind: HTTP ingest answers 503 then (server/pipeline/ingestGate.ts). */
  ingestGate?: IngestGate;
  sessions: Sessions;
  signIn: SignIn;
  districts: DistrictTree;
  secureCookies: boolean;
  /** Checks the bearer tokens of /api/ingest/* (stored per-system tokens and the legacy INGEST_TOKEN). */
  ingestTokens?: IngestTokens;
  alerts?: AlertService;
  /** Routes or sites changed: reload what the geofence engine holds. */
  onWorldChanged?: () => Promise<void>;
  /** Settings the running rules engine takes without a restart: per-route thresholds, per-asset reporting intervals. */
  rules?: Pick<RulesRuntime, 'setRouteRules' | 'setReportInterval'>;
  /** The one owner of movements: every create, status change, close and cancel goes through it. */
  movements?: MovementService;
  /** Gate, warehouse and seal events were stored: the rules engine hears of them. */
  onEvents?: (events: { kind: string; time: number; assetId: number | null; consignmentId: number | null }[]) => void;
  /** The customs and partner links (POST /api/links/<system>). */
  links?: LinkReceiver;
  /** Seals and opens the HMAC secrets kept in the database (WMS systems, webhook subscriptions). */
  secrets?: SecretBox;
  /** The signed WMS calls' timestamp window (s). */
  wmsWindowSeconds?: number;
  /** Webhooks out: the dispatcher (nudged on redeliver) and whether private addresses are allowed. */
  webhooks?: { dispatcher?: WebhookDispatcher; allowPrivate: boolean };
  /** Federation: the regional forwarder (on the rules node of a regional deployment) and the national receiver's timestamp window (s). */
  federation?: { forwarder?: Forwarder; windowSeconds: number; count: FederationCounters };
  startedAt: number;
  /** The ledger's key and anchor log, and how long a checkpoint may wait for its anchor, for GET /api/ledger/verify. */
  ledgerAnchors?: AnchorFiles & { graceMs: number };
}

const KEY = Symbol.for('transitwatch.context');

export function setContext(ctx: ServerContext): void {
  (globalThis as Record<symbol, unknown>)[KEY] = ctx;
}

export function getContext(): ServerContext {
  const ctx = (globalThis as Record<symbol, unknown>)[KEY] as ServerContext | undefined;
  if (!ctx) throw new Error('server context is not set: run through server/index.ts');
  return ctx;
}
