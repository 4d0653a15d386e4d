// Loads the fences from PostGIS (geometry as GeoJSON) into a GeofenceIndex, and refreshes one
// route, site or zone after it is saved or deleted. Zones (restricted, anchorage, bonded) come from
// a `zones` table when the database has one; otherwise they are given through GeofenceIndex.upsertZone only.
import type pg from 'pg';
import { GeofenceIndex, type ZoneKind } from './index';

const ROUTES_SQL = `SELECT id, code, corridor_m::float8 AS "corridorM", ST_AsGeoJSON(path) AS path FROM routes`;
const SITES_SQL = `SELECT id, code, kind, district, ST_AsGeoJSON(area) AS area FROM sites`;

interface RouteRow {
  id: number;
  code: string;
  corridorM: number;
  path: string;
}
interface SiteRow {
  id: number;
  code: string;
  kind: string;
  district: string | null;
  area: string;
}
interface ZoneRow {
  id: number;
  code: string;
  name: string;
  kind: string | null;
  area: string;
}

export interface LoadResult {
  index: GeofenceIndex;
  routes: number;
  sites: number;
  zones: number;
  /** Rows whose geometry the index refused, with the reason (they are left out, the rest load). */
  skipped: { table: string; id: number; reason: string }[];
}

/** Reads every route, site (and zone, if there is a zones table) into `index` (a new one by default). */
export async function loadGeofences(pool: pg.Pool | pg.ClientBase, index = new GeofenceIndex()): Promise<LoadResult> {
  const skipped: LoadResult['skipped'] = [];
  const { rows: routes } = await pool.query<RouteRow>(ROUTES_SQL);
  for (const r of routes) {
    try {
      index.upsertRoute({ id: r.id, code: r.code, corridorM: r.corridorM, path: JSON.parse(r.path) });
    } catch (err) {
      skipped.push({ table: 'routes', id: r.id, reason: (err as Error).message });
    }
  }
  const { rows: sites } = await pool.query<SiteRow>(SITES_SQL);
  for (const s of sites) {
    try {
      index.upsertSite({ id: s.id, code: s.code, kind: s.kind, district: s.district, area: JSON.parse(s.area) });
    } catch (err) {
      skipped.push({ table: 'sites', id: s.id, reason: (err as Error).message });
    }
  }
  let zones = 0;
  const stored = await readZones(pool);
  // A reload into a live index (after an edit) drops the zones the table no longer holds (deleted).
  if (stored.length || (await hasZonesTable(pool))) {
    const keep = new Set(stored.map((z) => z.id));
    for (const z of [...index.allZones()]) if (!keep.has(z.id)) index.removeZone(z.id);
  }
  for (const z of stored) {
    try {
      index.upsertZone({ id: z.id, code: z.code, name: z.name, kind: zoneKind(z.kind), area: JSON.parse(z.area) });
      zones++;
    } catch (err) {
      skipped.push({ table: 'zones', id: z.id, reason: (err as Error).message });
    }
  }
  return { index, routes: routes.length, sites: sites.length, zones, skipped };
}

/** Re-reads one route after it was saved (or removes it from the index if it is gone). */
export async function refreshRoute(pool: pg.Pool | pg.ClientBase, index: GeofenceIndex, id: number): Promise<boolean> {
  const { rows } = await pool.query<RouteRow>(`${ROUTES_SQL} WHERE id = $1`, [id]);
  const r = rows[0];
  if (!r) return (index.removeRoute(id), false);
  index.upsertRoute({ id: r.id, code: r.code, corridorM: r.corridorM, path: JSON.parse(r.path) });
  return true;
}

/** Re-reads one site after it was saved (or removes it from the index if it is gone). */
export async function refreshSite(pool: pg.Pool | pg.ClientBase, index: GeofenceIndex, id: number): Promise<boolean> {
  const { rows } = await pool.query<SiteRow>(`${SITES_SQL} WHERE id = $1`, [id]);
  const s = rows[0];
  if (!s) return (index.removeSite(id), false);
  index.upsertSite({ id: s.id, code: s.code, kind: s.kind, district: s.district, area: JSON.parse(s.area) });
  return true;
}

/** Re-reads one zone (when the database has a zones table), or removes it from the index if it is gone. */
export async function refreshZone(pool: pg.Pool | pg.ClientBase, index: GeofenceIndex, id: number): Promise<boolean> {
  const z = (await readZones(pool, id))[0];
  if (!z) return (index.removeZone(id), false);
  index.upsertZone({ id: z.id, code: z.code, name: z.name, kind: zoneKind(z.kind), area: JSON.parse(z.area) });
  return true;
}

const ZONE_COLUMNS_SQL = `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass('zones') AND attnum > 0 AND NOT attisdropped`;

async function hasZonesTable(pool: pg.Pool | pg.ClientBase): Promise<boolean> {
  return (await pool.query(ZONE_COLUMNS_SQL)).rows.length > 0;
}

async function readZones(pool: pg.Pool | pg.ClientBase, id?: number): Promise<ZoneRow[]> {
  const { rows: cols } = await pool.query<{ name: string }>(ZONE_COLUMNS_SQL);
  if (cols.length === 0) return [];
  const has = new Set(cols.map((c) => c.name));
  const name = has.has('name_zh') ? 'name_zh' : has.has('name') ? 'name' : 'code';
  const kind = has.has('kind') ? 'kind' : 'NULL::text';
  const { rows } = await pool.query<ZoneRow>(
    `SELECT id, code, ${name} AS name, ${kind} AS kind, ST_AsGeoJSON(area) AS area FROM zones${id === undefined ? '' : ' WHERE id = $1'}`,
    id === undefined ? [] : [id],
  );
  return rows;
}

const zoneKind = (k: string | null): ZoneKind => (k === 'anchorage' || k === 'bonded' ? k : 'restricted');
