// The regional side's reading of the next batch (README.md): its ledger's entries after the cursor,
// in seq order, with the positions rows of each 'positions' entry and the current row of each
// movement or alert entry that is that row's latest entry (an older entry's row went on changing;
// it travels with its latest entry). One REPEATABLE READ snapshot, so rows and entries agree, and
// the settings that shape the chained text pinned as ledger_row_digests() pins them.
import type pg from 'pg';
import { FORWARDED_TABLES, type PositionTuple, type WireBatch, type WireEntry } from './wire';

export interface BatchLimits {
  /** Entries per batch. */
  entries: number;
  /** Position rows per batch (a single entry with more still goes, alone). */
  positionRows: number;
}

const ENTRIES_SQL = `
  SELECT seq::float8 AS seq, ledger_iso(time) AS time, kind, payload::text AS payload, encode(prev_hash, 'hex') AS prev, encode(hash, 'hex') AS hash,
         CASE WHEN kind = 'positions' THEN coalesce((payload->>'count')::int, 0) ELSE 0 END AS npos,
         CASE WHEN payload ?& array['table', 'id', 'digest'] AND payload->>'table' = ANY ($3::text[]) THEN payload->>'table' END AS tbl,
         payload->>'id' AS id
  FROM ledger WHERE seq > $1 ORDER BY seq LIMIT $2`;

const POSITIONS_SQL = `
  SELECT batch::float8 AS batch, asset_id, ledger_iso(time) AS time, encode(ST_AsEWKB(geom), 'hex') AS geom, speed::text AS speed, course::text AS course,
         heading::text AS heading, source, alarm
  FROM positions WHERE batch >= $1 AND batch <= $2 AND batch = ANY ($3::bigint[])`;

const LATEST_SQL = `
  SELECT r.tbl, r.id, (SELECT max(l.seq) FROM ledger l WHERE l.payload ?& array['table', 'id', 'digest'] AND l.payload->>'table' = r.tbl AND l.payload->>'id' = r.id)::float8 AS last
  FROM unnest($1::text[], $2::text[]) AS r(tbl, id)`;

const DOCS_SQL = (table: string) => `SELECT t.id::text AS id, jsonb_strip_nulls(to_jsonb(t))::text AS doc FROM ${table} t WHERE t.id = ANY ($1::bigint[])`;

interface EntryRow {
  seq: number;
  time: string;
  kind: string;
  payload: string;
  prev: string;
  hash: string;
  npos: number;
  tbl: (typeof FORWARDED_TABLES)[number] | null;
  id: string | null;
}

/** The batch after `cursor`, or null when the ledger has nothing after it. */
export async function readBatch(pool: pg.Pool, cursor: number, limits: BatchLimits): Promise<WireBatch | null> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL "TimeZone" = 'UTC'; SET LOCAL extra_float_digits = 1; SET LOCAL "IntervalStyle" = 'postgres'; SET LOCAL bytea_output = 'hex'`);
    const { rows } = await client.query<EntryRow>(ENTRIES_SQL, [cursor, limits.entries, FORWARDED_TABLES]);
    // Cut where the positions rows would pass the budget (the first entry always goes).
    let n = 0;
    let rowsSoFar = 0;
    for (const r of rows) {
      if (n > 0 && rowsSoFar + r.npos > limits.positionRows) break;
      rowsSoFar += r.npos;
      n++;
    }
    const picked = rows.slice(0, n);
    if (picked.length === 0) {
      await client.query('COMMIT');
      return null;
    }
    const head = Number((await client.query('SELECT coalesce(max(seq), 0)::float8 AS head FROM ledger')).rows[0].head);
    const entries: WireEntry[] = picked.map((r) => ({ seq: r.seq, time: r.time, kind: r.kind, payload: r.payload, prevHash: r.prev, hash: r.hash }));
    const bySeq = new Map(entries.map((e) => [e.seq, e]));

    const batches = picked.filter((r) => r.kind === 'positions').map((r) => r.seq);
    if (batches.length) {
      for (const s of batches) bySeq.get(s)!.positions = [];
      const pos = await client.query(POSITIONS_SQL, [batches[0], batches[batches.length - 1], batches]);
      for (const p of pos.rows) {
        const t: PositionTuple = [p.asset_id, p.time, p.geom, p.speed, p.course, p.heading, p.source, p.alarm];
        bySeq.get(p.batch)!.positions!.push(t);
      }
    }

    const chained = picked.filter((r) => r.tbl !== null && r.id !== null && /^[0-9]{1,18}$/.test(r.id));
    if (chained.length) {
      const latest = await client.query<{ tbl: string; id: string; last: number }>(LATEST_SQL, [chained.map((r) => r.tbl), chained.map((r) => r.id)]);
      const lastOf = new Map(latest.rows.map((l) => [`${l.tbl}:${l.id}`, l.last]));
      const current = chained.filter((r) => lastOf.get(`${r.tbl}:${r.id}`) === r.seq);
      for (const table of FORWARDED_TABLES) {
        const mine = current.filter((r) => r.tbl === table);
        if (!mine.length) continue;
        const docs = await client.query<{ id: string; doc: string }>(DOCS_SQL(table), [mine.map((r) => r.id)]);
        const docOf = new Map(docs.rows.map((d) => [d.id, d.doc]));
        for (const r of mine) {
          const doc = docOf.get(r.id!);
          if (doc !== undefined) bySeq.get(r.seq)!.row = { table, id: r.id!, doc };
        }
      }
    }
    await client.query('COMMIT');
    return { after: cursor, head, entries };
  } catch (err) {
    broken = err as Error;
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release(broken);
  }
}
