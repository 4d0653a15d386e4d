// Alert queries on behalf of a user, through visible_alerts() (jurisdiction in SQL).
import type pg from 'pg';
import { z } from 'zod';
import { ALERT_COLUMNS, ALERT_JOINS } from '../alerts/alertService';
import { ALERT_TYPES } from '../rules/types';
import { IdParam, TimeMsParam } from '@/lib/params';

export const AlertQuery = z.object({
  state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
  type: z.enum(ALERT_TYPES).optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  since: TimeMsParam.optional(), // ms
  until: TimeMsParam.optional(),
  consignment: IdParam.optional(),
  /** A carrier's alerts (any movement, or none); one the user may not see simply matches nothing. */
  asset: IdParam.optional(),
  district: z
    .string()
    .regex(/^[0-9]{4}$/, 'a 4-digit district code')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type AlertQuery = z.infer<typeof AlertQuery>;

export async function listAlerts(pool: pg.Pool, userDistrict: string, q: AlertQuery) {
  const { rows } = await pool.query(
    `SELECT ${ALERT_COLUMNS}, count(*) OVER () AS total FROM visible_alerts($1) al ${ALERT_JOINS}
     WHERE ($2::text IS NULL OR al.state = $2) AND ($3::text IS NULL OR al.type = $3) AND ($4::text IS NULL OR al.severity = $4)
       AND ($5::float8 IS NULL OR al.time >= to_timestamp($5 / 1000.0)) AND ($6::float8 IS NULL OR al.time < to_timestamp($6 / 1000.0))
       AND ($7::int IS NULL OR al.consignment_id = $7) AND ($8::text IS NULL OR $8 = ANY (al.districts))
       AND ($11::int IS NULL OR al.asset_id = $11)
     ORDER BY al.time DESC, al.id DESC LIMIT $9 OFFSET $10`,
    [
      userDistrict,
      q.state ?? null,
      q.type ?? null,
      q.severity ?? null,
      q.since ?? null,
      q.until ?? null,
      q.consignment ?? null,
      q.district ?? null,
      q.limit,
      q.offset,
      q.asset ?? null,
    ],
  );
  return { total: rows[0] ? Number(rows[0].total) : 0, items: rows.map(({ total: _t, ...r }) => r) };
}
