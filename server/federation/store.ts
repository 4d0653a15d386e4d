// The national side's store of a region's batch (README.md), in one transaction under the region's
// row lock: the batch must start at the cursor this node owns (else a 409 naming it, and the
// forwarder resumes from there), then its entries, positions and records are stored keyed by
// (region, source seq or id), so a retried batch never duplicates anything, and the cursor moves.
import type pg from 'pg';
import { withTransaction } from '@/db/transaction';
import type { SignedRegion } from './regions';
import type { CursorAnswer, WireBatch } from './wire';

/** The batch does not start where this node's cursor is: `cursor` is where it must. */
export class CursorMismatch extends Error {
  constructor(public cursor: number) {
    super(`the batch must start after seq ${cursor}, the last one stored here`);
  }
}

const ENTRIES_SQL = `
  INSERT INTO federated_ledger (region_id, seq, time, kind, payload, prev_hash, hash)
  SELECT $1, s, t::timestamptz, k, p::jsonb, decode(ph, 'hex'), decode(h, 'hex')
  FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(s, t, k, p, ph, h)
  ON CONFLICT (region_id, seq) DO NOTHING`;

const POSITIONS_SQL = `
  INSERT INTO federated_positions (region_id, batch, asset_id, time, geom, speed, course, heading, source, alarm)
  SELECT $1, b, a, t::timestamptz, ST_GeomFromEWKB(decode(g, 'hex')), sp::real, co::real, hd::real, src, al
  FROM unnest($2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[]) AS u(b, a, t, g, sp, co, hd, src, al)`;

const RECORDS_SQL = `
  INSERT INTO federated_records AS r (region_id, tbl, id, seq, doc)
  SELECT $1, tb, id, s, d::jsonb FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[]) AS u(tb, id, s, d)
  ON CONFLICT (region_id, tbl, id) DO UPDATE SET seq = EXCLUDED.seq, doc = EXCLUDED.doc WHERE r.seq < EXCLUDED.seq`;

export async function regionCursor(pool: pg.Pool, region: SignedRegion): Promise<CursorAnswer> {
  const { rows } = await pool.query<{ cursor: number }>('SELECT last_seq::float8 AS cursor FROM federation_regions WHERE id = $1', [region.id]);
  return { region: region.code, cursor: rows[0]?.cursor ?? 0 };
}

export async function storeBatch(pool: pg.Pool, region: SignedRegion, b: WireBatch): Promise<CursorAnswer & { stored: number; positions: number }> {
  return withTransaction(pool, async (c) => {
    const cursor = Number((await c.query('SELECT last_seq FROM federation_regions WHERE id = $1 FOR UPDATE', [region.id])).rows[0].last_seq);
    if (b.after !== cursor) throw new CursorMismatch(cursor);
    const e = b.entries;
    await c.query(ENTRIES_SQL, [
      region.id,
      e.map((x) => x.seq),
      e.map((x) => x.time),
      e.map((x) => x.kind),
      e.map((x) => x.payload),
      e.map((x) => x.prevHash),
      e.map((x) => x.hash),
    ]);
    const cols: [number[], number[], string[], string[], (string | null)[], (string | null)[], (string | null)[], string[], (number | null)[]] = [
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
    ];
    for (const x of e) {
      for (const p of x.positions ?? []) {
        cols[0].push(x.seq);
        cols[1].push(p[0]);
        cols[2].push(p[1]);
        cols[3].push(p[2]);
        cols[4].push(p[3]);
        cols[5].push(p[4]);
        cols[6].push(p[5]);
        cols[7].push(p[6]);
        cols[8].push(p[7]);
      }
    }
    if (cols[0].length) await c.query(POSITIONS_SQL, [region.id, ...cols]);
    const rows = e.filter((x) => x.row);
    if (rows.length) {
      await c.query(RECORDS_SQL, [region.id, rows.map((x) => x.row!.table), rows.map((x) => x.row!.id), rows.map((x) => x.seq), rows.map((x) => x.row!.doc)]);
    }
    const to = e[e.length - 1]!.seq;
    await c.query('UPDATE federation_regions SET last_seq = $2::bigint, head_seq = greatest($3::bigint, $2::bigint), last_batch_at = now() WHERE id = $1', [region.id, to, b.head]);
    return { region: region.code, cursor: to, stored: e.length, positions: cols[0].length };
  });
}
