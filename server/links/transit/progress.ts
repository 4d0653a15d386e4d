// A transit declaration's status, and the movement's with it: the one place both change.
//   declared → released → departed (origin gate out) → arrived (destination gate in) → written_off
//   declared | released → cancelled
// The transit link (declare, release, write off, cancel) and the gate link (departed, arrived) call
// advanceDeclaration(); each step is an event on the movement's timeline (`trn_<status>`), chained
// in the ledger, and the movement's status follows through MovementTx (audited there).
import type { ConsignmentStatus } from '@/lib/domain';
import { conflict } from '@/server/errors';
import { appendRowEntry } from '@/server/ledger/ledger';
import type { ApplyContext } from '../types';

export const DECLARATION_STATUSES = ['declared', 'released', 'departed', 'arrived', 'written_off', 'cancelled'] as const;
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

/** From each status, where a declaration may go. */
const NEXT: Record<DeclarationStatus, readonly DeclarationStatus[]> = {
  declared: ['released', 'cancelled'],
  released: ['departed', 'cancelled'],
  // A destination gate that never reported: the write-off still closes the movement.
  departed: ['arrived', 'written_off'],
  arrived: ['written_off'],
  written_off: [],
  cancelled: [],
};

/** The movement's status at each declaration status. */
export const MOVEMENT_STATUS_OF: Record<DeclarationStatus, ConsignmentStatus> = {
  declared: 'planned',
  released: 'planned',
  departed: 'in_transit',
  arrived: 'arrived',
  written_off: 'closed',
  cancelled: 'cancelled',
};

/** The flow's order (cancelled stands aside): a step to an earlier status is one already taken. */
const ORDER: Record<DeclarationStatus, number> = { declared: 0, released: 1, departed: 2, arrived: 3, written_off: 4, cancelled: -1 };

/** How far along a movement is: a declaration step never takes it to an earlier stage. */
const STAGE: Record<ConsignmentStatus, number> = { planned: 0, in_transit: 1, overdue: 1, diverted: 1, arrived: 2, closed: 3, cancelled: 3 };

export interface DeclarationStep {
  declarationId: number;
  preId: string;
  from: DeclarationStatus;
  to: DeclarationStatus;
}

/**
 * Moves the declaration of `consignmentId` to `to` at `time`. Null when the movement has no
 * declaration, or is there or past it already (a gate read twice, a late origin gate-out after the
 * arrival, a release receipt after departure). A step the flow does not allow is a conflict
 * (departed before release, anything after a cancel).
 */
export async function advanceDeclaration(
  ctx: ApplyContext,
  consignmentId: number,
  to: DeclarationStatus,
  time: number,
  detail: Record<string, unknown> = {},
): Promise<DeclarationStep | null> {
  const c = ctx.client;
  const d = (
    await c.query<{ id: number; pre_id: string; status: DeclarationStatus; asset_id: number; site: number }>(
      `SELECT t.id, t.pre_id, t.status, k.asset_id, CASE WHEN $2 IN ('arrived', 'written_off') THEN k.dest_site ELSE k.origin_site END AS site
       FROM transit_declarations t JOIN consignments k ON k.id = t.consignment_id WHERE t.consignment_id = $1 FOR UPDATE OF t`,
      [consignmentId, to],
    )
  ).rows[0];
  if (!d || d.status === to) return null;
  if (d.status !== 'cancelled' && to !== 'cancelled' && to !== 'declared' && ORDER[d.status] > ORDER[to]) return null;
  if (!NEXT[d.status].includes(to)) throw conflict(`declaration ${d.pre_id} is ${d.status}: it cannot become ${to}`);
  await c.query('UPDATE transit_declarations SET status = $2, message = $3, updated_at = now() WHERE id = $1', [d.id, to, ctx.messageRowId]);
  await appendRowEntry(c, 'transit_declaration', 'transit_declarations', d.id);
  // The movement may be further on already (the rules saw it depart or arrive): it never moves
  // back (a release after the truck left keeps it in transit). Ending it (closed, cancelled) is
  // always asked of MovementTx, which refuses to end an ended movement the other way.
  const movement = (await c.query<{ status: ConsignmentStatus }>('SELECT status FROM consignments WHERE id = $1', [consignmentId])).rows[0]!.status;
  const target = MOVEMENT_STATUS_OF[to];
  const behind = target !== 'closed' && target !== 'cancelled' && STAGE[target] <= STAGE[movement];
  if (!behind) await ctx.movements.setStatus(ctx.actor, consignmentId, target, { ...detail, time, declaration: d.pre_id, declarationStatus: to });
  const ev = await c.query<{ id: string }>(
    `INSERT INTO events (time, kind, site_id, asset_id, consignment_id, detail, source, link_message)
     VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [time, `trn_${to}`, d.site, d.asset_id, consignmentId, JSON.stringify({ declaration: d.pre_id, from: d.status, ...detail }), ctx.caller.source, ctx.messageRowId],
  );
  await appendRowEntry(c, 'event', 'events', ev.rows[0]!.id);
  return { declarationId: d.id, preId: d.pre_id, from: d.status, to };
}
