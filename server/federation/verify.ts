// The national node's check of a region's forwarded ledger against the roots it received (README.md),
// with the ledger's own formulas (db/migrations/1700000000200_ledger.sql, server/ledger/merkle.ts):
//  - every entry's hash is recomputed in SQL (ledger_entry_hash) from its seq, time, kind, payload
//    and prev_hash, and its prev_hash must be the hash of the entry before it (seq 1: genesis);
//  - seqs have no gaps (after a 'ledger.gapless' entry, as the region's own verifier);
//  - every 'checkpoint' root (RFC 6962 Merkle) is recomputed over the entries since the checkpoint before;
//  - every 'positions' entry's count and digest against the forwarded rows of its batch
//    (ledger_lines_digest over ledger_position_line, as the region's writer digested them);
//  - every forwarded movement and alert against the digest of its latest entry.
// A finding names the entry's seq. One REPEATABLE READ snapshot. Kept free of server-only modules.
import type pg from 'pg';
import { MerkleBuilder } from '@/server/ledger/merkle';
import type { LedgerCheck, LedgerFinding } from '@/server/ledger/verify';
import { FORWARDED_TABLES } from './wire';

export interface RegionVerifyResult {
  region: string;
  ok: boolean;
  entries: number;
  checkpoints: number;
  positionBatches: number;
  positionRows: number;
  rows: number;
  /** The last forwarded seq. */
  lastSeq: number;
  firstBad?: LedgerFinding;
  /** Up to 100 findings in seq order; findingsTotal counts them all. */
  findings: LedgerFinding[];
  findingsTotal: number;
  ms: number;
}

const KEEP = 100;
const PAGE = 5000;
const GENESIS = Buffer.alloc(32);

const ENTRIES_SQL = `
  SELECT seq::float8 AS seq, kind, payload, prev_hash, hash, ledger_entry_hash(prev_hash, seq, time, kind, payload) = hash AS self_ok
  FROM federated_ledger WHERE region_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`;

const POSITIONS_SQL = `
  SELECT batch::float8 AS batch, count(*)::int AS n,
         encode(ledger_lines_digest(array_agg(ledger_position_line(asset_id, time, geom, speed, course, heading, source, alarm))), 'hex') AS digest
  FROM federated_positions WHERE region_id = $1 AND batch > $2 AND batch <= $3 GROUP BY batch`;

const ROWS_SQL = `
  WITH latest AS MATERIALIZED (
    SELECT DISTINCT ON (payload->>'table', payload->>'id') seq, kind, payload->>'table' AS tbl, payload->>'id' AS id, payload->>'digest' AS digest
    FROM federated_ledger WHERE region_id = $1 AND payload ?& array['table', 'id', 'digest'] AND payload->>'table' = ANY ($2::text[])
    ORDER BY payload->>'table', payload->>'id', seq DESC
  ), checked AS (
    SELECT l.seq, l.kind, l.tbl, l.id, r.seq IS NULL AS missing, r.seq IS DISTINCT FROM l.seq AS stale,
           encode(sha256(convert_to(r.doc::text, 'UTF8')), 'hex') IS DISTINCT FROM l.digest AS bad
    FROM latest l LEFT JOIN federated_records r ON r.region_id = $1 AND r.tbl = l.tbl AND r.id = l.id
  )
  SELECT count(*)::int AS n, count(*) FILTER (WHERE bad)::int AS bad,
         (array_agg(json_build_object('seq', seq, 'kind', kind, 'tbl', tbl, 'id', id, 'missing', missing, 'stale', stale) ORDER BY seq) FILTER (WHERE bad))[1:${KEEP}] AS first
  FROM checked`;

export async function verifyRegion(pool: pg.Pool, regionId: number): Promise<RegionVerifyResult | undefined> {
  const started = performance.now();
  const findings: LedgerFinding[] = [];
  let total = 0;
  const add = (seq: number, kind: string, reason: string, check: LedgerCheck) => {
    total++;
    findings.push({ seq, kind, reason, check });
  };
  const r = { entries: 0, checkpoints: 0, positionBatches: 0, positionRows: 0, rows: 0, lastSeq: 0 };
  const client = await pool.connect();
  let broken: Error | undefined;
  let code: string;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const region = (await client.query<{ code: string }>('SELECT code FROM federation_regions WHERE id = $1', [regionId])).rows[0];
    if (!region) {
      await client.query('COMMIT');
      return undefined;
    }
    code = region.code;
    // What the region's retention dropped before forwarding: those batches are expected to be gone.
    const ret = await client.query(`SELECT payload->>'before' AS before FROM federated_ledger WHERE region_id = $1 AND kind = 'retention'`, [regionId]);
    const horizon = Math.max(-Infinity, ...ret.rows.map((x) => Date.parse(`${x.before}T00:00:00Z`)).filter((t) => !Number.isNaN(t)));

    let prevHash: Buffer = GENESIS;
    let prevSeq = 0;
    let gaps: LedgerFinding[] = [];
    let tree = new MerkleBuilder();
    let treeFrom: number | undefined;
    let treeTo = 0;
    for (;;) {
      const { rows } = await client.query(ENTRIES_SQL, [regionId, prevSeq, PAGE]);
      if (rows.length === 0) break;
      const pageFrom = prevSeq;
      const waiting: { seq: number; kind: string; count: number; digest: string; from: number; to: number }[] = [];
      for (const e of rows as { seq: number; kind: string; payload: Record<string, unknown>; prev_hash: Buffer; hash: Buffer; self_ok: boolean }[]) {
        r.entries++;
        if (e.seq !== prevSeq + 1) gaps.push({ seq: e.seq, kind: e.kind, reason: `seqs ${prevSeq + 1}…${e.seq - 1} are missing`, check: 'seq-gap' });
        if (e.kind === 'ledger.gapless') gaps = [];
        if (!e.self_ok) add(e.seq, e.kind, 'the stored hash does not match the entry (seq, time, kind, payload, prev_hash)', 'entry-hash');
        if ((e.seq === 1 || prevSeq > 0) && !e.prev_hash.equals(prevHash))
          add(e.seq, e.kind, prevSeq ? `prev_hash is not the hash of entry ${prevSeq}` : 'the first entry does not start from the genesis hash', 'chain-link');
        if (e.kind === 'checkpoint') {
          r.checkpoints++;
          const p = e.payload as { from?: unknown; to?: unknown; count?: unknown; root?: unknown };
          if (p.root !== tree.root() || p.count !== tree.count || (tree.count > 0 && (p.from !== treeFrom || p.to !== treeTo)))
            add(e.seq, e.kind, `the checkpoint root does not match the ${tree.count} entries before it (${treeFrom ?? '-'}…${treeTo})`, 'checkpoint-root');
          tree = new MerkleBuilder();
          treeFrom = undefined;
        } else {
          tree.add(e.hash);
          treeFrom ??= e.seq;
          treeTo = e.seq;
        }
        if (e.kind === 'positions') {
          const p = e.payload as { count?: unknown; digest?: unknown; from?: unknown; to?: unknown };
          if (typeof p.count !== 'number' || typeof p.digest !== 'string') add(e.seq, e.kind, 'malformed positions payload', 'payload');
          else waiting.push({ seq: e.seq, kind: e.kind, count: p.count, digest: p.digest, from: Date.parse(String(p.from)), to: Date.parse(String(p.to)) });
        }
        prevHash = e.hash;
        prevSeq = e.seq;
      }
      // The positions of this page's batches, digested per batch.
      const groups = await client.query<{ batch: number; n: number; digest: string }>(POSITIONS_SQL, [regionId, pageFrom, prevSeq]);
      const byBatch = new Map(groups.rows.map((g) => [g.batch, g]));
      for (const w of waiting) {
        const g = byBatch.get(w.seq);
        byBatch.delete(w.seq);
        const n = g?.n ?? 0;
        r.positionRows += n;
        if (w.to < horizon && n === 0) continue; // dropped by the region's retention before it was forwarded
        r.positionBatches++;
        if (n !== w.count) add(w.seq, w.kind, `${n} rows forwarded where the batch had ${w.count}`, 'positions');
        else if (g?.digest !== w.digest) add(w.seq, w.kind, `the forwarded rows do not match the batch digest (${n} rows, one or more changed)`, 'positions');
      }
      for (const [batch, g] of byBatch) add(batch, 'positions', `${g.n} forwarded position rows carry batch ${batch}, which is no positions entry`, 'positions');
    }
    for (const g of gaps) add(g.seq, g.kind, g.reason, g.check);
    r.lastSeq = prevSeq;

    const rows = (await client.query(ROWS_SQL, [regionId, FORWARDED_TABLES])).rows[0];
    r.rows = rows.n;
    for (const b of (rows.first ?? []) as { seq: number; kind: string; tbl: string; id: string; missing: boolean; stale: boolean }[]) {
      const what = b.missing
        ? 'was not forwarded'
        : b.stale
          ? 'as forwarded is not the state its latest entry chained'
          : 'does not match the digest of its latest entry (changed after it was forwarded)';
      add(Number(b.seq), b.kind, `${b.tbl} ${b.id} ${what}`, 'row');
    }
    total += Math.max(0, rows.bad - (rows.first?.length ?? 0));
    await client.query('COMMIT');
  } catch (err) {
    broken = err as Error;
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release(broken);
  }
  findings.sort((a, b) => a.seq - b.seq);
  const kept = findings.slice(0, KEEP);
  return { region: code, ok: total === 0, ...r, firstBad: kept[0], findings: kept, findingsTotal: total, ms: Math.round(performance.now() - started) };
}
