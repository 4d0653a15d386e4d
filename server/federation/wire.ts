// What travels on the federation link (README.md): a batch of a region's ledger entries in seq order,
// each with the records it chains. Values that a hash covers travel as the text the region's
// database gave (payload, row documents, times to the microsecond, reals), so the national node
// stores them byte for byte and recomputes the same hashes.
import { z } from 'zod';

export const BATCHES_PATH = '/api/federation/batches';
export const CURSOR_PATH = '/api/federation/cursor';

/** The tables whose rows travel with their entries: movements and alerts. */
export const FORWARDED_TABLES = ['consignments', 'alerts'] as const;

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, '32 bytes, lower-case hex');
const Iso = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, 'UTC time with microseconds');
const Real = z
  .string()
  .regex(/^-?(\d+(\.\d*)?(e[-+]?\d+)?|Infinity|NaN)$/i, 'a real as text')
  .nullable();

/** One stored position: asset, time, point (EWKB, hex), speed, course, heading, source, alarm. */
export const PositionTuple = z.tuple([z.number().int(), Iso, z.string().regex(/^[0-9a-f]{2,200}$/), Real, Real, Real, z.string().max(64), z.number().int().nullable()]);
export type PositionTuple = z.infer<typeof PositionTuple>;

export const WireEntry = z
  .object({
    seq: z.number().int().positive(),
    time: Iso,
    kind: z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/),
    /** The payload's text as the region's jsonb gave it. */
    payload: z.string().max(100_000),
    prevHash: Hex32,
    hash: Hex32,
    /** A 'positions' entry: its rows. */
    positions: z.array(PositionTuple).optional(),
    /** A row entry of a forwarded table: the row as chained (jsonb_strip_nulls(to_jsonb(row)) text), when this entry is the row's latest. */
    row: z.object({ table: z.enum(FORWARDED_TABLES), id: z.string().max(40), doc: z.string().max(1_000_000) }).optional(),
  })
  .strict();
export type WireEntry = z.infer<typeof WireEntry>;

export const WireBatch = z
  .object({
    /** The cursor the batch starts after: the last seq the national node said it stored. */
    after: z.number().int().min(0),
    /** The region's newest seq when it sent this (the national shows the lag). */
    head: z.number().int().min(0),
    entries: z.array(WireEntry).min(1).max(10_000),
  })
  .strict()
  .superRefine((b, ctx) => {
    let last = b.after;
    for (const [i, e] of b.entries.entries()) {
      if (e.seq <= last) ctx.addIssue({ code: 'custom', path: ['entries', i, 'seq'], message: `seq ${e.seq} is not after ${last} (entries go in seq order, after the cursor)` });
      last = e.seq;
    }
  });
export type WireBatch = z.infer<typeof WireBatch>;

/** The national node's answer to a batch or a cursor request. */
export interface CursorAnswer {
  region: string;
  cursor: number;
}
