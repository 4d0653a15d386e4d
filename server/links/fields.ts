// zod pieces the link schemas share. XML gives every value as a string and JSON may give numbers;
// a repeating element may come once (an object) or many times (an array) in JSON. Customs times
// are Beijing time without an offset (yyyyMMddHHmmss[SSS]), or ISO 8601 in JSON.
import { z } from 'zod';

const NUL = /\u0000/;

/** Text of 1…max characters (no NUL: PostgreSQL would refuse it). */
export const text = (max: number) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .pipe(
      z
        .string()
        .min(1)
        .max(max)
        .refine((s) => !NUL.test(s), { message: 'must not contain NUL characters' }),
    );

/** Optional text: absent or empty is undefined. */
export const optText = (max: number) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((v) => (v === undefined || String(v).trim() === '' ? undefined : String(v).trim()))
    .pipe(
      z
        .string()
        .max(max)
        .refine((s) => !NUL.test(s), { message: 'must not contain NUL characters' })
        .optional(),
    );

/** A decimal number, from a string or a number. */
export const decimal = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? v : Number(String(v).trim())))
  .pipe(z.number().finite());

/** An element's text, whether it came bare or with attributes (`{ '#text', '@Attr' }`). */
export const textOf = (max: number) =>
  z.union([
    text(max),
    z
      .object({ '#text': text(max) })
      .passthrough()
      .transform((o) => o['#text']),
  ]);

/** One or many: JSON may give a repeating element once, as an object. */
export const many = <T extends z.ZodType>(item: T) => z.union([z.array(item), item.transform((v) => [v])]).transform((v) => v as z.output<T>[]);

const BEIJING = '+08:00';

/** yyyyMMddHHmmss with optional SSS (Beijing time), or ISO 8601 with an offset → ms since epoch. */
export function parseCustomsTime(v: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})?$/.exec(v);
  if (m) {
    const t = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7] ?? '000'}${BEIJING}`);
    return Number.isNaN(t) ? null : t;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

export const customsTime = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const t = parseCustomsTime(String(v).trim());
  if (t === null) {
    ctx.addIssue({ code: 'custom', message: 'a time as yyyyMMddHHmmss[SSS] (Beijing) or ISO 8601 with an offset' });
    return z.NEVER;
  }
  return t;
});

/** Formats ms as yyyyMMddHHmmssSSS in Beijing time (what replies and demo messages carry). */
export function customsTimeString(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}`;
}
