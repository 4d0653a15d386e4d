// Verifies the ledger: walks the chain in seq order, a page at a time, in one read-only
// REPEATABLE READ transaction (one consistent snapshot of the ledger and the data it covers):
//  - every entry's hash is recomputed (in SQL) from its seq, time, kind, payload and prev_hash,
//    and its prev_hash must be the hash of the entry before it (the first: 32 zero bytes);
//  - every 'checkpoint' root is recomputed over the entries since the previous checkpoint;
//  - every 'positions' batch is recomputed from the rows of `positions` as they are NOW, a window
//    of consecutive seqs at a time (about WINDOW_ROWS rows, found through the BRIN index on
//    batch, grouped by batch). Rows whose batch is no 'positions' entry were stored behind the
//    ledger's back, and are findings too, as are rows with no batch beyond the legacy count;
//  - every chained row (appendRowEntry) is compared with its LATEST entry;
//  - seq has no gaps (db/migrations/1700000001000: entries take the last seq + 1);
//  - with `anchors`: every line of the anchor log (./anchor.ts) is read, its signature and its
//    link to the line before checked, and each anchored checkpoint compared with the ledger's
//    (root and entry hash): a changed or missing checkpoint, a checkpoint the log lacks, and
//    entries cut from the end (the last anchored seq and time against the last entry present)
//    are findings. Entries after the last anchor are reported as `unanchored`: that window is
//    what someone who can write the database could still rewrite unseen.
// Batches older than the retention horizon ('retention' entries) are expected to be gone.
// Kept free of server-only modules (metrics, logging): a Next route handler imports it.
import type pg from 'pg';
import { AnchorLogReader } from './anchor';
import type { AnchorPublicKey } from './anchorKey';
import { readAnchorLog } from './anchorLog';
import { MerkleBuilder } from './merkle';

/** Which check a finding comes from. */
export type LedgerCheck =
  | 'entry-hash' // an entry's stored hash does not match its content
  | 'chain-link' // an entry's prev_hash is not the hash of the entry before it
  | 'seq-gap' // seqs are missing between two entries
  | 'checkpoint-root' // a checkpoint does not match the entries before it
  | 'positions' // stored positions do not match their batch entry (or have none)
  | 'payload' // an entry's payload cannot be read
  | 'row' // a chained row does not match its latest entry
  | 'anchor-log' // an anchor log line is unreadable, badly signed, or does not follow the one before
  | 'anchor-checkpoint' // an anchored checkpoint is changed or missing in the ledger
  | 'anchor-missing' // a checkpoint of the ledger is not in the anchor log
  | 'truncated'; // entries were cut from the end of the ledger

export interface LedgerFinding {
  /** The entry that does not match (for rows with no entry: their batch value, 0 for none). */
  seq: number;
  kind: string;
  reason: string;
  check: LedgerCheck;
}

export interface AnchorCheck {
  /** The anchor log (JSON lines). */
  file: string;
  /** The public key the lines must be signed with; none: a finding when there is anything to check. */
  key?: AnchorPublicKey;
  /** A checkpoint older than this and not in the log is a finding (default 10 minutes). */
  graceMs?: number;
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
  /** The newest entry present. */
  lastEntry?: { seq: number; time: string };
  /** With `anchors`: the log as read. */
  anchors?: { file: string; lines: number; anchored: number; lastCheckpoint?: number; lastTime?: string; key?: string };
  /** With `anchors`: entries after the last anchored checkpoint ("not yet anchored: N entries since <time>"). */
  unanchored?: { entries: number; since?: string };
  ms: number;
}

export interface VerifyOptions {
  /** Called after each page of entries and each window of positions. */
  onProgress?(done: number, total: number): void;
  /** Entries per page (default 5000). */
  pageSize?: number;
  /** Check the chain against the anchor log outside the database. */
  anchors?: AnchorCheck;
}

const GENESIS = Buffer.alloc(32);
const KEEP_FINDINGS = 100;
const WINDOW_ROWS = 100_000;
const MIN_BIGINT = '-9223372036854775808';

interface PositionsPayload {
  count: number;
  digest: string;
  from: string;
  to: string;
}

class Findings {
  list: LedgerFinding[] = [];
  total = 0;
  add(seq: number, kind: string, reason: string, check: LedgerCheck): void {
    this.total++;
    this.list.push({ seq, kind, reason, check });
    if (this.list.length > 4 * KEEP_FINDINGS) this.trim();
  }
  trim(): LedgerFinding[] {
    this.list.sort((a, b) => a.seq - b.seq);
    this.list.length = Math.min(this.list.length, KEEP_FINDINGS);
    return this.list;
  }
}

const ENTRIES_SQL = `
  SELECT seq, kind, payload, prev_hash, hash, ledger_entry_hash(prev_hash, seq, time, kind, payload) = hash AS self_ok,
         CASE WHEN kind = 'checkpoint' THEN ledger_iso(time) END AS ctime
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
    const { rows } = await client.query(`SELECT h.inhrelid::regclass::text AS idx FROM pg_inherits h WHERE h.inhparent = to_regclass('positions_batch_brin')`);
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
  let lastEntry: VerifyResult['lastEntry'];
  let unanchored: VerifyResult['unanchored'];
  // The anchor log is read before the database's snapshot is taken: a checkpoint anchored in
  // between is then in the snapshot too (read the other way round, it would look cut off).
  let reader: AnchorLogReader | undefined;
  let logExists = false;
  if (opts.anchors) {
    reader = new AnchorLogReader(opts.anchors.key);
    logExists = (await readAnchorLog(opts.anchors.file, reader)).exists;
    for (const pr of reader.problems) findings.add(pr.checkpoint ?? 0, 'anchor', pr.reason, 'anchor-log');
  }
  const anchored = reader?.anchors.size ?? 0;
  const lastAnchor = reader?.last;
  const graceMs = opts.anchors?.graceMs ?? 10 * 60_000;
  const now = Date.now();
  // Seq gaps, held until the walk ends: a 'ledger.gapless' entry (added by the migration that made
  // seq gapless, where a ledger had gaps already) clears those before it.
  const gaps: { seq: number; kind: string; from: number; to: number }[] = [];
  let gapsOver = 0;
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
        if (Number.isNaN(t)) findings.add(Number(r.seq), r.kind, 'malformed retention payload', 'payload');
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
      findings.add(
        legacySeq ?? 0,
        legacySeq === undefined ? 'positions' : 'legacy',
        `${unbatched} position rows have no batch (stored without the ledger); ${legacyRows} predate the ledger`,
        'positions',
      );
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
          if (n > 0) findings.add(seq, kind, `${n} rows remain of a batch older than the retention horizon`, 'positions');
        } else if (Date.parse(p.from) < horizon) {
          result.expiredBatches++;
          if (n > p.count) findings.add(seq, kind, `${n} rows stored where the batch had ${p.count}`, 'positions');
        } else {
          result.positionBatches++;
          if (n !== p.count) findings.add(seq, kind, `${n} rows stored where the batch had ${p.count}`, 'positions');
          else if (mine?.digest !== p.digest) findings.add(seq, kind, `the stored rows do not match the batch digest (${n} rows, one or more changed)`, 'positions');
        }
      }
      for (const [batch, g] of byBatch) {
        result.positionRows += g.n;
        findings.add(batch, 'positions', `${g.n} position rows carry batch ${batch}, which is no positions entry of the ledger`, 'positions');
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
      for (const e of rows as { seq: string; kind: string; payload: unknown; prev_hash: Buffer; hash: Buffer; self_ok: boolean; ctime: string | null }[]) {
        const seq = Number(e.seq);
        result.entries++;
        if (seq !== (prevSeq ?? 0) + 1) {
          if (gaps.length < KEEP_FINDINGS) gaps.push({ seq, kind: e.kind, from: (prevSeq ?? 0) + 1, to: seq - 1 });
          else gapsOver++;
        }
        if (e.kind === 'ledger.gapless') {
          gaps.length = 0;
          gapsOver = 0;
        }
        if (!e.self_ok) findings.add(seq, e.kind, 'the stored hash does not match the entry (seq, time, kind, payload, prev_hash)', 'entry-hash');
        if (!e.prev_hash.equals(prevHash)) {
          findings.add(
            seq,
            e.kind,
            prevSeq === undefined
              ? 'the first entry does not start from the genesis hash (entries before it are missing?)'
              : `prev_hash is not the hash of entry ${prevSeq} (an entry between was removed, or entry ${prevSeq} was rewritten)`,
            'chain-link',
          );
        }
        prevHash = e.hash;
        prevSeq = seq;

        if (e.kind === 'checkpoint') {
          result.checkpoints++;
          const p = e.payload as { from?: unknown; to?: unknown; count?: unknown; root?: unknown };
          const root = tree.root();
          if (p.root !== root || p.count !== tree.count || (tree.count > 0 && (p.from !== treeFrom || p.to !== treeTo))) {
            findings.add(
              seq,
              e.kind,
              `the checkpoint does not match the ${tree.count} entries before it` + (tree.count ? ` (${treeFrom}…${treeTo}): root ${root}` : ''),
              'checkpoint-root',
            );
          }
          if (reader) {
            const a = reader.anchors.get(seq);
            if (a) {
              reader.anchors.delete(seq);
              if (p.root !== a.root) {
                findings.add(
                  seq,
                  e.kind,
                  `checkpoint ${seq} does not match its anchor (line ${a.line}): root ${String(p.root)} over entries ` +
                    `${String(p.from)}…${String(p.to)}, anchored ${a.root} over ${a.from}…${a.to}; entries there were changed, removed or re-hashed`,
                  'anchor-checkpoint',
                );
              } else if (!e.hash.equals(Buffer.from(a.hash, 'hex'))) {
                findings.add(
                  seq,
                  e.kind,
                  `checkpoint ${seq} differs from its anchor (line ${a.line}): its entry hash (its time or payload, or the chain before it, changed)`,
                  'anchor-checkpoint',
                );
              }
            } else if (lastAnchor && seq < lastAnchor.checkpoint) {
              findings.add(
                seq,
                e.kind,
                `checkpoint ${seq} is not in the anchor log, which goes on to checkpoint ${lastAnchor.checkpoint} (its line was removed?)`,
                'anchor-missing',
              );
            } else if (e.ctime && now - Date.parse(e.ctime) > graceMs) {
              findings.add(
                seq,
                e.kind,
                `checkpoint ${seq} of ${e.ctime} is not in the anchor log (not anchored within ${Math.round(graceMs / 60_000)} min; ` +
                  'a running server anchors each checkpoint at once, and at start what it left)',
                'anchor-missing',
              );
            }
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
          findings.add(seq, e.kind, 'malformed positions payload', 'payload');
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
    for (const g of gaps) {
      findings.add(
        g.seq,
        g.kind,
        g.from === g.to ? `seq ${g.from} is missing (an entry was removed)` : `seqs ${g.from}…${g.to} are missing (${g.to - g.from + 1} entries removed)`,
        'seq-gap',
      );
    }
    findings.total += gapsOver;

    const {
      rows: [last],
    } = await client.query(`SELECT seq, ledger_iso(time) AS time FROM ledger ORDER BY seq DESC LIMIT 1`);
    lastEntry = last ? { seq: Number(last.seq), time: last.time } : undefined;
    if (reader && opts.anchors) {
      const lastSeq = lastEntry?.seq ?? 0;
      if (!opts.anchors.key && (logExists || result.checkpoints > 0)) {
        findings.add(0, 'anchor', "no public key to check the anchor log's signatures with (LEDGER_KEY_FILE)", 'anchor-log');
      }
      // Anchored checkpoints the walk did not meet: gone from the ledger, or cut off its end.
      for (const a of reader.anchors.values()) {
        if (a.checkpoint <= lastSeq) {
          findings.add(a.checkpoint, 'checkpoint', `anchored checkpoint ${a.checkpoint} (line ${a.line}, of ${a.time}) is not in the ledger`, 'anchor-checkpoint');
        }
      }
      if (lastAnchor && lastAnchor.checkpoint > lastSeq) {
        findings.add(
          lastSeq + 1,
          'ledger',
          `entries cut from the end: the anchor log (line ${lastAnchor.line}) has checkpoint ${lastAnchor.checkpoint} of ${lastAnchor.time}, ` +
            `but the ledger ends at ${lastEntry ? `seq ${lastSeq} of ${lastEntry.time}` : 'nothing (it is empty)'}`,
          'truncated',
        );
      }
      const {
        rows: [u],
      } = await client.query(`SELECT count(*)::int AS n, ledger_iso(min(time)) AS since FROM ledger WHERE seq > $1`, [lastAnchor?.checkpoint ?? 0]);
      if (u.n > 0) unanchored = { entries: u.n, since: u.since };
    }

    // Chained rows, table by table, against their latest entries.
    const tables = (await client.query(ROW_TABLES_SQL)).rows.map((r) => r.tbl as string);
    for (const table of tables) {
      // Checked first rather than caught: after an error the embedded PostGIS's socket server can
      // get out of step with the client (electric-sql/pglite#958).
      const {
        rows: [t],
      } = await client.query(
        `SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'id' AND NOT attisdropped) AS ok,
                (SELECT min(seq) FROM ledger WHERE payload ?& array['table', 'id', 'digest'] AND payload->>'table' = $1) AS seq`,
        [table],
      );
      if (!t.ok) {
        findings.add(Number(t.seq), 'row', `cannot check the chained rows of ${table}: there is no such table with an id column`, 'row');
        continue;
      }
      await client.query('SAVEPOINT ledger_rows');
      try {
        const {
          rows: [r],
        } = await client.query(ROWS_SQL, [table]);
        result.rows += r.n;
        for (const b of (r.first ?? []) as { seq: number; kind: string; id: string; missing: boolean }[]) {
          findings.add(
            Number(b.seq),
            b.kind,
            b.missing ? `${table} row ${b.id} is gone` : `${table} row ${b.id} does not match its latest ledger entry (changed behind the ledger)`,
            'row',
          );
        }
        findings.total += Math.max(0, r.bad - (r.first?.length ?? 0));
        await client.query('RELEASE SAVEPOINT ledger_rows');
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT ledger_rows');
        findings.add(Number(t.seq), 'row', `cannot check the chained rows of ${table}: ${(err as Error).message}`, 'row');
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
    ...(lastEntry ? { lastEntry } : {}),
    ...(opts.anchors
      ? {
          anchors: {
            file: opts.anchors.file,
            lines: reader!.lines,
            anchored,
            ...(lastAnchor ? { lastCheckpoint: lastAnchor.checkpoint, lastTime: lastAnchor.time } : {}),
            ...(opts.anchors.key ? { key: opts.anchors.key.id } : {}),
          },
        }
      : {}),
    ...(unanchored ? { unanchored } : {}),
    ms: Math.round(performance.now() - started),
  };
}
