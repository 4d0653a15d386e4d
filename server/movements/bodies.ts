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
