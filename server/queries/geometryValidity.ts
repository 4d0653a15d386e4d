// PostGIS' own verdict on a geometry before it is stored: null when valid, else ST_IsValidReason
// (e.g. "Hole lies outside shell[1 1]"). For callers that want the reason, not just the CHECK
// constraint's refusal (sites_area_valid); GEOS runs it in the database, off the event loop.
import type pg from 'pg';

export async function invalidGeometryReason(c: pg.ClientBase | pg.Pool, geojson: unknown): Promise<string | null> {
  const { rows } = await c.query(
    `SELECT CASE WHEN NOT ST_IsValid(g) THEN ST_IsValidReason(g)
                 WHEN ST_Dimension(g) = 2 AND ST_Area(g) = 0 THEN 'no area' END AS reason
     FROM (SELECT ST_GeomFromGeoJSON($1) AS g) s`,
    [JSON.stringify(geojson)],
  );
  return rows[0].reason ?? null;
}
