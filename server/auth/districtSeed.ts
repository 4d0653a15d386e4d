// Seeds the customs district tree (db/seed/customs-districts.json) in every deployment, demo or not,
// so that `admin` (district 0000) and every account has a district to belong to. Idempotent: a code
// already stored is left as it is (a district's names or area set later are not overwritten).
import type pg from 'pg';
import { z } from 'zod';
import tree from '../../db/seed/customs-districts.json';

const DistrictRow = z.object({
  code: z.string().regex(/^\d{4}$/),
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  level: z.enum(['hq', 'direct', 'office']),
  parent: z
    .string()
    .regex(/^\d{4}$/)
    .nullable(),
});
const TreeFile = z.object({ version: z.number().int(), districts: z.array(DistrictRow).min(1) });

export const CUSTOMS_TREE = TreeFile.parse(tree);

/** Inserts the missing districts of the tree, parents first; returns how many were added. */
export async function seedDistrictTree(pool: pg.Pool, say: (msg: string) => void = () => {}): Promise<number> {
  const order = { hq: 0, direct: 1, office: 2 } as const;
  const rows = [...CUSTOMS_TREE.districts].sort((a, b) => order[a.level] - order[b.level]);
  const client = await pool.connect();
  let added = 0;
  try {
    await client.query('BEGIN');
    for (const d of rows) {
      const r = await client.query(
        `INSERT INTO districts (code, name_zh, name_en, level, parent, area, approximate) VALUES ($1, $2, $3, $4, $5, NULL, true) ON CONFLICT (code) DO NOTHING`,
        [d.code, d.nameZh, d.nameEn, d.level, d.parent],
      );
      added += r.rowCount ?? 0;
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  if (added) say(`Seeded the customs district tree v${CUSTOMS_TREE.version}: ${added} of ${rows.length} districts added`);
  return added;
}
