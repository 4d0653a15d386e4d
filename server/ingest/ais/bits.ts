// AIS payload armouring (ITU-R M.1371 / IEC 61162-1): each payload character carries six bits,
// '0'..'W' = 0..39 and '`'..'w' = 40..63; the sentence's fill bits pad the last character.
// Bits are unpacked one per byte into a scratch buffer: simple, fast enough for ~1M lines/s, and
// fragments with fill bits anywhere (not only the last) concatenate correctly.

/** Six-bit value of an armoured payload character, or -1 when it is not one. */
export function sixbit(code: number): number {
  if (code >= 48 && code <= 87) return code - 48;
  if (code >= 96 && code <= 119) return code - 56;
  return -1;
}

/** The AIS six-bit character set (ITU-R M.1371 table 47); index 0 ('@') ends a string. */
const SIXBIT_ASCII = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';

/** A message's bits: `bits[i]` is 0 or 1 for i < `length`. */
export class Bits {
  bits: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.bits = new Uint8Array(capacity);
  }

  reset(): void {
    this.length = 0;
  }

  /**
   * Appends an armoured payload with `fill` padding bits at its end. Returns false (and appends
   * nothing) when a character is not a payload character or the fill is larger than the payload.
   */
  append(payload: string, fill: number): boolean {
    const n = payload.length * 6 - fill;
    if (fill < 0 || fill > 5 || n < 0) return false;
    const start = this.length;
    if (start + payload.length * 6 > this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, start + payload.length * 6));
      grown.set(this.bits.subarray(0, start));
      this.bits = grown;
    }
    const b = this.bits;
    let p = start;
    for (let i = 0; i < payload.length; i++) {
      const v = sixbit(payload.charCodeAt(i));
      if (v < 0) return false;
      b[p] = (v >> 5) & 1;
      b[p + 1] = (v >> 4) & 1;
      b[p + 2] = (v >> 3) & 1;
      b[p + 3] = (v >> 2) & 1;
      b[p + 4] = (v >> 1) & 1;
      b[p + 5] = v & 1;
      p += 6;
    }
    this.length = start + n;
    return true;
  }

  /** Unsigned field of `len` bits (≤ 32) at `start`; bits past the end read as 0. */
  u(start: number, len: number): number {
    const b = this.bits;
    const end = Math.min(start + len, this.length);
    let v = 0;
    let i = start;
    for (; i < end; i++) v = v * 2 + b[i]!;
    for (; i < start + len; i++) v *= 2;
    return v;
  }

  /** Two's-complement signed field of `len` bits at `start`. */
  s(start: number, len: number): number {
    const v = this.u(start, len);
    const half = 2 ** (len - 1);
    return v >= half ? v - 2 * half : v;
  }

  /** One bit as a boolean. */
  flag(start: number): boolean {
    return start < this.length && this.bits[start] === 1;
  }

  /**
   * Up to `count` six-bit characters from `start`, stopping at the first '@' (padding) or the
   * end of the message; trailing spaces are trimmed unless `trim` is false.
   */
  text(start: number, count: number, trim = true): string {
    let out = '';
    for (let i = 0; i < count; i++) {
      const at = start + i * 6;
      if (at + 6 > this.length) break;
      const v = this.u(at, 6);
      if (v === 0) break;
      out += SIXBIT_ASCII[v];
    }
    return trim ? trimRight(out) : out;
  }
}

/** Trims trailing spaces and '@' padding. */
export function trimRight(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 64) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

/** Encodes bits (0/1 values) as an armoured payload and its fill-bit count: the test suites' encoder. */
export function armour(bits: ArrayLike<number>): { payload: string; fill: number } {
  const fill = (6 - (bits.length % 6)) % 6;
  let payload = '';
  for (let i = 0; i < bits.length + fill; i += 6) {
    let v = 0;
    for (let j = 0; j < 6; j++) v = v * 2 + (i + j < bits.length ? bits[i + j]! & 1 : 0);
    payload += String.fromCharCode(v < 40 ? v + 48 : v + 56);
  }
  return { payload, fill };
}
