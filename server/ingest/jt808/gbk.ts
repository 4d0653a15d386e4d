// GBK text for JT/T 808 string fields (plates such as 沪A12345). Decoding uses Node's full-ICU
// TextDecoder; Node has no GBK encoder, so the encoder (used only to build terminal frames for
// tests, the simulator and replays) inverts the decoder once, lazily.

let decoder: TextDecoder | undefined;

/** Decode GBK bytes, dropping trailing NUL and space padding. Never throws. */
export function decodeGbk(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
  if (end === 0) return '';
  let ascii = true;
  for (let i = 0; i < end; i++)
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) return String.fromCharCode(...bytes.subarray(0, end)).replace(/\0/g, '');
  decoder ??= new TextDecoder('gbk');
  return decoder.decode(bytes.subarray(0, end)).replace(/\0/g, '');
}

let table: Map<string, number> | undefined;

function gbkTable(): Map<string, number> {
  if (table) return table;
  const d = new TextDecoder('gbk', { fatal: true });
  const t = new Map<string, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    pair[0] = lead;
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[1] = trail;
      try {
        const ch = d.decode(pair);
        if (ch.length >= 1 && !t.has(ch)) t.set(ch, (lead << 8) | trail);
      } catch {
        /* not a GBK code */
      }
    }
  }
  table = t;
  return t;
}

/** Encode a string as GBK. Characters GBK lacks become '?'. */
export function encodeGbk(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    const code = gbkTable().get(ch);
    if (code === undefined) out.push(0x3f);
    else out.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(out);
}
