// What the national node shows of the regions' forwarded movements and alerts: each with its source
// region (来源关区), newest first. Read from federated_records (the region's row as it chained it).
import type pg from 'pg';
import { z } from 'zod';

export const RecordsQuery = z
  .object({
    table: z.enum(['consignments', 'alerts']),
    region: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{1,39}$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type RecordsQuery = z.infer<typeof RecordsQuery>;

export interface FederatedRecord {
  region: string;
  regionName: string;
  id: string;
  /** The region's ledger entry that chained this state of the row. */
  seq: number;
  /** The row as the region chained it (its own columns: reference, status, type, severity, time, …). */
  doc: Record<string, unknown>;
}

export async function listFederatedRecords(pool: pg.Pool, q: RecordsQuery): Promise<FederatedRecord[]> {
  const { rows } = await pool.query<FederatedRecord>(
    `SELECT g.code AS region, g.name AS "regionName", r.id, r.seq::float8 AS seq, r.doc
     FROM federated_records r JOIN federation_regions g ON g.id = r.region_id
     WHERE r.tbl = $1 AND ($2::text IS NULL OR g.code = $2)
     ORDER BY coalesce(r.doc->>'time', r.doc->>'departure') DESC NULLS LAST, r.seq DESC LIMIT $3`,
    [q.table, q.region ?? null, q.limit],
  );
  return rows;
}
