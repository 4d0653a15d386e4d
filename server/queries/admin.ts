// Supervisors' edits of routes, sites and consignments: validated, inside their jurisdiction,
// audited with before and after, chained into the ledger.
import type pg from 'pg';
import { z } from 'zod';
import { SITE_KINDS } from '../../lib/domain';
import { withTransaction } from '../../db/transaction';
import { audit } from '../audit';
import type { SessionUser } from '../auth/sessions';
import { ApiError } from '../http/api';
import { LineStringSchema, PolygonSchema } from '../http/geojson';

export const RouteBody = z.object({
  code: z.string().trim().min(1).max(32),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  from: z.string().min(1).max(32),
  to: z.string().min(1).max(32),
  corridorM: z.number().positive('corridorM must be more than 0 m').max(20_000),
  path: LineStringSchema,
});

export const SiteBody = z.object({
  code: z.string().trim().min(1).max(32),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  kind: z.enum(SITE_KINDS),
  district: z.string().regex(/^[0-9]{4}$/),
  area: PolygonSchema,
});

const tx = withTransaction;

/** Whether a user may administer something in `district` (their own district or one below it). */
async function mayAdminister(c: pg.ClientBase, user: SessionUser, codes: string[]): Promise<boolean> {
  const { rows } = await c.query('SELECT is_hq($1) OR $2::text[] && visible_districts($1) AS ok', [user.district, codes]);
  return rows[0].ok;
}

export async function saveRoute(pool: pg.Pool, user: SessionUser, body: z.infer<typeof RouteBody>, ip: string) {
  return tx(pool, async (c) => {
    const sites = await c.query('SELECT id, code, district FROM sites WHERE code = ANY($1)', [[body.from, body.to]]);
    const from = sites.rows.find((s) => s.code === body.from);
    const to = sites.rows.find((s) => s.code === body.to);
    if (!from) throw new ApiError(400, `from: no site ${body.from}`);
    if (!to) throw new ApiError(400, `to: no site ${body.to}`);
    if (!(await mayAdminister(c, user, [from.district, to.district]))) throw new ApiError(403, 'the route must start or end in your jurisdiction');
    const before = (await c.query('SELECT code, corridor_m, ST_AsGeoJSON(path)::json AS path FROM routes WHERE code = $1', [body.code])).rows[0] ?? null;
    const { rows } = await c.query(
      `INSERT INTO routes (code, name_zh, name_en, from_site, to_site, corridor_m, path, corridor, approximate)
       SELECT $1, $2, $3, $4, $5, $6::float8, g, ST_Buffer(g::geography, $6::float8)::geometry, false
       FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($7), 4326) AS g) p
       ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, from_site = EXCLUDED.from_site,
         to_site = EXCLUDED.to_site, corridor_m = EXCLUDED.corridor_m, path = EXCLUDED.path, corridor = EXCLUDED.corridor, updated_at = now()
       RETURNING id, code`,
      [body.code, body.nameZh, body.nameEn, from.id, to.id, body.corridorM, JSON.stringify(body.path)],
    );
    await audit(c, { userId: user.id, username: user.username, action: before ? 'route_update' : 'route_create', entity: 'route', entityId: body.code, before, after: body, ip });
    return { id: rows[0].id, code: rows[0].code, created: !before };
  });
}

export async function saveSite(pool: pg.Pool, user: SessionUser, body: z.infer<typeof SiteBody>, ip: string) {
  return tx(pool, async (c) => {
    if (!(await mayAdminister(c, user, [body.district]))) throw new ApiError(403, 'district: not in your jurisdiction');
    const before = (await c.query('SELECT code, kind, district, ST_AsGeoJSON(area)::json AS area FROM sites WHERE code = $1', [body.code])).rows[0] ?? null;
    const { rows } = await c.query(
      `INSERT INTO sites (code, name_zh, name_en, kind, district, area, approximate)
       VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_GeomFromGeoJSON($6), 4326), false)
       ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind,
         district = EXCLUDED.district, area = EXCLUDED.area, updated_at = now()
       RETURNING id, code`,
      [body.code, body.nameZh, body.nameEn, body.kind, body.district, JSON.stringify(body.area)],
    );
    await audit(c, { userId: user.id, username: user.username, action: before ? 'site_update' : 'site_create', entity: 'site', entityId: body.code, before, after: body, ip });
    return { id: rows[0].id, code: rows[0].code, created: !before };
  });
}
