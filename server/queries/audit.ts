// The audit log for supervisors (GET /api/audit): filtered by user, action, object and time, newest
// first, paged by id (keyset: `before` is the last id of the page held), and as CSV.
//
// Jurisdiction, decided here and enforced in the SQL below:
//  - HQ sees every row.
//  - Anyone else sees (a) the rows made by a user whose district is one of their visible districts
//    (visible_districts: their own and every district below it), whatever the row is about, and
//    (b) the rows about a consignment they may see (visible_consignments), whoever made them — the
//    system's status changes and another district's supervisor's actions on a shared movement.
//  - Nothing else: a row with no user (a failed sign-in with an unknown name, a partner system's
//    change of something other than a consignment) is HQ's only, and so are the rows of users above
//    or beside them in the tree, even about objects of theirs other than consignments.
import type pg from 'pg';
import { z } from 'zod';
import { TimeMsParam } from '@/lib/params';
import { csvRows } from '@/lib/csv';

const word = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });

export const AuditQuery = z
  .object({
    user: word(64).optional().meta({ description: 'username, exactly' }),
    action: word(64).optional().meta({ description: 'action code, exactly (consignment_extend), or a prefix ending in * (consignment_*)' }),
    entity: word(32).optional().meta({ description: 'object kind (consignment, alert, webhook…)' }),
    entityId: word(64).optional().meta({ description: 'object id (with entity)' }),
    from: TimeMsParam.optional(),
    to: TimeMsParam.optional(),
    before: z
      .string()
      .regex(/^[1-9][0-9]{0,17}$/, 'a row id')
      .optional()
      .meta({ description: 'keyset paging: rows with a smaller id than this (the last id of the page held)' }),
    limit: z.coerce.number().int().min(1).max(5000).optional().meta({ description: 'rows per page: 100 by default (JSON), 5000 (CSV)' }),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to > q.from, { message: 'to must be after from', path: ['to'] });
export type AuditQuery = z.infer<typeof AuditQuery>;

export interface AuditRow {
  id: string;
  time: string;
  userId: number | null;
  username: string | null;
  userDistrict: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

/** A LIKE pattern from an action filter: `x*` is a prefix, anything else is exact. */
const actionPattern = (a: string) => {
  const lit = a.replace(/[\\%_]/g, (m) => `\\${m}`);
  return lit.endsWith('*') ? `${lit.slice(0, -1)}%` : lit;
};

export async function listAudit(pool: pg.Pool, userDistrict: string, q: AuditQuery): Promise<{ items: AuditRow[]; next: string | null }> {
  const limit = q.limit ?? (q.format === 'csv' ? 5000 : 100);
  const { rows } = await pool.query<AuditRow>(
    `WITH v AS MATERIALIZED (SELECT is_hq($1) AS hq, visible_districts($1) AS codes)
     SELECT l.id::text AS id, l.time, l.user_id AS "userId", l.username, u.district AS "userDistrict", l.action, l.entity, l.entity_id AS "entityId",
            l.before, l.after, l.ip
     FROM audit_log l CROSS JOIN v LEFT JOIN users u ON u.id = l.user_id
     WHERE (v.hq OR u.district = ANY (v.codes)
            OR (l.entity = 'consignment' AND l.entity_id IN (SELECT c.id::text FROM visible_consignments($1) c)))
       AND ($2::text IS NULL OR l.username = $2)
       AND ($3::text IS NULL OR l.action LIKE $3)
       AND ($4::text IS NULL OR l.entity = $4)
       AND ($5::text IS NULL OR l.entity_id = $5)
       AND ($6::float8 IS NULL OR l.time >= to_timestamp($6 / 1000.0))
       AND ($7::float8 IS NULL OR l.time < to_timestamp($7 / 1000.0))
       AND ($8::bigint IS NULL OR l.id < $8)
     ORDER BY l.id DESC
     LIMIT $9`,
    [userDistrict, q.user ?? null, q.action ? actionPattern(q.action) : null, q.entity ?? null, q.entityId ?? null, q.from ?? null, q.to ?? null, q.before ?? null, limit],
  );
  const items = rows.map((r) => ({ ...r, time: new Date(r.time).toISOString() }));
  return { items, next: items.length === limit ? items.at(-1)!.id : null };
}

const CSV_HEADER = ['id', 'time', 'user', 'user_id', 'user_district', 'action', 'entity', 'entity_id', 'before', 'after', 'ip'];

/** The rows as CSV (lib/csv.ts: formula-safe cells), before and after as JSON text. */
export function auditCsv(items: AuditRow[]): string {
  const json = (v: unknown) => (v == null ? '' : JSON.stringify(v));
  return csvRows([CSV_HEADER, ...items.map((r) => [r.id, r.time, r.username, r.userId, r.userDistrict, r.action, r.entity, r.entityId, json(r.before), json(r.after), r.ip])]);
}
