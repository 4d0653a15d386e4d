// Verifies the ledger: walks the chain in seq order, a page at a time, in one read-only
// REPEATABLE READ transaction (one consistent snapshot of the ledger and the data it covers):
//  - every entry's hash is recomputed (in SQL) from its seq, time, kind, payload and prev_hash,
//    and its prev_hash must be the hash of the entry before it (the first: 32 zero bytes);
//  - every 'checkpoint' root is recomputed over the entries since the previous checkpoint;
//  - every 'positions' batch is recomputed from the rows of `positions` as they are NOW, a window
//    of consecutive seqs at a time (about WINDOW_ROWS rows, found through the BRIN index on
//    batch, grouped by batch). Rows whose batch is no 'positions' entry were stored behind the
//    ledger's back, and are findings too, as are rows with no batch beyond the legacy count;
//  - every chained row (appendRowEntry) is compared with its LATEST entry.
// Batches older than the retention horizon ('retention' entries) are expected to be gone.
// Kept free of server-only modules (metrics, logging): a Next route handler imports it.
import type pg from 'pg';
import { MerkleBuilder } from './merkle';

export interface LedgerFinding {
  /** The entry that does not match (for rows with no entry: their batch value, 0 for none). */
  seq: number;
  kind: string;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Entries walked. */
  entries: number;
  checkpoints: number;
  /** 'positions' entries whose rows were checked, and the rows of `positions` scanned. */
  positionBatches: number;
  positionRows: number;
  /** 'positions' entries wholly or partly older than the retention horizon (rows not checked). */
  expiredBatches: number;
  /** Chained rows (appendRowEntry) checked against their latest entry. */
  rows: number;
  /** The first finding in seq order. */
  firstBad?: LedgerFinding;
  /** Up to 100 findings, in seq order; findingsTotal counts them all. */
  findings: LedgerFinding[];
  findingsTotal: number;
  ms: number;
}

export interface VerifyOptions {
  /** Called after each page of entries and each window of positions. */
  onProgress?(done: number, total: number): void;
  /** Entries per page (default 5000). */
  pageSize?: number;
}

const GENESIS = Buffer.alloc(32);
const KEEP_FINDINGS = 100;
const WINDOW_ROWS = 100_000;
const MIN_BIGINT = '-9223372036854775808';

interface PositionsPayload { count: number; digest: string; from: string; to: string }

class Findings {
  list: LedgerFinding[] = [];
  total = 0;
  add(seq: number, kind: string, reason: string): void {
    this.total++;
    this.list.push({ seq, kind, reason });
    if (this.list.length > 4 * KEEP_FINDINGS) this.trim();
  }
  trim(): LedgerFinding[] {
    this.list.sort((a, b) => a.seq - b.seq);
    this.list.length = Math.min(this.list.length, KEEP_FINDINGS);
    return this.list;
  }
}

const ENTRIES_SQL = `
  SELECT seq, kind, payload, prev_hash, hash, ledger_entry_hash(prev_hash, seq, time, kind, payload) = hash AS self_ok
  FROM ledger WHERE seq > $1 ORDER BY seq LIMIT $2`;

// The stored rows of a window of batches, digested per batch exactly as the writer digested them.
const POSITIONS_SQL = (upper: boolean) => `
  SELECT batch, count(*) AS n,
         encode(ledger_lines_digest(array_agg(ledger_position_line(asset_id, time, geom, speed, course, heading, source, alarm))), 'hex') AS digest
  FROM positions WHERE batch > $1 ${upper ? 'AND batch <= $2' : ''} GROUP BY batch`;

const ROW_TABLES_SQL = `SELECT DISTINCT payload->>'table' AS tbl FROM ledger WHERE payload ?& array['table', 'id', 'digest']`;

// Each chained row of one table against its latest entry; the first mismatches in seq order.
const ROWS_SQL = `
  WITH latest AS MATERIALIZED (
    SELECT DISTINCT ON (payload->>'id') seq, kind, payload->>'id' AS id, payload->>'digest' AS digest
    FROM ledger WHERE payload ?& array['table', 'id', 'digest'] AND payload->>'table' = $1
    ORDER BY payload->>'id', seq DESC
  ), checked AS (
    SELECT l.seq, l.kind, l.id, d.digest IS NULL AS missing, encode(d.digest, 'hex') IS DISTINCT FROM l.digest AS bad
    FROM latest l LEFT JOIN ledger_row_digests($1, ARRAY(SELECT id FROM latest)) d ON d.id = l.id
  )
  SELECT count(*)::int AS n, count(*) FILTER (WHERE bad)::int AS bad,
         (array_agg(json_build_object('seq', seq, 'kind', kind, 'id', id, 'missing', missing) ORDER BY seq) FILTER (WHERE bad))[1:${KEEP_FINDINGS}] AS first
  FROM checked`;

function positionsPayload(p: unknown): PositionsPayload | undefined {
  const o = p as Partial<PositionsPayload> | null;
  if (!o || typeof o.count !== 'number' || typeof o.digest !== 'string' || typeof o.from !== 'string' || typeof o.to !== 'string') return undefined;
  if (Number.isNaN(Date.parse(o.from)) || Number.isNaN(Date.parse(o.to))) return undefined;
  return o as PositionsPayload;
}

// BRIN ranges filled since the last summarization match every range query. Autovacuum
// summarizes them within a minute or so on a server (autosummarize), but the embedded PostGIS
// runs no autovacuum: summarize now, once, rather than read those pages for every window.
async function summarizeBatchIndex(client: pg.PoolClient): Promise<void> {
  try {
    const { rows } = await client.query(
      `SELECT h.inhrelid::regclass::text AS idx FROM pg_inherits h WHERE h.inhparent = to_regclass('positions_batch_brin')`);
    for (const r of rows) await client.query('SELECT brin_summarize_new_values($1::regclass)', [r.idx]);
  } catch {
    // Only slower without it (e.g. a role that does not own the table).
  }
}

export async function verifyLedger(pool: pg.Pool, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const pageSize = opts.pageSize ?? 5000;
  const findings = new Findings();
  const result = { entries: 0, checkpoints: 0, positionBatches: 0, positionRows: 0, expiredBatches: 0, rows: 0 };
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await summarizeBatchIndex(client);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const total = Number((await client.query('SELECT count(*) AS n FROM ledger')).rows[0].n);

    // What retention dropped, and how many rows predate the ledger. (These entries are checked
    // like every other one during the walk.)
    let horizon = -Infinity;
    let legacyRows = 0;
    let legacySeq: number | undefined;
    const special = await client.query(`SELECT seq, kind, payload FROM ledger WHERE kind IN ('retention', 'legacy')`);
    for (const r of special.rows) {
      if (r.kind === 'retention') {
        const t = Date.parse(`${r.payload?.before}T00:00:00Z`);
        if (Number.isNaN(t)) findings.add(Number(r.seq), r.kind, 'malformed retention payload');
        else horizon = Math.max(horizon, t);
      } else {
        legacyRows += Number(r.payload?.rows) || 0;
        legacySeq ??= Number(r.seq);
      }
    }

    // Every positions query below reads a range of batches: through the BRIN index, even where
    // a partition has no statistics yet (a plan of seq scans would read every partition per window).
    await client.query(`SET LOCAL work_mem = '64MB'`);
    await client.query(`SET LOCAL enable_seqscan = off`);
    const unbatched = Number((await client.query('SELECT count(*) AS n FROM positions WHERE batch IS NULL')).rows[0].n);
    result.positionRows += unbatched;
    if (unbatched > legacyRows) {
      findings.add(legacySeq ?? 0, legacySeq === undefined ? 'positions' : 'legacy',
        `${unbatched} position rows have no batch (stored without the ledger); ${legacyRows} predate the ledger`);
    }

    // Positions entries waiting for their rows: checked a window (lo, hi] of seqs at a time.
    let windowLo = MIN_BIGINT;
    let waiting: { seq: number; kind: string; p: PositionsPayload }[] = [];
    let waitingRows = 0;
    const checkWindow = async (hi: string | null) => {
      const { rows: groups } = await client.query(POSITIONS_SQL(hi !== null), hi === null ? [windowLo] : [windowLo, hi]);
      const byBatch = new Map<number, { n: number; digest: string }>();
      for (const g of groups) byBatch.set(Number(g.batch), { n: Number(g.n), digest: g.digest });
      for (const { seq, kind, p } of waiting) {
        const mine = byBatch.get(seq);
        byBatch.delete(seq);
        const n = mine?.n ?? 0;
        result.positionRows += n;
        if (Date.parse(p.to) < horizon) {
          result.expiredBatches++;
          if (n > 0) findings.add(seq, kind, `${n} rows remain of a batch older than the retention horizon`);
        } else if (Date.parse(p.from) < horizon) {
          result.expiredBatches++;
          if (n > p.count) findings.add(seq, kind, `${n} rows stored where the batch had ${p.count}`);
        } else {
          result.positionBatches++;
          if (n !== p.count) findings.add(seq, kind, `${n} rows stored where the batch had ${p.count}`);
          else if (mine?.digest !== p.digest) findings.add(seq, kind, `the stored rows do not match the batch digest (${n} rows, one or more changed)`);
        }
      }
      for (const [batch, g] of byBatch) {
        result.positionRows += g.n;
        findings.add(batch, 'positions', `${g.n} position rows carry batch ${batch}, which is no positions entry of the ledger`);
      }
      windowLo = hi ?? windowLo;
      waiting = [];
      waitingRows = 0;
      opts.onProgress?.(result.entries, Math.max(total, result.entries));
    };

    let prevHash: Buffer = GENESIS;
    let prevSeq: number | undefined;
    let tree = new MerkleBuilder();
    let treeFrom: number | undefined;
    let treeTo = 0;
    let after = '0';
    for (;;) {
      const { rows } = await client.query(ENTRIES_SQL, [after, pageSize]);
      for (const e of rows as { seq: string; kind: string; payload: unknown; prev_hash: Buffer; hash: Buffer; self_ok: boolean }[]) {
        const seq = Number(e.seq);
        result.entries++;
        if (!e.self_ok) findings.add(seq, e.kind, 'the stored hash does not match the entry (seq, time, kind, payload, prev_hash)');
        if (!e.prev_hash.equals(prevHash)) {
          findings.add(seq, e.kind, prevSeq === undefined
            ? 'the first entry does not start from the genesis hash (entries before it are missing?)'
            : `prev_hash is not the hash of entry ${prevSeq} (an entry between was removed, or entry ${prevSeq} was rewritten)`);
        }
        prevHash = e.hash;
        prevSeq = seq;

        if (e.kind === 'checkpoint') {
          result.checkpoints++;
          const p = e.payload as { from?: unknown; to?: unknown; count?: unknown; root?: unknown };
          const root = tree.root();
          if (p.root !== root || p.count !== tree.count || (tree.count > 0 && (p.from !== treeFrom || p.to !== treeTo))) {
            findings.add(seq, e.kind, `the checkpoint does not match the ${tree.count} entries before it` +
              (tree.count ? ` (${treeFrom}…${treeTo}): root ${root}` : ''));
          }
          tree = new MerkleBuilder();
          treeFrom = undefined;
          continue;
        }
        tree.add(e.hash);
        treeFrom ??= seq;
        treeTo = seq;

        if (e.kind !== 'positions') continue;
        const p = positionsPayload(e.payload);
        if (!p) {
          findings.add(seq, e.kind, 'malformed positions payload');
          continue;
        }
        waiting.push({ seq, kind: e.kind, p });
        waitingRows += p.count;
        if (waitingRows >= WINDOW_ROWS) await checkWindow(e.seq);
      }
      if (rows.length > 0) after = rows[rows.length - 1].seq;
      opts.onProgress?.(result.entries, Math.max(total, result.entries));
      if (rows.length < pageSize) break;
    }
    await checkWindow(null);

    // Chained rows, table by table, against their latest entries.
    const tables = (await client.query(ROW_TABLES_SQL)).rows.map((r) => r.tbl as string);
    for (const table of tables) {
      // Checked first rather than caught: after an error the embedded PostGIS's socket server can
      // get out of step with the client (electric-sql/pglite#958).
      const { rows: [t] } = await client.query(
        `SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'id' AND NOT attisdropped) AS ok,
                (SELECT min(seq) FROM ledger WHERE payload ?& array['table', 'id', 'digest'] AND payload->>'table' = $1) AS seq`, [table]);
      if (!t.ok) {
        findings.add(Number(t.seq), 'row', `cannot check the chained rows of ${table}: there is no such table with an id column`);
        continue;
      }
      await client.query('SAVEPOINT ledger_rows');
      try {
        const { rows: [r] } = await client.query(ROWS_SQL, [table]);
        result.rows += r.n;
        for (const b of (r.first ?? []) as { seq: number; kind: string; id: string; missing: boolean }[]) {
          findings.add(Number(b.seq), b.kind, b.missing
            ? `${table} row ${b.id} is gone`
            : `${table} row ${b.id} does not match its latest ledger entry (changed behind the ledger)`);
        }
        findings.total += Math.max(0, r.bad - (r.first?.length ?? 0));
        await client.query('RELEASE SAVEPOINT ledger_rows');
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT ledger_rows');
        findings.add(Number(t.seq), 'row', `cannot check the chained rows of ${table}: ${(err as Error).message}`);
      }
    }
    await client.query('COMMIT');
  } catch (err) {
    broken = err as Error; // closed, not reused (electric-sql/pglite#958)
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release(broken);
  }
  const list = findings.trim();
  return {
    ok: findings.total === 0,
    ...result,
    ...(list[0] ? { firstBad: list[0] } : {}),
    findings: list,
    findingsTotal: findings.total,
    ms: Math.round(performance.now() - started),
  };
}
