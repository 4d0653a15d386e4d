// GET /api/port-calls: the port calls the user may see — of vessels it may see (visible_assets), or
// at a port or anchorage in its districts — newest first, each with the manifest it arrived.
import type pg from 'pg';
import { z } from 'zod';
import { IdParam, TimeMsParam } from '@/lib/params';

export const PortCallQuery = z.object({
  /** Calls not over before this (ms): still open, or departed at or after it. */
  since: TimeMsParam.optional(),
  /** Calls that began before this (ms). */
  until: TimeMsParam.optional(),
  asset: IdParam.optional(),
  place: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w.-]+$/, 'a site or zone code')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type PortCallQuery = z.infer<typeof PortCallQuery>;

export interface PortCallItem {
  id: number;
  assetId: number;
  vessel: string;
  mmsi: string | null;
  imo: string | null;
  place: string;
  placeName: string;
  kind: 'port' | 'anchorage';
  arrivedAt: string;
  departedAt: string | null;
  manifest: { id: number; voyage: string } | null;
}

export async function listPortCalls(pool: pg.Pool, userDistrict: string, q: PortCallQuery): Promise<{ portCalls: PortCallItem[] }> {
  const { rows } = await pool.query<{
    id: number;
    asset_id: number;
    vessel: string;
    mmsi: string | null;
    imo: string | null;
    place: string;
    place_name: string;
    kind: 'port' | 'anchorage';
    arrived_at: Date;
    departed_at: Date | null;
    manifest_id: number | null;
    voyage: string | null;
  }>(
    `SELECT p.id, p.asset_id, coalesce(a.label, a.key) AS vessel, a.mmsi, a.imo, p.place, coalesce(s.name_zh, z.name_zh, p.place) AS place_name, p.kind,
            p.arrived_at, p.departed_at, p.manifest_id, m.journey_id AS voyage
     FROM port_calls p
     JOIN assets a ON a.id = p.asset_id
     LEFT JOIN sites s ON s.id = p.site_id
     LEFT JOIN zones z ON z.id = p.zone_id
     LEFT JOIN manifests m ON m.id = p.manifest_id
     WHERE ((SELECT is_hq($1))
            OR p.asset_id IN (SELECT id FROM visible_assets($1))
            OR s.district = ANY (visible_districts($1))
            OR z.district = ANY (visible_districts($1)))
       AND ($2::float8 IS NULL OR coalesce(p.departed_at, 'infinity') >= to_timestamp($2 / 1000.0))
       AND ($3::float8 IS NULL OR p.arrived_at < to_timestamp($3 / 1000.0))
       AND ($4::int IS NULL OR p.asset_id = $4)
       AND ($5::text IS NULL OR p.place = $5)
     ORDER BY p.arrived_at DESC, p.id DESC LIMIT $6`,
    [userDistrict, q.since ?? null, q.until ?? null, q.asset ?? null, q.place ?? null, q.limit],
  );
  return {
    portCalls: rows.map((r) => ({
      id: r.id,
      assetId: r.asset_id,
      vessel: r.vessel,
      mmsi: r.mmsi,
      imo: r.imo,
      place: r.place,
      placeName: r.place_name,
      kind: r.kind,
      arrivedAt: r.arrived_at.toISOString(),
      departedAt: r.departed_at?.toISOString() ?? null,
      manifest: r.manifest_id === null ? null : { id: r.manifest_id, voyage: r.voyage ?? '' },
    })),
  };
}
