// Fixes between nodes: a node that takes fixes but does not run the rules (web: HTTP ingest;
// ingest: the device listeners) checks each one at the edge and appends it to a Redis stream; the
// rules node reads the stream as a consumer group member and hands each fix to its pipeline, as a
// local source would.
//
// No fix is lost to a crash, and none is counted twice: the rules node acknowledges entries only at
// a checkpoint, once every fix it took before it is stored AND its rules state that includes them is
// saved (rulesCheckpoint in app.ts). A rules node that takes over claims what the one before left
// unacknowledged (XAUTOCLAIM), restores the saved state and reads those entries again as replays:
// the store leaves out the ones stored already (positionWriter.ts), and the rules, which key each
// episode by the fix time that started it, raise nothing twice (alerts.episode is unique).
//
// Nothing unread is ever trimmed: the stream is cut only below what is acknowledged (XTRIM MINID).
// An entry carries one sender's batch of fixes (one round trip, one parse, one id for up to
// BATCH_FIXES); a counter beside the stream holds how many fixes are not acknowledged yet: the
// backlog, which holds the device sockets of the sending nodes when it grows (ingestGate.ts).
import type { PositionReport } from '../../lib/domain';
import { log } from '../log';
import type { IngestGate } from '../pipeline/ingestGate';
import type { Redis } from './redis';

const GROUP = 'rules';
/** Fixes in one stream entry at most, and entries read at once. */
const BATCH_FIXES = 1_000;
const READ_ENTRIES = 20;
const FLUSH_MS = 5;
const RETRY_MS = 500;
const BACKLOG_CHECK_MS = 1_000;
const STOP_COMMIT_MS = 10_000;

type Entry = [report: PositionReport, storedSource: string | null];

export const fixStreamKey = (prefix: string) => `${prefix}:fixes`;
const backlogKey = (streamKey: string) => `${streamKey}:backlog`;

/** Fixes appended and not acknowledged yet. */
export async function fixBacklog(redis: Redis, streamKey: string): Promise<number> {
  return Number((await redis.get(backlogKey(streamKey))) ?? 0);
}

/** The sending side: buffers for a few ms, then appends the batch in one round trip; keeps it and retries while Redis is away. */
export class FixStreamProducer {
  private queue: Entry[][] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private backlog = 0;
  private backlogTimer: NodeJS.Timeout;
  private failing = false;
  private retried = new WeakSet<Entry[]>();

  constructor(
    private redis: Redis,
    private key: string,
    private gate?: IngestGate,
  ) {
    // The stream's length is what the rules node has not acknowledged: past the gate's mark, hold the sockets here.
    this.backlogTimer = setInterval(() => {
      fixBacklog(this.redis, this.key).then(
        (n) => {
          this.backlog = n;
          this.gate?.update(this.backlog + this.queued);
        },
        () => undefined,
      );
    }, BACKLOG_CHECK_MS);
    this.backlogTimer.unref();
  }

  add(report: PositionReport, storedSource?: string): void {
    const last = this.queue[this.queue.length - 1];
    if (last && last.length < BATCH_FIXES) last.push([report, storedSource ?? null]);
    else this.queue.push([[report, storedSource ?? null]]);
    this.queued++;
    if (this.queued >= BATCH_FIXES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Sends everything queued; resolves when it is appended (or the attempt failed and will be retried). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.sending) await this.sending;
    if (!this.queue.length) return;
    this.sending = this.sendAll().finally(() => (this.sending = undefined));
    return this.sending;
  }

  private async sendAll(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.shift()!;
      try {
        // A batch sent again after a failure may have been appended already (the answer lost): it is
        // marked, and the rules node stores its fixes only if they are not there yet.
        await this.redis
          .multi()
          .xAdd(this.key, '*', { f: JSON.stringify(batch), n: String(batch.length), ...(this.retried.has(batch) && { r: '1' }) })
          .incrBy(backlogKey(this.key), batch.length)
          .exec();
        this.queued -= batch.length;
        if (this.failing) log.info({ queued: this.queued }, 'cluster: appending fixes to the stream again');
        this.failing = false;
      } catch (err) {
        this.queue.unshift(batch);
        this.retried.add(batch);
        if (!this.failing) log.error({ err: (err as Error).message, queued: this.queued }, 'cluster: could not append fixes to the stream; keeping them and retrying');
        this.failing = true;
        this.gate?.update(this.backlog + this.queued);
        this.timer ??= setTimeout(() => void this.flush(), RETRY_MS);
        return;
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.backlogTimer);
    await this.flush();
  }
}

export interface ConsumerOptions {
  /** Hands one fix to the pipeline; `replayed`: it was delivered before (to a node that stopped), or sent twice, and may be stored already. */
  take: (report: unknown, storedSource: string | undefined, replayed: boolean) => void;
  /** Resolves once everything taken so far is stored and the rules state saved: then it is acknowledged. */
  checkpoint: () => Promise<void>;
  checkpointMs: number;
  /** True while the store is behind: reading waits. */
  held: () => boolean;
}

/** The reading side, on the rules node. */
export class FixStreamConsumer {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private reader: Redis;
  /** Entries taken and not acknowledged yet, in stream order, and the fixes they held. */
  private taken: string[] = [];
  private takenFixes = 0;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();

  constructor(
    private redis: Redis,
    private key: string,
    private consumer: string,
    private opts: ConsumerOptions,
  ) {
    this.reader = redis.duplicate();
    this.reader.on('error', () => {}); // the main client logs outages
  }

  async start(): Promise<void> {
    await this.reader.connect();
    try {
      await this.reader.xGroupCreate(this.key, GROUP, '$', { MKSTREAM: true });
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.running = true;
    this.done = this.loop();
    this.checkpointTimer = setInterval(() => void this.commit(), this.opts.checkpointMs);
  }

  /** Acknowledges what was taken before the checkpoint, then cuts the stream below it. */
  commit(): Promise<void> {
    this.committing = this.committing.then(async () => {
      const [ids, fixes] = [this.taken, this.takenFixes];
      if (!ids.length) return;
      [this.taken, this.takenFixes] = [[], 0];
      try {
        await this.opts.checkpoint();
        await this.redis
          .multi()
          .xAck(this.key, GROUP, ids)
          .decrBy(backlogKey(this.key), fixes)
          .xTrim(this.key, 'MINID', ids[ids.length - 1]!)
          .exec();
      } catch (err) {
        // Not acknowledged: read again by whoever runs the rules next; the store leaves out what it has.
        this.taken = ids.concat(this.taken);
        this.takenFixes += fixes;
        log.warn({ err: (err as Error).message, fixes }, 'cluster: checkpoint failed; fixes stay unacknowledged');
      }
    });
    return this.committing;
  }

  private async loop(): Promise<void> {
    // The rules node holds the lease (rulesLease.ts): what any rules node before it read and did not
    // acknowledge (it stopped or died) is its own now; it reads that first (as replays), then new entries.
    let cursor = '0-0';
    do {
      try {
        cursor = (await this.reader.xAutoClaimJustId(this.key, GROUP, this.consumer, 0, cursor, { COUNT: READ_ENTRIES * 10 })).nextId;
      } catch (err) {
        if (!this.running) return;
        log.warn({ err: (err as Error).message }, 'cluster: claiming unacknowledged fixes failed; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    } while (cursor !== '0-0' && this.running);
    let id = '0';
    while (this.running) {
      try {
        if (this.opts.held()) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        const res = await this.reader.xReadGroup(GROUP, this.consumer, { key: this.key, id }, { COUNT: READ_ENTRIES, BLOCK: id === '>' ? 1_000 : undefined });
        const messages = (res as { messages: { id: string; message: Record<string, string> }[] }[] | null)?.[0]?.messages ?? [];
        if (id !== '>') {
          if (messages.length === 0) {
            id = '>';
            continue;
          }
          id = messages[messages.length - 1]!.id; // the pending list, page by page
        }
        for (const m of messages) {
          let batch: Entry[] = [];
          try {
            batch = JSON.parse(m.message.f!) as Entry[];
            if (!Array.isArray(batch)) throw new Error('not a batch of fixes');
          } catch (err) {
            log.warn({ id: m.id, err: (err as Error).message }, 'cluster: a malformed fix entry was skipped');
            batch = [];
          }
          // Each fix is checked again by the pipeline (a bad one is rejected and counted there).
          const replayed = id !== '>' || m.message.r === '1';
          for (const e of batch) this.opts.take(Array.isArray(e) ? e[0] : undefined, (Array.isArray(e) && typeof e[1] === 'string' && e[1]) || undefined, replayed);
          this.taken.push(m.id);
          this.takenFixes += Number(m.message.n ?? batch.length);
        }
      } catch (err) {
        if (!this.running) return;
        log.warn({ err: (err as Error).message }, 'cluster: reading fixes failed; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  /**
   * Stops reading; with `commit`, acknowledges what was taken (a clean stop), else leaves it to the
   * next rules node. A last checkpoint that cannot finish (the database is away) is given up after
   * STOP_COMMIT_MS: what it covered stays unacknowledged and is replayed, which is safe.
   */
  async stop(commit = true): Promise<void> {
    this.running = false;
    clearInterval(this.checkpointTimer);
    await this.reader.disconnect().catch(() => undefined);
    await this.done;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((r) => (timer = setTimeout(r, STOP_COMMIT_MS)));
    await Promise.race([commit ? this.commit() : this.committing, giveUp]);
    clearTimeout(timer);
  }
}
