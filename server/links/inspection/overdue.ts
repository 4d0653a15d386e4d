// INSPECTION_OVERDUE: a flagged movement that arrived (consignments.arrived_at) more than N minutes
// ago (LINKS_INSPECTION_MINUTES) and whose inspection has no result. One alert per task (episode
// INSPECTION_OVERDUE/<inspection id>), placed at the inspecting site, for the movement's districts;
// the result message clears it.
import type pg from 'pg';
import type { ExternalAlert } from '@/server/alerts/alertService';
import { overdueEpisode } from './task';

export async function overdueInspections(pool: pg.Pool, now: number, minutes: number): Promise<ExternalAlert[]> {
  const { rows } = await pool.query<{
    id: number;
    consignment_id: number;
    asset_id: number;
    reference: string;
    districts: string[];
    arrived_at: Date;
    flagged_at: Date;
    reason: string;
    site: string;
    lon: number;
    lat: number;
  }>(
    `SELECT i.id, i.consignment_id, k.asset_id, k.reference, k.districts, k.arrived_at, i.flagged_at, i.reason, s.code AS site,
            ST_X(ST_PointOnSurface(s.area)) AS lon, ST_Y(ST_PointOnSurface(s.area)) AS lat
     FROM inspections i JOIN consignments k ON k.id = i.consignment_id JOIN sites s ON s.id = i.site_id
     WHERE i.result IS NULL AND k.status <> 'cancelled' AND k.arrived_at IS NOT NULL
       AND k.arrived_at < to_timestamp($1 / 1000.0) - make_interval(mins => $2)
       AND NOT EXISTS (SELECT 1 FROM alerts al WHERE al.episode = 'INSPECTION_OVERDUE/' || i.id)
     ORDER BY i.id LIMIT 1000`,
    [now, minutes],
  );
  return rows.map((r) => ({
    type: 'INSPECTION_OVERDUE',
    assetId: r.asset_id,
    consignmentId: r.consignment_id,
    time: r.arrived_at.getTime() + minutes * 60_000,
    lon: r.lon,
    lat: r.lat,
    detail: { inspection: r.id, reference: r.reference, site: r.site, reason: r.reason, arrivedAt: r.arrived_at.toISOString(), flaggedAt: r.flagged_at.toISOString(), minutes },
    episode: overdueEpisode(r.id),
    districts: r.districts,
  }));
}
