// Seeds the demo world (districts, sites, routes with their corridors) into an empty database.
// Idempotent: a database that already has sites is left as it is. The districts of the customs tree
// (server/auth/districtSeed.ts) may already be there without an area: the demo gives them its polygons.
import type pg from 'pg';
import { WORLD } from './world';
import type { World } from './world/types';

export async function seedWorld(pool: pg.Pool, say: (msg: string) => void = () => {}, world: World = WORLD, opts: { bondedZones?: boolean } = {}): Promise<boolean> {
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM sites');
  if (rows[0].n > 0) return false;
  const t = Date.now();
  const client = await pool.connect();
  let zones = 0;
  try {
    await client.query('BEGIN');
    // Parents before children.
    const order = { hq: 0, direct: 1, office: 2 } as const;
    for (const d of [...world.districts].sort((a, b) => order[a.level] - order[b.level])) {
      await client.query(
        `INSERT INTO districts (code, name_zh, name_en, level, parent, area, approximate)
         VALUES ($1, $2, $3, $4, $5, ST_Multi(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($6), 4326))), $7)
         ON CONFLICT (code) DO UPDATE SET area = EXCLUDED.area, approximate = EXCLUDED.approximate WHERE districts.area IS NULL`,
        [d.code, d.nameZh, d.nameEn, d.level, d.parent, JSON.stringify(d.area), d.approximate],
      );
    }
    for (const s of world.sites) {
      await client.query(
        `INSERT INTO sites (code, name_zh, name_en, kind, district, area, approximate)
         VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_GeomFromGeoJSON($6), 4326), $7)`,
        [s.code, s.nameZh, s.nameEn, s.kind, s.district, JSON.stringify({ type: 'Polygon', coordinates: [s.area] }), s.approximate],
      );
    }
    for (const r of world.routes) {
      await client.query(
        `INSERT INTO routes (code, name_zh, name_en, from_site, to_site, corridor_m, path, corridor, approximate)
         SELECT $1, $2, $3, f.id, t.id, $6::float8, p.g, ST_Buffer(p.g::geography, $6::float8)::geometry, $8
         FROM sites f, sites t, (SELECT ST_SetSRID(ST_GeomFromGeoJSON($7), 4326) AS g) p
         WHERE f.code = $4 AND t.code = $5`,
        [r.code, r.nameZh, r.nameEn, r.from, r.to, r.corridorM, JSON.stringify({ type: 'LineString', coordinates: r.path }), r.approximate],
      );
    }
    // Each bonded zone site is also a 金关二期 bonded zone (its area code the site's code without the
    // dash): a vehicle crossing its fence needs a 核放单 (ZONE_UNAUTHORISED without one). The rules'
    // scenario library leaves them out: its scenarios place their own zones.
    const bonded = await client.query(
      `INSERT INTO zones (code, name_zh, name_en, kind, district, area_code, area)
       SELECT code || '-Z', name_zh, name_en, 'bonded', district, replace(code, '-', ''), area FROM sites WHERE kind = 'bonded_zone' AND $1::boolean`,
      [opts.bondedZones ?? true],
    );
    zones = bonded.rowCount ?? 0;
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  say(`Seeded the demo world: ${world.districts.length} districts, ${world.sites.length} sites, ${world.routes.length} routes, ${zones} bonded zones (${Date.now() - t} ms)`);
  return true;
}
