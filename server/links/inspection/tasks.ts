// The inspection task list (GET /api/inspections): tasks of the movements the user may see,
// optionally at one site, open, done or all, newest first.
import type pg from 'pg';

export const TASK_STATES = ['open', 'done', 'all'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface InspectionTask {
  id: number;
  consignmentId: number;
  reference: string;
  plate: string | null;
  site: string;
  siteName: string;
  flaggedAt: string;
  flaggedBy: string;
  reason: string;
  arrivedAt: string | null;
  result: string | null;
  resultAt: string | null;
  newSeal: string | null;
}

export const MAX_TASKS = 500;

export async function inspectionTasks(pool: pg.Pool, district: string, q: { site?: string; state: TaskState }): Promise<InspectionTask[]> {
  const { rows } = await pool.query<InspectionTask>(
    `SELECT i.id, i.consignment_id AS "consignmentId", k.reference, a.plate, s.code AS site, s.name_zh AS "siteName",
            i.flagged_at AS "flaggedAt", i.flagged_by AS "flaggedBy", i.reason, k.arrived_at AS "arrivedAt",
            i.result, i.result_at AS "resultAt", i.new_seal AS "newSeal"
     FROM inspections i JOIN visible_consignments($1) k ON k.id = i.consignment_id
     JOIN sites s ON s.id = i.site_id JOIN assets a ON a.id = k.asset_id
     WHERE ($2::text IS NULL OR s.code = $2)
       AND ($3 = 'all' OR ($3 = 'open' AND i.result IS NULL) OR ($3 = 'done' AND i.result IS NOT NULL))
     ORDER BY i.flagged_at DESC, i.id DESC LIMIT ${MAX_TASKS}`,
    [district, q.site ?? null, q.state],
  );
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return rows.map((r) => ({ ...r, flaggedAt: iso(r.flaggedAt)!, arrivedAt: iso(r.arrivedAt), resultAt: iso(r.resultAt) }));
}
