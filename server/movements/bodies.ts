// The bodies the movement endpoints take, validated at the edge.
import { z } from 'zod';

/** Text that PostgreSQL can store: a NUL would fail the query (a 500), so it is refused here (a 400). */
const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' });

export const ConsignmentBody = z
  .object({
    reference: text(4, 40),
    sealId: text(0, 32).optional(),
    asset: text(3, 64), // asset key, e.g. tel:013912345678 or mmsi:413000001
    route: text(1, 32), // route code
    departure: z.string().datetime({ offset: true }),
    deadline: z.string().datetime({ offset: true }),
    goods: text(0, 200).optional(),
    carrier: text(0, 200).optional(),
  })
  .refine((c) => Date.parse(c.deadline) > Date.parse(c.departure), { message: 'deadline must be after departure', path: ['deadline'] });
export type ConsignmentInput = z.infer<typeof ConsignmentBody>;

/** Closing or cancelling a movement: why, in a sentence (kept in the audit trail). */
export const EndMovementBody = z.object({ reason: text(1, 500) });

/**
 * Editing an open movement: what the declaration may correct without changing where it runs or
 * who sees it — the seal number, the goods and the carrier's name (an empty text clears it). The
 * route, the sites and the departure decide its districts and its rules, so they are not edited
 * here (cancel and register anew); the deadline and the vehicle have their own audited actions.
 */
export const EditMovementBody = z
  .object({
    sealId: text(0, 32).optional(),
    goods: text(0, 200).optional(),
    carrier: text(0, 200).optional(),
    reason: text(1, 500).optional(),
  })
  .strict()
  .refine((b) => b.sealId !== undefined || b.goods !== undefined || b.carrier !== undefined, { message: 'nothing to change: give sealId, goods or carrier' });
export type EditMovementInput = z.infer<typeof EditMovementBody>;

/** Extending the deadline: a later time and why (kept in the audit trail and on the timeline). */
export const ExtendDeadlineBody = z.object({ deadline: z.string().datetime({ offset: true }), reason: text(1, 500) });

/** Handing a movement over to another vehicle (trans-shipment): its asset key and why. */
export const HandOverBody = z.object({ asset: text(3, 64), reason: text(1, 500) });
