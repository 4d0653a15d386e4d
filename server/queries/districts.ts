// The customs district tree as users see it, and a supervisor adding an office (隶属海关) under a
// direct customs of their jurisdiction, audited. The in-memory tree of the live hub is reloaded by the
// caller after a change.
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';
import { audit } from '../audit';
import type { SessionUser } from '../auth/sessions';
import { conflict, forbidden, invalid } from '../errors';
import { LAST_CHANGE } from './lastChange';

export interface DistrictRow {
  code: string;
  nameZh: string;
  nameEn: string;
  level: 'hq' | 'direct' | 'office';
  parent: string | null;
  hasArea: boolean;
}

/** A district as listed: with who made its last audited change (an added office), and when. */
export interface ListedDistrict extends DistrictRow {
  changedBy: string | null;
  changedAt: string | null;
}

const COLUMNS = `code, name_zh AS "nameZh", name_en AS "nameEn", level, parent, area IS NOT NULL AS "hasArea"`;

export async function listDistricts(pool: pg.Pool, userDistrict: string): Promise<ListedDistrict[]> {
  const { rows } = await pool.query(
    `SELECT ${COLUMNS}, ch.username AS "changedBy", ch.at AS "changedAt"
     FROM districts LEFT JOIN LATERAL (${LAST_CHANGE('district', 'code')}) ch ON true
     WHERE is_hq($1) OR code = ANY (visible_districts($1))
     ORDER BY CASE level WHEN 'hq' THEN 0 WHEN 'direct' THEN 1 ELSE 2 END, code`,
    [userDistrict],
  );
  return rows.map((r) => ({ ...r, changedAt: r.changedAt ? (r.changedAt as Date).toISOString() : null }));
}

export async function addOffice(pool: pg.Pool, user: SessionUser, body: { code: string; nameZh: string; nameEn: string; parent: string }, ip: string): Promise<DistrictRow> {
  return withTransaction(pool, async (c) => {
    // An unknown parent and one outside the jurisdiction answer alike: the tree of others is not probed.
    const parent = (
      await c.query<{ level: string; within: boolean }>(`SELECT level, (is_hq($2) OR code = ANY (visible_districts($2))) AS within FROM districts WHERE code = $1`, [
        body.parent,
        user.district,
      ])
    ).rows[0];
    if (!parent?.within) throw forbidden(`parent: ${body.parent} is not a district in your jurisdiction`);
    if (parent.level !== 'direct') throw invalid(`parent: an office is added under a direct customs, and ${body.parent} is ${parent.level === 'hq' ? 'HQ' : 'an office'}`);
    // 关区代码: an office's code starts with its direct customs' two digits (2248 under 2200).
    if (body.code.slice(0, 2) !== body.parent.slice(0, 2)) throw invalid(`code: an office of ${body.parent} has a code ${body.parent.slice(0, 2)}xx`);
    const { rows } = await c.query<DistrictRow>(
      `INSERT INTO districts (code, name_zh, name_en, level, parent, area, approximate) VALUES ($1, $2, $3, 'office', $4, NULL, true)
       ON CONFLICT (code) DO NOTHING RETURNING ${COLUMNS}`,
      [body.code, body.nameZh, body.nameEn, body.parent],
    );
    if (!rows[0]) throw conflict(`code: ${body.code} is already a district`);
    await audit(c, { userId: user.id, username: user.username, action: 'district.add', entity: 'district', entityId: body.code, after: rows[0], ip });
    return rows[0];
  });
}
