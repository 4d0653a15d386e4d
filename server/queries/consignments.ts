// Consignment queries on behalf of a user. Every one goes through visible_consignments(), the
// single SQL definition of jurisdiction; no handler filters by district itself.
import type pg from 'pg';
import { z } from 'zod';
import { CONSIGNMENT_STATUSES } from '../../lib/domain';

export const ListQuery = z.object({
  status: z.enum(CONSIGNMENT_STATUSES).optional(),
  district: z
    .string()
    .regex(/^[0-9]{4}$/, 'a 4-digit district code')
    .optional(),
  q: z.string().trim().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListQuery = z.infer<typeof ListQuery>;

const COLUMNS = `
  c.id, c.reference, c.seal_id AS "sealId", c.status, c.goods, c.carrier, c.districts,
  c.departure, c.deadline, c.arrived_at AS "arrivedAt",
  json_build_object('id', a.id, 'key', a.key, 'kind', a.kind, 'label', a.label, 'plate', a.plate, 'mmsi', a.mmsi) AS asset,
  json_build_object('code', o.code, 'name', o.name_zh, 'nameEn', o.name_en) AS origin,
  json_build_object('code', d.code, 'name', d.name_zh, 'nameEn', d.name_en) AS destination,
  r.code AS route`;

const FROM = `
  FROM visible_consignments($1) c
  JOIN assets a ON a.id = c.asset_id
  JOIN sites o ON o.id = c.origin_site
  JOIN sites d ON d.id = c.dest_site
  LEFT JOIN routes r ON r.id = c.route_id`;

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
export const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

export async function listConsignments(pool: pg.Pool, userDistrict: string, q: ListQuery) {
  const { rows } = await pool.query(
    `SELECT ${COLUMNS}, count(*) OVER () AS total ${FROM}
     WHERE ($2::text IS NULL OR c.status = $2)
       AND ($3::text IS NULL OR $3 = ANY (c.districts))
       AND ($4::text IS NULL OR c.reference ILIKE '%' || $4 || '%' OR c.seal_id ILIKE '%' || $4 || '%' OR a.label ILIKE '%' || $4 || '%')
     ORDER BY c.departure DESC, c.id DESC
     LIMIT $5 OFFSET $6`,
    [userDistrict, q.status ?? null, q.district ?? null, q.q === undefined ? null : likeLiteral(q.q), q.limit, q.offset],
  );
  const total = rows[0] ? Number(rows[0].total) : 0;
  return { total, items: rows.map(({ total: _t, ...r }) => r) };
}

export async function getConsignment(pool: pg.Pool, userDistrict: string, id: number) {
  const { rows } = await pool.query(`SELECT ${COLUMNS} ${FROM} WHERE c.id = $2`, [userDistrict, id]);
  return rows[0] ?? null;
}
