// Numbers as they come from outside (a path segment, a query parameter), each with its range, so
// that an out-of-range value is refused with a reason before any query or Date sees it.
import { z } from 'zod';
import './zodBrowser';

export const INT4_MAX = 2_147_483_647;
export const ID_RULE = `a positive integer up to ${INT4_MAX}`;
const DIGITS = /^[1-9][0-9]{0,9}$/;

/**
 * A row id: a positive int4 (the range of the serial columns) in plain decimal digits.
 * `2147483648`, `1e3`, `0x10` and `007` are not ids. Undefined when `raw` is not one.
 */
export function idOrUndefined(raw: string): number | undefined {
  if (!DIGITS.test(raw)) return undefined;
  const n = Number(raw);
  return n <= INT4_MAX ? n : undefined;
}

/** An id as a query parameter inside a zod schema. */
export const IdParam = z
  .string()
  .regex(DIGITS, ID_RULE)
  .transform((raw, ctx) => {
    const id = idOrUndefined(raw);
    if (id === undefined) {
      ctx.addIssue({ code: 'custom', message: ID_RULE });
      return z.NEVER;
    }
    return id;
  });

/** Latest time a parameter may name: the end of year 9999, inside both JavaScript's Date and PostgreSQL's timestamptz. */
export const TIME_MS_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A time in ms since 1970 as a query parameter. */
export const TimeMsParam = z.coerce.number().int().positive().max(TIME_MS_MAX, 'a time in ms up to the year 9999');
