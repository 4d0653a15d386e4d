// Fixes between nodes: a node that takes fixes but does not run the rules (web: HTTP ingest;
// ingest: the device listeners) checks each one at the edge and appends it to a Redis stream; the
// rules node reads the stream as a consumer group member and hands each fix to its pipeline, as a
// local source would. An entry is acknowledged once the pipeline has taken it; entries a node read
// but never acknowledged (it stopped) are read again when it starts.
import type { PositionReport } from '../../lib/domain';
import { log } from '../log';
import type { Redis } from './redis';

const GROUP = 'rules';
/** Entries kept in the stream: about a minute of a national peak, for a rules node that restarts. */
const MAX_LEN = 2_000_000;
const READ_COUNT = 2_000;
const FLUSH_MS = 5;

type Entry = [report: PositionReport, storedSource: string | null];

export const fixStreamKey = (prefix: string) => `${prefix}:fixes`;

/** The sending side: buffers for a few ms, then appends the batch in one round trip. */
export class FixStreamProducer {
  private buffer: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private redis: Redis,
    private key: string,
  ) {}

  add(report: PositionReport, storedSource?: string): void {
    this.buffer.push([report, storedSource ?? null]);
    if (this.buffer.length >= READ_COUNT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (!batch.length) return this.flushing;
    const multi = this.redis.multi();
    for (const e of batch) multi.xAdd(this.key, '*', { f: JSON.stringify(e) }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: MAX_LEN } });
    this.flushing = this.flushing
      .then(() => multi.exec())
      .then(
        () => undefined,
        (err: Error) => log.error({ err: err.message, fixes: batch.length }, 'cluster: could not append fixes to the stream'),
      );
    return this.flushing;
  }
}

/** The reading side, on the rules node. */
export class FixStreamConsumer {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private reader: Redis;

  constructor(
    redis: Redis,
    private key: string,
    private consumer: string,
    private take: (report: unknown, storedSource?: string) => void,
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
  }

  private async loop(): Promise<void> {
    // The rules node holds the lease (rulesLease.ts): what any rules node before it read and did not
    // acknowledge (it stopped or died) is its own now; it reads that first, then new entries.
    let cursor = '0-0';
    do {
      const claimed = await this.reader.xAutoClaimJustId(this.key, GROUP, this.consumer, 0, cursor, { COUNT: READ_COUNT });
      cursor = claimed.nextId;
    } while (cursor !== '0-0' && this.running);
    let id = '0';
    while (this.running) {
      try {
        const res = await this.reader.xReadGroup(GROUP, this.consumer, { key: this.key, id }, { COUNT: READ_COUNT, BLOCK: id === '>' ? 1_000 : undefined });
        const messages = (res as { messages: { id: string; message: Record<string, string> }[] }[] | null)?.[0]?.messages ?? [];
        if (id === '0' && messages.length === 0) {
          id = '>';
          continue;
        }
        for (const m of messages) {
          try {
            const [report, source] = JSON.parse(m.message.f!) as Entry;
            this.take(report, source ?? undefined);
          } catch (err) {
            log.warn({ id: m.id, err: (err as Error).message }, 'cluster: a malformed fix entry was skipped');
          }
        }
        if (messages.length)
          await this.reader.xAck(
            this.key,
            GROUP,
            messages.map((m) => m.id),
          );
      } catch (err) {
        if (!this.running) return;
        log.warn({ err: (err as Error).message }, 'cluster: reading fixes failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.reader.disconnect().catch(() => undefined);
    await this.done;
  }
}
