// A movement's own history beyond its fixes and alerts: the officers' actions on it (edit, extend,
// hand over, close, cancel) as timeline entries, read from the audit log that the movement service
// writes them to; and its carriers' legs, which split its track at each hand-over.
import type { Queryable } from '../ledger/ledger';
import type { TimelineEntry } from '../../lib/journey';

/** The audit actions the console's timeline shows (the movement service writes them). */
export const LIFECYCLE_ACTIONS = ['consignment_edit', 'consignment_extend', 'consignment_handover', 'consignment_close', 'consignment_cancel'] as const;

type Json = Record<string, unknown> | null;
const carrier = (x: Json) => (x ? String(x.plate ?? x.label ?? x.asset ?? '') : null);
const fields = (x: Json) =>
  x
    ? Object.entries(x)
        .filter(([k]) => k !== 'reason')
        .map(([k, v]) => `${k}: ${v ?? '—'}`)
        .join('; ')
    : null;

/** The officers' actions on a movement, oldest first (the caller has checked the user may see it). */
export async function movementActions(db: Queryable, consignmentId: number): Promise<TimelineEntry[]> {
  const { rows } = await db.query(
    `SELECT extract(epoch FROM time) * 1000 AS time, action, username, before, after FROM audit_log
     WHERE entity = 'consignment' AND entity_id = $1 AND action = ANY ($2::text[]) ORDER BY id LIMIT 200`,
    [String(consignmentId), LIFECYCLE_ACTIONS],
  );
  return rows.map((r): TimelineEntry => {
    const before = r.before as Json;
    const after = r.after as Json;
    const e: TimelineEntry = { time: Number(r.time), kind: 'action', code: r.action, by: r.username, reason: typeof after?.reason === 'string' ? after.reason : null };
    if (r.action === 'consignment_extend') Object.assign(e, { from: before?.deadline ?? null, to: after?.deadline ?? null });
    else if (r.action === 'consignment_handover') Object.assign(e, { from: carrier(before), to: carrier(after) });
    else if (r.action === 'consignment_edit') Object.assign(e, { from: fields(before), to: fields(after) });
    return e;
  });
}

/** One carrier's part of a movement: its fixes from `from` to `to` (ms; ±Infinity: open). */
export interface Leg {
  assetId: number;
  from: number;
  to: number;
}

/**
 * The carriers of a movement in order: each vehicle that handed it over, from the start of its leg
 * to the hand-over, then the carrier now from the last hand-over on. One leg when never handed over.
 */
export async function movementLegs(db: Queryable, consignmentId: number, currentAssetId: number): Promise<Leg[]> {
  const { rows } = await db.query(
    `SELECT from_asset AS "assetId", extract(epoch FROM leg_start) * 1000 AS "from", extract(epoch FROM time) * 1000 AS "to"
     FROM consignment_handovers WHERE consignment_id = $1 ORDER BY id`,
    [consignmentId],
  );
  const earlier: Leg[] = rows.map((r) => ({ assetId: r.assetId, from: Number(r.from), to: Number(r.to) }));
  return [...earlier, { assetId: currentAssetId, from: earlier.at(-1)?.to ?? -Infinity, to: Infinity }];
}
