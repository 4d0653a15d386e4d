// Writes positions to PostGIS in batches: one INSERT … SELECT FROM unnest(…) per batch,
// flushed when the buffer reaches `batchRows` or every `flushMs`. While the database is
// unavailable rows stay buffered (up to `maxBuffered`, then the oldest are dropped and counted).
// Each batch is chained into the ledger in the same transaction: the rows carry the batch's
// ledger seq, and the entry holds their count, time span and digest (server/ledger/).
import type pg from 'pg';
import { log } from '../log';
import { ledgerEntries, positionsDropped, positionsStored, storeBatchSeconds } from '../metrics';

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

export class PositionWriter {
  private buffer: PositionRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private partitions = new Set<number>(); // UTC day numbers known to exist
  private failures = 0;

  constructor(
    private pool: pg.Pool,
    private opts: { batchRows: number; flushMs: number; maxBuffered?: number },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushMs);
  }

  add(row: PositionRow): void {
    this.buffer.push(row);
    const max = this.opts.maxBuffered ?? 500_000;
    if (this.buffer.length > max) {
      const excess = this.buffer.length - max;
      this.buffer.splice(0, excess);
      positionsDropped.inc(excess);
    }
    if (this.buffer.length >= this.opts.batchRows && !this.flushing) void this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes everything buffered so far; resolves when it is stored (or the attempt failed). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    this.flushing = this.writeAll().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.opts.batchRows);
      try {
        await this.writeIsolating(batch);
        this.buffer.splice(0, batch.length);
        if (this.failures) log.info({ after: this.failures }, 'position store recovered');
        this.failures = 0;
      } catch (err) {
        // Keep the rows; the next flush retries. Log the first failure of a streak only.
        if (this.failures++ === 0) log.error({ err: (err as Error).message, pending: this.buffer.length }, 'position store failed; will retry');
        return;
      }
    }
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

  private async writeBatch(rows: PositionRow[]): Promise<void> {
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
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the rows are at fault, not the server. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
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
