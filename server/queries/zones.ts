// Zones (restricted, anchorage, Golden Customs II bonded) as GeoJSON, and supervisors' edits of
// them, in the style of the sites' (server/queries/admin.ts): inside their jurisdiction as stored
// and as written, audited with before and after. A zone without a district is HQ's alone.
import type pg from 'pg';
import { LAST_CHANGE } from './lastChange';
import { withTransaction } from '../../db/transaction';
import { audit } from '../audit';
import type { SessionUser } from '../auth/sessions';
import { conflict, forbidden, notFound } from '../errors';
import type { ZoneKind } from '../geofence/index';

type Positions = readonly (readonly number[])[];

export interface ZoneInput {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: ZoneKind;
  district: string;
  /** The Golden Customs II area code (区域代码) a passport names its zone by. */
  areaCode: string | null;
  area: { type: 'Polygon'; coordinates: readonly Positions[] };
}

/** Zones in the districts a user sees (all for HQ): what GET /api/zones lists. */
export const DISTRICT_ZONES = `
  SELECT z.* FROM zones z WHERE (SELECT is_hq($1)) OR z.district IN (SELECT unnest(visible_districts($1)))`;

export async function listZones(pool: pg.Pool, userDistrict: string): Promise<unknown> {
  const { rows } = await pool.query(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', z.id, 'geometry', ST_AsGeoJSON(z.area, 6)::json,
       'properties', json_build_object('code', z.code, 'nameZh', z.name_zh, 'nameEn', z.name_en, 'kind', z.kind,
                                       'district', z.district, 'areaCode', z.area_code,
                                       'changedBy', ch.username, 'changedAt', ch.at)) ORDER BY z.code), '[]'::json)) AS fc
     FROM (${DISTRICT_ZONES}) z LEFT JOIN LATERAL (${LAST_CHANGE('zone', 'z.code')}) ch ON true`,
    [userDistrict],
  );
  return rows[0].fc;
}

/** Whether a user may administer something in `district` (their own district or one below it; HQ anything). */
async function mayAdminister(c: pg.ClientBase, user: SessionUser, district: string | null): Promise<boolean> {
  const { rows } = await c.query('SELECT is_hq($1) OR coalesce($2 = ANY(visible_districts($1)), false) AS ok', [user.district, district]);
  return rows[0].ok;
}

export async function saveZone(pool: pg.Pool, user: SessionUser, body: ZoneInput, ip: string) {
  return withTransaction(pool, async (c) => {
    const stored = (await c.query('SELECT id, code, kind, district, area_code, ST_AsGeoJSON(area)::json AS area FROM zones WHERE code = $1 FOR UPDATE', [body.code])).rows[0];
    if (stored && !(await mayAdminister(c, user, stored.district))) throw forbidden(`zone ${body.code} exists and is outside your jurisdiction`);
    if (!(await mayAdminister(c, user, body.district))) throw forbidden('district: not in your jurisdiction');
    if (body.areaCode) {
      // Another zone's area code would make a passport ambiguous; its existence is no secret worth
      // keeping (codes are printed on passports), but its owner is not named.
      const other = (await c.query('SELECT 1 FROM zones WHERE area_code = $1 AND code <> $2', [body.areaCode, body.code])).rows[0];
      if (other) throw conflict(`areaCode ${body.areaCode} is another zone's`);
    }
    const values = [body.code, body.nameZh, body.nameEn, body.kind, body.district, body.areaCode, JSON.stringify(body.area)];
    const { rows } = stored
      ? await c.query(
          `UPDATE zones SET name_zh = $2, name_en = $3, kind = $4, district = $5, area_code = $6,
             area = ST_SetSRID(ST_GeomFromGeoJSON($7), 4326), updated_at = now()
           WHERE code = $1 RETURNING id, code`,
          values,
        )
      : await c.query(
          `INSERT INTO zones (code, name_zh, name_en, kind, district, area_code, area)
           VALUES ($1, $2, $3, $4, $5, $6, ST_SetSRID(ST_GeomFromGeoJSON($7), 4326))
           ON CONFLICT DO NOTHING RETURNING id, code`,
          values,
        );
    if (!rows[0]) throw conflict(`zone ${body.code} was created meanwhile; try again`);
    const before = stored ? { code: stored.code, kind: stored.kind, district: stored.district, areaCode: stored.area_code, area: stored.area } : null;
    await audit(c, { userId: user.id, username: user.username, action: before ? 'zone_update' : 'zone_create', entity: 'zone', entityId: body.code, before, after: body, ip });
    return { id: rows[0].id as number, code: rows[0].code as string, created: !before };
  });
}

/** Deletes a zone in the supervisor's jurisdiction; unknown and not-yours get the same 404. */
export async function deleteZone(pool: pg.Pool, user: SessionUser, code: string, ip: string): Promise<{ id: number; code: string }> {
  return withTransaction(pool, async (c) => {
    const stored = (await c.query('SELECT id, code, kind, district, area_code, ST_AsGeoJSON(area)::json AS area FROM zones WHERE code = $1 FOR UPDATE', [code])).rows[0];
    if (!stored || !(await mayAdminister(c, user, stored.district))) throw notFound(`no zone ${code} in your jurisdiction`);
    await c.query('DELETE FROM zones WHERE id = $1', [stored.id]);
    await audit(c, {
      userId: user.id,
      username: user.username,
      action: 'zone_delete',
      entity: 'zone',
      entityId: code,
      before: { code: stored.code, kind: stored.kind, district: stored.district, areaCode: stored.area_code, area: stored.area },
      after: null,
      ip,
    });
    return { id: stored.id as number, code: stored.code as string };
  });
}
