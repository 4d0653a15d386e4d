// A site's ledger as a signed-in user may see it: the entries (latest first, by id cursor) and the
// balance, the containers whose latest entry is a goods-in. The site must be one the user may see
// (HQ, or its district among theirs); a movement an entry is tied to is named only if the user may
// see it too.
import type pg from 'pg';

export interface LedgerEntry {
  id: number;
  direction: 'in' | 'out';
  container: string | null;
  bill: string | null;
  reference: string | null;
  packages: number | null;
  weightKg: number | null;
  time: number;
  consignmentId: number | null;
  consignmentRef: string | null;
  messageId: number;
}

export interface SiteLedgerView {
  site: { code: string; nameZh: string; nameEn: string; district: string };
  balance: { containers: number; held: { container: string; since: number; bill: string | null; packages: number | null; weightKg: number | null }[] };
  entries: LedgerEntry[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  next: number | null;
}

export async function siteLedgerView(pool: pg.Pool, district: string, code: string, page: { before?: number; limit: number }): Promise<SiteLedgerView | null> {
  const site = (
    await pool.query<{ id: number; code: string; nameZh: string; nameEn: string; district: string }>(
      `SELECT id, code, name_zh AS "nameZh", name_en AS "nameEn", district FROM sites
       WHERE code = $1 AND (is_hq($2) OR district = ANY (visible_districts($2)))`,
      [code, district],
    )
  ).rows[0];
  if (!site) return null;
  const { rows } = await pool.query<LedgerEntry>(
    `SELECT l.id::int AS id, l.direction, l.container_no AS container, l.bill_no AS bill, l.reference, l.packages,
            l.weight_kg::float8 AS "weightKg", (extract(epoch FROM l.time) * 1000)::float8 AS time,
            c.id AS "consignmentId", c.reference AS "consignmentRef", l.message::int AS "messageId"
     FROM site_ledger l LEFT JOIN visible_consignments($4) c ON c.id = l.consignment_id
     WHERE l.site_id = $1 AND ($2::bigint IS NULL OR l.id < $2)
     ORDER BY l.id DESC LIMIT $3`,
    [site.id, page.before ?? null, page.limit + 1, district],
  );
  const held = (
    await pool.query<SiteLedgerView['balance']['held'][number]>(
      `SELECT container, since, bill, packages, "weightKg" FROM (
         SELECT DISTINCT ON (container_no) container_no AS container, direction, (extract(epoch FROM time) * 1000)::float8 AS since,
                bill_no AS bill, packages, weight_kg::float8 AS "weightKg"
         FROM site_ledger WHERE site_id = $1 AND container_no IS NOT NULL
         ORDER BY container_no, time DESC, id DESC) latest
       WHERE direction = 'in' ORDER BY since, container`,
      [site.id],
    )
  ).rows;
  const more = rows.length > page.limit;
  const entries = more ? rows.slice(0, page.limit) : rows;
  const { id: _id, ...shown } = site;
  void _id;
  return { site: shown, balance: { containers: held.length, held }, entries, next: more ? entries[entries.length - 1]!.id : null };
}
