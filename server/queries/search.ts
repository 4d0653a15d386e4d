// The console's one search box: a consignment reference, seal id, plate, terminal number, MMSI,
// IMO or vessel name, matched anywhere in the text (trigram-indexed), only within what the user
// may see. Movements first (open ones before closed), then vessels and vehicles without one.
import type pg from 'pg';
import { z } from 'zod';
import type { SearchHit } from '../../lib/search';
import { likeLiteral } from './consignments';

export const SearchQuery = z.object({
  q: z.string().trim().min(2, 'type at least 2 characters').max(64),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

const ASSET_TEXT = `(coalesce(a.label, '') || ' ' || coalesce(a.plate, '') || ' ' || coalesce(a.terminal, '') || ' ' || coalesce(a.mmsi, '') || ' ' || coalesce(a.imo, ''))`;

/**
 * Plates are stored as printed, 沪D·A1234, but typed as 沪DA1234 or 沪D A1234: a query shaped
 * like a plate is also tried with the middle dot in place.
 */
export function plateForm(q: string): string {
  const bare = q.replace(/[\s·•.]/g, '');
  const m = /^([\u4e00-\u9fff]?[A-Za-z])([0-9A-Za-z]{1,6})$/.exec(bare);
  return m ? `${m[1]}·${m[2]}` : q;
}

export async function search(pool: pg.Pool, userDistrict: string, q: z.infer<typeof SearchQuery>): Promise<SearchHit[]> {
  const pattern = `%${likeLiteral(q.q)}%`;
  const plate = plateForm(q.q);
  // The plate form is a second trigram scan: only when it differs from what was typed.
  const plateMatch = plate === q.q ? '' : ` OR ${ASSET_TEXT} ILIKE $5`;
  const { rows } = await pool.query<SearchHit>(
    `WITH ma AS (SELECT a.id FROM assets a WHERE ${ASSET_TEXT} ILIKE $2${plateMatch} LIMIT 500),
          mc AS (SELECT id FROM consignments WHERE reference ILIKE $2 OR seal_id ILIKE $2
                 UNION SELECT c.id FROM consignments c JOIN ma ON ma.id = c.asset_id),
          hits AS (
            SELECT 'consignment' AS kind, c.id, c.reference AS title,
                   concat_ws(' · ', a.label, c.seal_id, o.name_zh || ' → ' || d.name_zh) AS subtitle, c.status,
                   a.id AS "assetId", a.kind AS "assetKind",
                   (c.status IN ('planned', 'in_transit', 'overdue', 'diverted')) AS open, c.departure AS at, 0 AS tier
            FROM visible_consignments($1) c JOIN mc ON mc.id = c.id
            JOIN assets a ON a.id = c.asset_id JOIN sites o ON o.id = c.origin_site JOIN sites d ON d.id = c.dest_site
            UNION ALL
            SELECT 'asset', a.id, coalesce(a.label, a.key), concat_ws(' · ', a.plate, a.terminal, a.mmsi, a.imo), NULL,
                   a.id, a.kind, true, a.updated_at, 1
            FROM visible_assets($1) a JOIN ma ON ma.id = a.id
            WHERE NOT EXISTS (SELECT 1 FROM consignments c WHERE c.asset_id = a.id AND c.status IN ('planned', 'in_transit', 'overdue', 'diverted')))
     SELECT kind, id, title, subtitle, status, "assetId", "assetKind" FROM hits
     ORDER BY open DESC, tier, (title ILIKE $3) DESC, at DESC LIMIT $4`,
    [userDistrict, pattern, `${likeLiteral(q.q)}%`, q.limit, ...(plateMatch ? [`%${likeLiteral(plate)}%`] : [])],
  );
  return rows;
}
