// The regional forwarder (README.md): runs once per deployment, on the node with the rules role. It
// asks the national node for its cursor (the last seq it stored of this region) on every (re)connect,
// then sends the ledger from there in signed batches (./batchReader.ts). The regional keeps working
// alone while the link is down: its ledger is the queue, so nothing is buffered in memory and
// nothing is lost; the forwarder retries with exponential backoff and full jitter, logs once per
// outage, and catches up from the national's cursor when the link returns.
import type pg from 'pg';
import { log } from '../log';
import { signedHeaders } from '../links/signing';
import { federationBatches, federationLag, federationLastSentSeq, federationLinkUp } from '../metrics';
import { readBatch, type BatchLimits } from './batchReader';
import { BATCHES_PATH, CURSOR_PATH, type CursorAnswer } from './wire';

export interface ForwarderOptions {
  /** The national node's base URL (FEDERATION_UPSTREAM_URL). */
  upstream: string;
  /** This region's code, as provisioned on the national node. */
  region: string;
  secret: string;
  limits: BatchLimits;
  /** How often the ledger is read when the last read found nothing new (ms). */
  pollMs: number;
  /** Retry wait: a random time up to min(cap, base × 2^(failures-1)) ms. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** One call's time limit (ms). */
  timeoutMs: number;
}

export interface ForwarderState {
  region: string;
  upstream: string;
  link: 'up' | 'down' | 'starting';
  /** The national node's cursor as last heard (the last seq it stored); null until asked. */
  lastSentSeq: number | null;
  /** This ledger's newest seq when last read. */
  head: number;
  /** Entries not yet stored upstream. */
  lag: number | null;
  lastBatchAt: string | null;
  downSince: string | null;
  lastError: string | null;
  failures: number;
}

/** The national node refused or could not be reached. */
class LinkError extends Error {}

export class Forwarder {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private cursor: number | null = null;
  private s: ForwarderState;

  constructor(
    private pool: pg.Pool,
    private opts: ForwarderOptions,
  ) {
    this.s = {
      region: opts.region,
      upstream: opts.upstream,
      link: 'starting',
      lastSentSeq: null,
      head: 0,
      lag: null,
      lastBatchAt: null,
      downSince: null,
      lastError: null,
      failures: 0,
    };
  }

  state(): ForwarderState {
    return { ...this.s };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.nudge();
    await this.loop;
  }

  /** Reads the ledger now instead of at the next poll. */
  nudge(): void {
    clearTimeout(this.timer);
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let wait = this.opts.pollMs;
      try {
        this.cursor ??= (await this.call<CursorAnswer>('GET', CURSOR_PATH, '')).cursor;
        const batch = await readBatch(this.pool, this.cursor, this.opts.limits);
        if (batch) {
          this.s.head = batch.head;
          const answer = await this.call<CursorAnswer>('POST', BATCHES_PATH, JSON.stringify(batch), true);
          federationBatches.inc({ outcome: answer.stored ? 'stored' : 'cursor' });
          this.cursor = answer.cursor;
          if (answer.stored) this.s.lastBatchAt = new Date().toISOString();
          // More waiting: go on at once.
          if (answer.cursor < batch.head) wait = 0;
        } else {
          this.s.head = this.cursor;
        }
        this.linkUp();
      } catch (err) {
        if (err instanceof LinkError) {
          federationBatches.inc({ outcome: 'failed' });
          this.linkDown(err.message);
          this.cursor = null; // asked again on reconnect: the national node owns it
        } else {
          log.error({ err: (err as Error).message }, 'federation: reading the ledger failed');
          this.s.failures++;
        }
        const cap = Math.min(this.opts.backoffCapMs, this.opts.backoffBaseMs * 2 ** Math.min(this.s.failures - 1, 30));
        wait = Math.random() * cap;
      }
      this.publish();
      if (!this.stopped && wait > 0) await this.sleep(wait);
    }
  }

  private publish(): void {
    this.s.lastSentSeq = this.cursor ?? this.s.lastSentSeq;
    this.s.lag = this.s.lastSentSeq === null ? null : Math.max(0, this.s.head - this.s.lastSentSeq);
    if (this.s.lastSentSeq !== null) federationLastSentSeq.set(this.s.lastSentSeq);
    if (this.s.lag !== null) federationLag.set(this.s.lag);
    federationLinkUp.set(this.s.link === 'up' ? 1 : 0);
  }

  private linkUp(): void {
    if (this.s.link === 'down') log.info({ region: this.opts.region, downSince: this.s.downSince, failures: this.s.failures }, 'federation: link to the national node is up again');
    this.s.link = 'up';
    this.s.downSince = null;
    this.s.lastError = null;
    this.s.failures = 0;
  }

  private linkDown(reason: string): void {
    // Logged once per outage, not once per try.
    if (this.s.link !== 'down') {
      log.warn({ region: this.opts.region, upstream: this.opts.upstream, reason }, 'federation: link to the national node is down; this region keeps storing and will catch up');
      this.s.downSince = new Date().toISOString();
    }
    this.s.link = 'down';
    this.s.lastError = reason;
    this.s.failures++;
  }

  /** A signed call; a 409 naming a cursor is an answer (resume there), not a failure. */
  private async call<T extends CursorAnswer>(method: 'GET' | 'POST', path: string, body: string, acceptCursor = false): Promise<T & { stored?: number }> {
    const headers = signedHeaders(this.opts.region, this.opts.secret, body, { method, path });
    let res: Response;
    try {
      res = await fetch(new URL(path, this.opts.upstream), { method, headers, ...(method === 'POST' && { body }), signal: AbortSignal.timeout(this.opts.timeoutMs) });
    } catch (err) {
      throw new LinkError(`${method} ${path}: ${(err as Error).cause ? String((err as { cause: Error }).cause.message ?? (err as Error).cause) : (err as Error).message}`);
    }
    const text = await res.text().catch(() => '');
    let json: (T & { stored?: number; error?: string }) | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok && json && typeof json.cursor === 'number') return json;
    if (res.status === 409 && acceptCursor && json && typeof json.cursor === 'number') return { ...json, stored: 0 };
    throw new LinkError(`${method} ${path}: ${res.status} ${json?.error ?? text.slice(0, 200)}`);
  }
}
