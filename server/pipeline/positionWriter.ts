// Writes positions to PostGIS in batches: one INSERT … SELECT FROM unnest(…) per batch,
// flushed when a batch is full (`batchRows`) or every `flushMs`. While the database is slow or
// unavailable rows stay queued in order, and the ingest gate (ingestGate.ts) holds the device
// sockets once the queue passes its high-water mark, so fixes wait in the devices rather than being
// dropped here. Only past a hard cap (`maxBuffered`: what cannot be held back, UDP AIS) are the
// oldest dropped, counted.
// Each batch is chained into the ledger in the same transaction: the rows carry the batch's
// ledger seq, and the entry holds their count, time span and digest (server/ledger/).
import type pg from 'pg';
import { isDataError } from '../../db/errors';
import { log } from '../log';
import { ledgerEntries, positionsDropped, positionsPending, positionsStored, replayedSkipped, storeBatchSeconds } from '../metrics';
import type { IngestGate } from './ingestGate';

export interface PositionRow {
  assetId: number;
  time: number; // ms
  lon: number;
  lat: number;
  speed?: number;
  course?: number;
  heading?: number;
  source: string;
  alarm?: number; // JT/T 808 alarm DWORD (unsigned 32 bits)
  /**
   * Maybe stored already: read again after a rules node took over (server/cluster/fixStream.ts), or
   * in a batch whose write failed without saying whether it committed. Stored only if not there yet.
   */
  replayed?: boolean;
}

/** The columns of a batch as arrays, in the parameter order of STORE_SQL ($1…$9). */
export type PositionColumns = [number[], number[], number[], number[], (number | null)[], (number | null)[], (number | null)[], string[], (number | null)[]];

// One statement, so one transaction and one round trip: take the ledger lock and the next seq,
// insert the rows under that seq as their batch, digest them as stored (RETURNING gives the
// stored values) and append the 'positions' entry with that seq. ledger_next_seq() runs once
// (a CTE with a volatile function is evaluated once) and before the insert needs it.
const STORE_SQL = `
  WITH s AS MATERIALIZED (SELECT ledger_next_seq() AS seq),
  ins AS (
    INSERT INTO positions (asset_id, time, geom, speed, course, heading, source, alarm, batch)
    SELECT a, to_timestamp(t / 1000.0), ST_SetSRID(ST_MakePoint(x, y), 4326), sp, c, h, src, al, s.seq
    FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::real[], $6::real[], $7::real[], $8::text[], $9::int[])
         AS u(a, t, x, y, sp, c, h, src, al), s
    RETURNING asset_id, time, geom, speed, course, heading, source, alarm
  ), agg AS (
    SELECT count(*) AS n, min(time) AS t0, max(time) AS t1,
           ledger_lines_digest(array_agg(ledger_position_line(asset_id, time, geom, speed, course, heading, source, alarm))) AS digest
    FROM ins
  )
  SELECT e.entry_seq AS seq
  FROM agg, s, LATERAL ledger_append('positions',
    jsonb_build_object('count', agg.n, 'digest', encode(agg.digest, 'hex'), 'from', ledger_iso(agg.t0), 'to', ledger_iso(agg.t1)),
    s.seq) e`;

const DAY_MS = 86_400_000;

export interface WriterOptions {
  batchRows: number;
  flushMs: number;
  /** Hard cap on queued rows; past it the oldest are dropped (default 1,000,000). */
  maxBuffered?: number;
  /** Told the queue length as it changes (the back-pressure to the device sockets). */
  gate?: IngestGate;
}

export class PositionWriter {
  /** Queued rows in order, in chunks of at most `batchRows`: taking a batch is a shift, not a copy. */
  private chunks: PositionRow[][] = [];
  private queued = 0;
  /** Rows ever added, and rows settled (stored, or dropped and counted), in order: see settled(). */
  private added = 0;
  private done = 0;
  private waiters: { mark: number; resolve: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private partitions = new Set<number>(); // UTC day numbers known to exist
  private failures = 0;

  constructor(
    private pool: pg.Pool,
    private opts: WriterOptions,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushMs);
  }

  add(row: PositionRow): void {
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.length < this.opts.batchRows) last.push(row);
    else this.chunks.push([row]);
    this.queued++;
    this.added++;
    if (this.queued > (this.opts.maxBuffered ?? 1_000_000)) this.dropOldest();
    this.opts.gate?.update(this.queued);
    if (this.queued >= this.opts.batchRows && !this.flushing) void this.flush();
  }

  /** Rows taken and not stored yet. */
  get pending(): number {
    return this.queued;
  }

  /** A mark for everything added so far (see settled). */
  mark(): number {
    return this.added;
  }

  /** Resolves once every row added before `mark` is stored (or was dropped and counted). */
  settled(mark: number): Promise<void> {
    if (this.done >= mark) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ mark, resolve }));
  }

  /** Writes everything queued so far; resolves when it is stored (or the attempt failed). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.queued === 0) return;
    this.flushing = this.writeAll().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async writeAll(): Promise<void> {
    while (this.chunks.length > 0) {
      const batch = this.chunks.shift()!;
      try {
        await this.writeIsolating(batch);
        this.settle(batch.length);
        if (this.failures) log.info({ after: this.failures }, 'position store recovered');
        this.failures = 0;
      } catch (err) {
        // Back at the head of the queue, in order; the next flush retries. The connection may have
        // died after the server committed the batch (the answer lost on the way): the retry stores
        // only the rows not there yet. Log the first failure of a streak only.
        for (const r of batch) r.replayed = true;
        this.chunks.unshift(batch);
        if (this.failures++ === 0) log.error({ err: (err as Error).message, pending: this.queued }, 'position store failed; will retry');
        return;
      }
    }
  }

  private settle(n: number): void {
    this.queued -= n;
    this.done += n;
    positionsPending.set(this.queued);
    this.opts.gate?.update(this.queued);
    if (this.waiters.length && this.waiters[0]!.mark <= this.done) {
      const ready = this.waiters.filter((w) => w.mark <= this.done);
      this.waiters = this.waiters.filter((w) => w.mark > this.done);
      for (const w of ready) w.resolve();
    }
  }

  /** Past the hard cap: drops the oldest whole chunks (not the batch being written), counted. */
  private dropOldest(): void {
    let dropped = 0;
    while (this.queued - dropped > (this.opts.maxBuffered ?? 1_000_000) && this.chunks.length > 1) dropped += this.chunks.shift()!.length;
    if (!dropped) return;
    positionsDropped.inc(dropped);
    log.error({ dropped, pending: this.queued - dropped }, 'position store queue past its hard cap; oldest rows dropped');
    this.settle(dropped);
  }

  /**
   * Writes a batch; when the database refuses it for what is in it (a data or constraint error,
   * not an outage), bisects to store every good row and drops only the bad ones, counted and
   * logged — one poison row must not hold back the rest forever.
   */
  private async writeIsolating(rows: PositionRow[]): Promise<void> {
    try {
      await this.writeBatch(rows);
    } catch (err) {
      if (!isDataError(err)) throw err;
      if (rows.length === 1) {
        positionsDropped.inc();
        log.warn({ err: (err as Error).message, row: rows[0] }, 'position row refused by the database; dropped');
        return;
      }
      const mid = rows.length >> 1;
      await this.writeIsolating(rows.slice(0, mid));
      await this.writeIsolating(rows.slice(mid));
    }
  }

  private async writeBatch(all: PositionRow[]): Promise<void> {
    const rows = all.some((r) => r.replayed) ? await this.notStoredYet(all) : all;
    if (rows.length === 0) return;
    const { columns, days } = positionColumns(rows);
    for (const day of days) {
      if (this.partitions.has(day)) continue;
      try {
        await this.pool.query('SELECT ensure_positions_partition($1::date)', [new Date(day * DAY_MS).toISOString().slice(0, 10)]);
      } catch (err) {
        // Another writer created it between our check and our CREATE: it exists, which is all we need.
        if ((err as { code?: string }).code !== '42P07' && (err as { code?: string }).code !== '23505') throw err;
      }
      this.partitions.add(day);
    }
    const end = storeBatchSeconds.startTimer();
    await this.pool.query(STORE_SQL, columns);
    end();
    positionsStored.inc(rows.length);
    ledgerEntries.inc({ kind: 'positions' });
  }

  /**
   * Replayed rows stored already (by the node before, which died after storing and before its fixes
   * were acknowledged; or by a write whose answer was lost) are left out: every fix is stored once. Same asset, time, place
   * and source: a terminal reporting faster than its clock's one-second resolution still has each fix kept.
   */
  private async notStoredYet(rows: PositionRow[]): Promise<PositionRow[]> {
    const replayed = rows.filter((r) => r.replayed);
    const { rows: stored } = await this.pool.query<{ i: number }>(
      `SELECT u.i FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::text[]) WITH ORDINALITY AS u(a, t, x, y, src, i)
       WHERE EXISTS (SELECT 1 FROM positions p WHERE p.asset_id = u.a AND p.time = to_timestamp(u.t / 1000.0) AND ST_X(p.geom) = u.x AND ST_Y(p.geom) = u.y AND p.source = u.src)`,
      [replayed.map((r) => r.assetId), replayed.map((r) => r.time), replayed.map((r) => r.lon), replayed.map((r) => r.lat), replayed.map((r) => r.source)],
    );
    if (stored.length === 0) return rows;
    const skip = new Set(stored.map((r) => replayed[Number(r.i) - 1]));
    replayedSkipped.inc(skip.size);
    return rows.filter((r) => !skip.has(r));
  }
}

/** Splits rows into the column arrays STORE_SQL takes, and the UTC day numbers they touch. */
export function positionColumns(rows: PositionRow[]): { columns: PositionColumns; days: Set<number> } {
  const n = rows.length;
  const a = new Array<number>(n),
    t = new Array<number>(n),
    x = new Array<number>(n),
    y = new Array<number>(n);
  const s = new Array<number | null>(n),
    c = new Array<number | null>(n),
    h = new Array<number | null>(n);
  const src = new Array<string>(n),
    al = new Array<number | null>(n);
  const days = new Set<number>();
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    a[i] = r.assetId;
    t[i] = r.time;
    x[i] = r.lon;
    y[i] = r.lat;
    s[i] = r.speed ?? null;
    c[i] = r.course ?? null;
    h[i] = r.heading ?? null;
    // The alarm DWORD's 32 bits as a signed int4 (JT/T 808 bit 31 would overflow the column);
    // read it back with `>>> 0` (SQL: alarm::bigint & 4294967295).
    src[i] = r.source;
    al[i] = r.alarm === undefined ? null : r.alarm | 0;
    days.add(Math.floor(r.time / DAY_MS));
  }
  return { columns: [a, t, x, y, s, c, h, src, al], days };
}
