// Appending to the tamper-evident ledger (DESIGN.md, "Ledger"). The hashing happens in SQL
// (db/migrations/1700000000200_ledger.sql): ledger_append() takes the ledger lock, links the
// entry to the newest one and stores it, all in the caller's transaction.
import type pg from 'pg';
import { ledgerAppendSeconds, ledgerEntries } from '../metrics';

/** Anything that can run a query: a client inside a transaction, or a pool for a one-off append. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

export interface LedgerEntryRef {
  seq: number;
  /** SHA-256 of the entry, hex. */
  hash: string;
}

/**
 * Appends an entry in the caller's transaction (or, given a pool, in its own). The ledger lock
 * is held until that transaction ends: append as the LAST step, after the transaction's other
 * writes (taking row locks while holding the ledger lock invites deadlocks), then commit.
 * The transaction must be READ COMMITTED (the default). `kind`: `[a-z][a-z0-9_.:-]*`, at most
 * 64 characters; `payload`: a JSON object.
 */
export async function appendLedgerEntry(client: Queryable, kind: string, payload: object): Promise<LedgerEntryRef> {
  const end = ledgerAppendSeconds.startTimer({ kind });
  const { rows } = await client.query(`SELECT entry_seq AS seq, encode(entry_hash, 'hex') AS hash FROM ledger_append($1, $2::jsonb)`, [kind, JSON.stringify(payload)]);
  end();
  ledgerEntries.inc({ kind });
  return { seq: Number(rows[0].seq), hash: rows[0].hash };
}

/**
 * Chains the current state of one row: payload `{ table, id, digest }`, digest = SHA-256 of
 * `jsonb_strip_nulls(to_jsonb(row))::text`, computed in SQL. Call it in the transaction that
 * wrote the row, after the write. When the row changes later, chain it again: the verifier
 * checks each row against its latest entry only. The table needs an `id` column.
 */
export async function appendRowEntry(client: Queryable, kind: string, table: string, id: number | string): Promise<LedgerEntryRef> {
  const end = ledgerAppendSeconds.startTimer({ kind });
  const { rows } = await client.query(
    `SELECT e.entry_seq AS seq, encode(e.entry_hash, 'hex') AS hash
     FROM ledger_row_digests($2, ARRAY[$3::text]) d,
          LATERAL ledger_append($1, jsonb_build_object('table', $2::text, 'id', $3::text, 'digest', encode(d.digest, 'hex'))) e`,
    [kind, table, String(id)],
  );
  end();
  if (rows.length === 0) throw new Error(`ledger: ${table} has no row with id ${id}`);
  ledgerEntries.inc({ kind });
  return { seq: Number(rows[0].seq), hash: rows[0].hash };
}
