// JT/T 808 frame codec (2013 and 2019 editions): escaping, check code, BCD, header parse and frame
// encoding. Pure functions, no I/O; nothing here throws on bad input bytes.
//
//   0x7E | header | body | check | 0x7E     check = XOR of header + body (unescaped)
//   inside the delimiters 0x7E is sent as 0x7D 0x02 and 0x7D as 0x7D 0x01
//
// Header (all big-endian):
//   2013: msgId u16, props u16, phone BCD[6],  serial u16 [, total u16, index u16]   12 (+4) bytes
//   2019: msgId u16, props u16, version u8, phone BCD[10], serial u16 [, total, index] 17 (+4) bytes
//   props: bits 0-9 body length, 10-12 encryption (bit 10 = RSA), 13 sub-package, 14 version flag (2019)

export const JT808_FLAG = 0x7e;
export const JT808_ESCAPE = 0x7d;

export type Jt808Edition = 2013 | 2019;

/** Body length fits 10 bits. */
export const MAX_BODY_BYTES = 0x3ff;

export interface Jt808Header {
  msgId: number;
  /** Body length from the properties word. */
  bodyLength: number;
  /** Encryption bits 10-12 of the properties word (0 = none). */
  encryption: number;
  edition: Jt808Edition;
  /** The 2019 protocol version byte (1 for the first 2019 version); undefined for 2013. */
  protocolVersion?: number;
  /** Terminal phone number as the BCD digits sent: 12 digits (2013) or 20 digits (2019). */
  phone: string;
  serial: number;
  /** Present when the sub-package flag is set: total packets and this packet's 1-based index. */
  packet?: { total: number; index: number };
  headerLength: number;
}

export interface Jt808Frame {
  header: Jt808Header;
  /** A view of the body inside the unescaped frame bytes. */
  body: Uint8Array;
}

/** Reasons a frame is refused at this level; they become the `reason` label of the rejected counter. */
export type FrameRejectReason = 'short' | 'checksum' | 'length' | 'encrypted' | 'phone';

export type ParsedFrame = { ok: true; frame: Jt808Frame } | { ok: false; reason: FrameRejectReason };

/** XOR of bytes[start, end). */
export function xorCheck(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i]!;
  return x;
}

/** Escape the bytes that go between the two 0x7E delimiters. */
export function escapeBytes(raw: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i] === JT808_FLAG || raw[i] === JT808_ESCAPE) extra++;
  if (extra === 0) return raw;
  const out = new Uint8Array(raw.length + extra);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === JT808_FLAG) {
      out[o++] = JT808_ESCAPE;
      out[o++] = 0x02;
    } else if (b === JT808_ESCAPE) {
      out[o++] = JT808_ESCAPE;
      out[o++] = 0x01;
    } else out[o++] = b;
  }
  return out;
}

/**
 * Undo escaping of the bytes between the delimiters. Null when an escape is invalid (0x7D not
 * followed by 0x01 or 0x02) or a raw 0x7E appears (it cannot: it is the delimiter).
 */
export function unescapeBytes(escaped: Uint8Array): Uint8Array | null {
  if (escaped.indexOf(JT808_ESCAPE) < 0) return escaped.indexOf(JT808_FLAG) < 0 ? escaped : null;
  const out = new Uint8Array(escaped.length);
  let o = 0;
  for (let i = 0; i < escaped.length; i++) {
    const b = escaped[i]!;
    if (b === JT808_FLAG) return null;
    if (b === JT808_ESCAPE) {
      const n = escaped[++i];
      if (n === 0x01) out[o++] = JT808_ESCAPE;
      else if (n === 0x02) out[o++] = JT808_FLAG;
      else return null;
    } else out[o++] = b;
  }
  return out.subarray(0, o);
}

/** BCD digits of bytes[off, off+len), or null when a nibble is not 0-9. */
export function bcdDigits(bytes: Uint8Array, off: number, len: number): string | null {
  let s = '';
  for (let i = off; i < off + len; i++) {
    const b = bytes[i]!;
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || lo > 9) return null;
    s += String.fromCharCode(48 + hi, 48 + lo);
  }
  return s;
}

/** BCD bytes of a digit string, left-padded with zeros to `len` bytes. Throws on non-digits or overflow. */
export function digitsToBcd(digits: string, len: number): Uint8Array {
  const out = new Uint8Array(len);
  writeBcd(digits, out, 0, len);
  return out;
}

function writeBcd(digits: string, out: Uint8Array, off: number, len: number): void {
  const n = digits.length;
  if (n > len * 2) throw new Error(`${digits} does not fit ${len} BCD bytes`);
  const pad = len * 2 - n;
  for (let i = 0; i < len; i++) {
    const a = 2 * i - pad;
    const hi = a < 0 ? 0 : digits.charCodeAt(a) - 48;
    const lo = a + 1 < 0 ? 0 : digits.charCodeAt(a + 1) - 48;
    if (hi < 0 || hi > 9 || lo < 0 || lo > 9) throw new Error(`not a digit string: ${JSON.stringify(digits)}`);
    out[off + i] = (hi << 4) | lo;
  }
}

/**
 * Parse unescaped frame content (everything between the delimiters, check code last): check code
 * (unless the framer has verified it), header, and that the body length in the header matches.
 */
export function parseFrame(content: Uint8Array, checkCodeVerified = false): ParsedFrame {
  const n = content.length;
  if (n < 13) return { ok: false, reason: 'short' };
  if (!checkCodeVerified && xorCheck(content, 0, n - 1) !== content[n - 1]) return { ok: false, reason: 'checksum' };
  const msgId = (content[0]! << 8) | content[1]!;
  const props = (content[2]! << 8) | content[3]!;
  const bodyLength = props & 0x3ff;
  const encryption = (props >> 10) & 0x7;
  const sub = (props & 0x2000) !== 0;
  const v2019 = (props & 0x4000) !== 0;
  let off = 4;
  let protocolVersion: number | undefined;
  if (v2019) {
    if (n < 18) return { ok: false, reason: 'short' };
    protocolVersion = content[off++]!;
  }
  const phoneLen = v2019 ? 10 : 6;
  const phone = bcdDigits(content, off, phoneLen);
  off += phoneLen;
  const serial = (content[off]! << 8) | content[off + 1]!;
  off += 2;
  let packet: Jt808Header['packet'];
  if (sub) {
    if (off + 4 > n - 1) return { ok: false, reason: 'short' };
    packet = { total: (content[off]! << 8) | content[off + 1]!, index: (content[off + 2]! << 8) | content[off + 3]! };
    off += 4;
  }
  if (off + bodyLength !== n - 1) return { ok: false, reason: 'length' };
  if (encryption !== 0) return { ok: false, reason: 'encrypted' };
  if (phone === null) return { ok: false, reason: 'phone' };
  return {
    ok: true,
    frame: {
      header: { msgId, bodyLength, encryption, edition: v2019 ? 2019 : 2013, protocolVersion, phone, serial, packet, headerLength: off },
      body: content.subarray(off, off + bodyLength),
    },
  };
}

/** A message to put on the wire (either direction). */
export interface Jt808OutMessage {
  msgId: number;
  /** Terminal phone number digits; left-padded with zeros to 12 (2013) or 20 (2019) digits. */
  phone: string;
  serial: number;
  body?: Uint8Array;
  /** Default 2013. */
  edition?: Jt808Edition;
  /** 2019 protocol version byte, default 1. */
  protocolVersion?: number;
  /** Sub-package header fields (sets the sub-package flag). */
  packet?: { total: number; index: number };
  /** Encryption bits (only for building test frames; we never encrypt). */
  encryption?: number;
}

/** Encode one complete frame: 0x7E, escaped header + body + check code, 0x7E. Throws on a body over 1023 bytes. */
export function encodeFrame(msg: Jt808OutMessage): Buffer {
  const body = msg.body ?? EMPTY;
  if (body.length > MAX_BODY_BYTES) throw new Error(`JT/T 808 body of ${body.length} bytes exceeds ${MAX_BODY_BYTES}; split it into sub-packages`);
  const edition = msg.edition ?? 2013;
  const phoneLen = edition === 2019 ? 10 : 6;
  const headerLength = (edition === 2019 ? 17 : 12) + (msg.packet ? 4 : 0);
  const head = HEAD; // scratch: copied into `out` below, before anything else can run
  head[0] = (msg.msgId >> 8) & 0xff;
  head[1] = msg.msgId & 0xff;
  const props = body.length | (((msg.encryption ?? 0) & 0x7) << 10) | (msg.packet ? 0x2000 : 0) | (edition === 2019 ? 0x4000 : 0);
  head[2] = props >> 8;
  head[3] = props & 0xff;
  let h = 4;
  if (edition === 2019) head[h++] = (msg.protocolVersion ?? 1) & 0xff;
  writeBcd(msg.phone, head, h, phoneLen);
  h += phoneLen;
  head[h++] = (msg.serial >> 8) & 0xff;
  head[h++] = msg.serial & 0xff;
  if (msg.packet) {
    head[h++] = (msg.packet.total >> 8) & 0xff;
    head[h++] = msg.packet.total & 0xff;
    head[h++] = (msg.packet.index >> 8) & 0xff;
    head[h++] = msg.packet.index & 0xff;
  }
  // One pass: escape as we go (worst case every byte doubles), XOR of the unescaped bytes.
  const out = Buffer.allocUnsafe(2 + 2 * (headerLength + body.length + 1));
  let o = 0;
  let x = 0;
  out[o++] = JT808_FLAG;
  for (let i = 0; i < headerLength; i++) {
    const b = head[i]!;
    x ^= b;
    if (b === JT808_FLAG) {
      out[o++] = JT808_ESCAPE;
      out[o++] = 0x02;
    } else if (b === JT808_ESCAPE) {
      out[o++] = JT808_ESCAPE;
      out[o++] = 0x01;
    } else out[o++] = b;
  }
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    x ^= b;
    if (b === JT808_FLAG) {
      out[o++] = JT808_ESCAPE;
      out[o++] = 0x02;
    } else if (b === JT808_ESCAPE) {
      out[o++] = JT808_ESCAPE;
      out[o++] = 0x01;
    } else out[o++] = b;
  }
  if (x === JT808_FLAG) {
    out[o++] = JT808_ESCAPE;
    out[o++] = 0x02;
  } else if (x === JT808_ESCAPE) {
    out[o++] = JT808_ESCAPE;
    out[o++] = 0x01;
  } else out[o++] = x;
  out[o++] = JT808_FLAG;
  return out.subarray(0, o);
}

const EMPTY = new Uint8Array(0);
const HEAD = new Uint8Array(21);

/** `0x0200`-style name of a message id. */
export const msgIdHex = (id: number): string => `0x${id.toString(16).toUpperCase().padStart(4, '0')}`;

/** Parse a hex string (spaces, colons and a leading 0x allowed) to bytes; null when it is not hex. */
export function hexToBytes(hex: string): Buffer | null {
  const clean = hex.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null;
  return Buffer.from(clean, 'hex');
}
