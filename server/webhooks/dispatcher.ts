// Delivers the webhook outbox (rows written by the alerts and events triggers, in the same
// transaction as what they announce). At least once: a row is claimed with FOR UPDATE SKIP LOCKED
// and leased (lease_until) for longer than a delivery may take, so two dispatchers (or nodes) never
// send it at the same time, and one that dies mid-delivery leaves it to be sent again when the lease
// runs out. A failure waits a random time up to min(cap, base × 2^(attempt-1)) (full jitter); after
// WEBHOOKS_MAX_ATTEMPTS it is dead-lettered. In flight at once: WEBHOOKS_CONCURRENCY in all and
// WEBHOOKS_PER_SUBSCRIPTION per subscription (counted from the leases, across nodes), so a hanging
// receiver holds only its own slots. Nothing here runs inside the ingest or alert transactions:
// a slow receiver never slows them. Woken by NOTIFY webhook_outbox (server) and a poll.
import pg from 'pg';
import { Counter } from 'prom-client';
import { log } from '../log';
import { closeLabels } from '../metricLabels';
import { registry } from '../metrics';
import type { SecretBox } from '../secrets/sealed';
import { deliver, type DeliveryResult } from './deliver';
import { secretAad } from './subscriptions';

export const webhookDeliveries = closeLabels(
  new Counter({
    name: 'tw_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome (delivered, retry, dead) and failure reason',
    labelNames: ['outcome', 'reason'] as const,
    registers: [registry],
  }),
  { outcome: ['delivered', 'retry', 'dead'], reason: ['none', 'status', 'timeout', 'network', 'address', 'redirect', 'secret'] },
);

export interface DispatcherOptions {
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  concurrency: number;
  perSubscription: number;
  pollMs: number;
  allowPrivate: boolean;
  keepDays: number;
  /** A database URL to LISTEN on (a server); without it the poll alone wakes the dispatcher. */
  listenUrl?: string;
}

interface Claimed {
  id: string;
  subscription_id: string;
  event_id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
  url: string;
  secret: string;
}

/** The wait before attempt `attempts + 1`: full jitter over an exponential ceiling. */
export function backoffMs(attempts: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempts - 1, 40));
  return Math.floor(random() * ceiling);
}

/** The body of a delivery: the same bytes on every attempt of one row. */
export function deliveryBody(row: { event_id: string; kind: string; created_at: Date; payload: unknown; subscription_id: string }): string {
  return JSON.stringify({ eventId: row.event_id, type: row.kind, time: row.created_at.toISOString(), subscription: row.subscription_id, data: row.payload });
}

export class WebhookDispatcher {
  private inflight = 0;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private again = false;
  private stopped = true;
  private abort = new AbortController();
  private listener: pg.Client | undefined;
  private running = new Set<Promise<void>>();
  private lastPrune = 0;

  constructor(
    private pool: pg.Pool,
    private box: SecretBox,
    private opts: DispatcherOptions,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.abort = new AbortController();
    if (this.opts.listenUrl) {
      try {
        const client = new pg.Client({ connectionString: this.opts.listenUrl });
        client.on('error', (err) => log.warn({ err: err.message }, 'webhook LISTEN connection failed; polling only'));
        client.on('notification', () => this.nudge());
        await client.connect();
        await client.query('LISTEN webhook_outbox');
        this.listener = client;
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'webhook LISTEN unavailable; polling only');
      }
    }
    this.schedule(0);
  }

  /** Something new may be due (a NOTIFY, a redeliver): look now. */
  nudge(): void {
    if (!this.stopped) this.schedule(0);
  }

  /** Stops claiming; deliveries in flight are cut short (their leases run out and they are sent again). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await Promise.allSettled([...this.running]);
    await this.listener?.end().catch(() => {});
    this.listener = undefined;
  }

  /** Resolves when nothing is in flight (tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), ms);
    this.timer.unref();
  }

  private async pump(): Promise<void> {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        const free = this.opts.concurrency - this.inflight;
        if (free <= 0) break;
        const rows = await this.claim(free);
        for (const row of rows) this.launch(row);
        if (rows.length === free) this.again = true;
      } while (this.again && !this.stopped);
      await this.prune();
    } catch (err) {
      log.error({ err: (err as Error).message }, 'webhook dispatch failed');
    } finally {
      this.pumping = false;
      if (!this.stopped) this.schedule(this.opts.pollMs);
    }
  }

  private async claim(limit: number): Promise<Claimed[]> {
    const lease = this.opts.timeoutMs + 5_000;
    const { rows } = await this.pool.query<Claimed>(
      `WITH busy AS (
         SELECT subscription_id, count(*)::int AS n FROM webhook_outbox WHERE state = 'pending' AND lease_until > now() GROUP BY subscription_id
       ), cand AS (
         SELECT o.id, o.next_attempt_at, s.id AS sub, coalesce(b.n, 0) AS busy
         FROM webhook_subscriptions s
         LEFT JOIN busy b ON b.subscription_id = s.id
         CROSS JOIN LATERAL (
           SELECT o.id, o.next_attempt_at FROM webhook_outbox o
           WHERE o.subscription_id = s.id AND o.state = 'pending' AND o.next_attempt_at <= now() AND (o.lease_until IS NULL OR o.lease_until <= now())
           ORDER BY o.next_attempt_at, o.id LIMIT $2
           FOR UPDATE OF o SKIP LOCKED) o
         WHERE s.enabled AND coalesce(b.n, 0) < $2
       ), pick AS (
         SELECT id FROM (SELECT c.*, row_number() OVER (PARTITION BY c.sub ORDER BY c.next_attempt_at, c.id) AS rn FROM cand c) r
         WHERE r.rn <= $2 - r.busy ORDER BY r.next_attempt_at, r.id LIMIT $1
       )
       UPDATE webhook_outbox o SET lease_until = now() + make_interval(secs => $3 / 1000.0), attempts = o.attempts + 1
       FROM pick, webhook_subscriptions s WHERE o.id = pick.id AND s.id = o.subscription_id
       RETURNING o.id, o.subscription_id, o.event_id, o.kind, o.payload, o.attempts, o.created_at, s.url, s.secret`,
      [limit, this.opts.perSubscription, lease],
    );
    return rows;
  }

  private launch(row: Claimed): void {
    this.inflight++;
    const p = this.deliverOne(row)
      .catch((err: Error) => log.error({ err: err.message, outbox: row.id }, 'a webhook delivery could not be recorded'))
      .finally(() => {
        this.inflight--;
        this.running.delete(p);
        if (!this.stopped) this.schedule(0);
      });
    this.running.add(p);
  }

  private async deliverOne(row: Claimed): Promise<void> {
    let result: DeliveryResult;
    let secret: string | undefined;
    try {
      secret = this.box.open(row.secret, secretAad(row.subscription_id));
    } catch {
      result = { ok: false, reason: 'network', status: null, error: 'the subscription secret cannot be opened (SECRETS_KEY_FILE changed?)' };
    }
    result ??= await deliver(
      { url: row.url, body: deliveryBody(row), secret: secret!, eventId: row.event_id, eventType: row.kind, attempt: row.attempts },
      { timeoutMs: this.opts.timeoutMs, allowPrivate: this.opts.allowPrivate, signal: this.abort.signal },
    );
    if (this.stopped && !result.ok) {
      // Cut short by stop(): give the attempt back so a restart sends it at once.
      await this.pool.query(`UPDATE webhook_outbox SET lease_until = NULL, attempts = attempts - 1 WHERE id = $1 AND state = 'pending'`, [row.id]);
      return;
    }
    if (result.ok) {
      await this.pool.query(
        `WITH o AS (UPDATE webhook_outbox SET state = 'delivered', delivered_at = now(), lease_until = NULL, last_status = $2, last_error = NULL
                    WHERE id = $1 AND state = 'pending' RETURNING subscription_id)
         UPDATE webhook_subscriptions s SET last_success_at = now(), delivered_count = delivered_count + 1 FROM o WHERE s.id = o.subscription_id`,
        [row.id, result.status],
      );
      webhookDeliveries.inc({ outcome: 'delivered', reason: 'none' });
      return;
    }
    const dead = row.attempts >= this.opts.maxAttempts;
    const wait = backoffMs(row.attempts, this.opts.backoffBaseMs, this.opts.backoffCapMs);
    const error = `attempt ${row.attempts}: ${result.error}`;
    await this.pool.query(
      `WITH o AS (UPDATE webhook_outbox SET state = CASE WHEN $2 THEN 'dead' ELSE 'pending' END, lease_until = NULL,
                    next_attempt_at = now() + make_interval(secs => $3 / 1000.0), last_error = $4, last_status = $5
                  WHERE id = $1 AND state = 'pending' RETURNING subscription_id)
       UPDATE webhook_subscriptions s SET last_error = $4, last_error_at = now() FROM o WHERE s.id = o.subscription_id`,
      [row.id, dead, wait, error, result.status],
    );
    webhookDeliveries.inc({ outcome: dead ? 'dead' : 'retry', reason: result.reason });
  }

  /** Removes delivered rows older than WEBHOOKS_KEEP_DAYS, at most once an hour. */
  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < 3_600_000) return;
    this.lastPrune = Date.now();
    await this.pool.query(`DELETE FROM webhook_outbox WHERE state = 'delivered' AND delivered_at < now() - make_interval(days => $1)`, [this.opts.keepDays]);
  }
}
