// Supervisors' edits of routes, sites and consignments: validated, inside their jurisdiction,
// audited with before and after, chained into the ledger. An edit must be allowed on the row as
// stored as well as on the row as written (DESIGN.md, Ownership and trust): a supervisor who may
// not administer the stored row gets 403, whatever the new values say. Failures are domain errors
// (server/errors.ts); the HTTP layer maps them to statuses.
import type pg from 'pg';
import type { SiteKind } from '../../lib/domain';
import { withTransaction } from '../../db/transaction';
import { audit } from '../audit';
import type { SessionUser } from '../auth/sessions';
import { conflict, forbidden, invalid } from '../errors';
import { checkRouteGeometry } from '../geo/routeLimits';

type Positions = readonly (readonly number[])[];

export interface RouteInput {
  code: string;
  nameZh: string;
  nameEn: string;
  /** Site codes. */
  from: string;
  to: string;
  corridorM: number;
  path: { type: 'LineString'; coordinates: Positions };
  validFrom?: string | null;
  validUntil?: string | null;
}

export interface SiteInput {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: SiteKind;
  district: string;
  area: { type: 'Polygon'; coordinates: readonly Positions[] };
}

const tx = withTransaction;

/** Whether a user may administer something in any of `codes` (their own district or one below it). */
async function mayAdminister(c: pg.ClientBase, user: SessionUser, codes: string[]): Promise<boolean> {
  const { rows } = await c.query('SELECT is_hq($1) OR $2::text[] && visible_districts($1) AS ok', [user.district, codes]);
  return rows[0].ok;
}

export async function saveRoute(pool: pg.Pool, user: SessionUser, body: RouteInput, ip: string) {
  // Limits first: a route over them never reaches PostGIS (see server/geo/routeLimits.ts).
  const geometry = checkRouteGeometry(body.path.coordinates, body.corridorM);
  if (!geometry.ok) throw invalid(geometry.reason);
  return tx(pool, async (c) => {
    const sites = await c.query('SELECT id, code, district FROM sites WHERE code = ANY($1)', [[body.from, body.to]]);
    const from = sites.rows.find((s) => s.code === body.from);
    const to = sites.rows.find((s) => s.code === body.to);
    if (!from) throw invalid(`from: no site ${body.from}`);
    if (!to) throw invalid(`to: no site ${body.to}`);
    // The row as stored, locked until we commit, with the districts of its ends as they are now.
    const stored = (
      await c.query(
        `SELECT r.id, r.code, r.corridor_m, r.valid_from, r.valid_until, ST_AsGeoJSON(r.path)::json AS path, f.code AS "from", t.code AS "to", ARRAY[f.district, t.district] AS districts
       FROM routes r JOIN sites f ON f.id = r.from_site JOIN sites t ON t.id = r.to_site
       WHERE r.code = $1 FOR UPDATE OF r`,
        [body.code],
      )
    ).rows[0];
    if (stored && !(await mayAdminister(c, user, stored.districts))) throw forbidden(`route ${body.code} exists and is outside your jurisdiction`);
    if (!(await mayAdminister(c, user, [from.district, to.district]))) throw forbidden('the route must start or end in your jurisdiction');
    const values = [
      body.code,
      body.nameZh,
      body.nameEn,
      from.id,
      to.id,
      body.corridorM,
      JSON.stringify(body.path),
      JSON.stringify({ type: 'LineString', coordinates: geometry.simplified }),
      geometry.bufferM,
      body.validFrom ?? null,
      body.validUntil ?? null,
    ];
    const corridor = 'ST_Buffer(ST_SetSRID(ST_GeomFromGeoJSON($8), 4326)::geography, $9::float8)::geometry';
    const { rows } = stored
      ? await c.query(
          `UPDATE routes SET name_zh = $2, name_en = $3, from_site = $4, to_site = $5, corridor_m = $6::float8,
           path = ST_SetSRID(ST_GeomFromGeoJSON($7), 4326), corridor = ${corridor}, approximate = false, updated_at = now(),
           valid_from = $10, valid_until = $11
         WHERE code = $1 RETURNING id, code`,
          values,
        )
      : await c.query(
          `INSERT INTO routes (code, name_zh, name_en, from_site, to_site, corridor_m, path, corridor, approximate, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6::float8, ST_SetSRID(ST_GeomFromGeoJSON($7), 4326), ${corridor}, false, $10, $11)
         ON CONFLICT (code) DO NOTHING RETURNING id, code`,
          values,
        );
    if (!rows[0]) throw conflict(`route ${body.code} was created meanwhile; try again`);
    const before = stored
      ? { code: stored.code, from: stored.from, to: stored.to, corridor_m: stored.corridor_m, valid_from: stored.valid_from, valid_until: stored.valid_until, path: stored.path }
      : null;
    await audit(c, { userId: user.id, username: user.username, action: before ? 'route_update' : 'route_create', entity: 'route', entityId: body.code, before, after: body, ip });
    return { id: rows[0].id, code: rows[0].code, created: !before };
  });
}

export async function saveSite(pool: pg.Pool, user: SessionUser, body: SiteInput, ip: string) {
  return tx(pool, async (c) => {
    const stored = (await c.query('SELECT id, code, kind, district, ST_AsGeoJSON(area)::json AS area FROM sites WHERE code = $1 FOR UPDATE', [body.code])).rows[0];
    if (stored && !(await mayAdminister(c, user, [stored.district]))) throw forbidden(`site ${body.code} exists and is outside your jurisdiction`);
    if (!(await mayAdminister(c, user, [body.district]))) throw forbidden('district: not in your jurisdiction');
    const values = [body.code, body.nameZh, body.nameEn, body.kind, body.district, JSON.stringify(body.area)];
    const { rows } = stored
      ? await c.query(
          `UPDATE sites SET name_zh = $2, name_en = $3, kind = $4, district = $5, area = ST_SetSRID(ST_GeomFromGeoJSON($6), 4326),
           approximate = false, updated_at = now()
         WHERE code = $1 RETURNING id, code`,
          values,
        )
      : await c.query(
          `INSERT INTO sites (code, name_zh, name_en, kind, district, area, approximate)
         VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_GeomFromGeoJSON($6), 4326), false)
         ON CONFLICT (code) DO NOTHING RETURNING id, code`,
          values,
        );
    if (!rows[0]) throw conflict(`site ${body.code} was created meanwhile; try again`);
    const before = stored ? { code: stored.code, kind: stored.kind, district: stored.district, area: stored.area } : null;
    await audit(c, { userId: user.id, username: user.username, action: before ? 'site_update' : 'site_create', entity: 'site', entityId: body.code, before, after: body, ip });
    return { id: rows[0].id, code: rows[0].code, created: !before };
  });
}
