// JT/T 809 frame codec (2011 and 2019 editions): escaping, CRC, header parse, the M1/IA1/IC1
// cipher and frame encoding. Pure functions, no I/O; nothing here throws on bad input bytes.
//
//   0x5B | header | body | CRC | 0x5D      CRC-16/CCITT-FALSE over header + body (unescaped)
//   inside the delimiters 0x5B → 5A 01, 0x5A → 5A 02, 0x5D → 5E 01, 0x5E → 5E 02
//
// Header (big-endian):
//   MSG_LENGTH u32 (the whole frame, both delimiters included, unescaped), MSG_SN u32, MSG_ID u16,
//   MSG_GNSSCENTERID u32 (the lower platform's access code), VERSION_FLAG 3 bytes, ENCRYPT_FLAG u8,
//   ENCRYPT_KEY u32                                                           22 bytes (2011)
//   + TIME u64, UTC seconds                                                   30 bytes (2019)
// The edition is not written in the frame: a connection learns it from its 0x1001 (46-byte body
// in 2011, 50 in 2019); alone, a frame is judged by whether bytes 22-29 read as a plausible time.

export const JT809_BEGIN = 0x5b;
export const JT809_END = 0x5d;
export type Jt809Edition = 2011 | 2019;

export const HEADER_BYTES: Record<Jt809Edition, number> = { 2011: 22, 2019: 30 };

export interface Jt809Header {
  length: number;
  sn: number;
  msgId: number;
  /** MSG_GNSSCENTERID: the lower platform's access code. */
  centerId: number;
  /** VERSION_FLAG as "1.0.0". */
  version: string;
  /** 0 plain, 1 body encrypted with the M1/IA1/IC1 cipher. */
  encrypt: number;
  key: number;
  /** 2019: the header's UTC time, ms. */
  time?: number;
  edition: Jt809Edition;
  headerLength: number;
}

export interface Jt809Frame {
  header: Jt809Header;
  /** The body as sent (still encrypted when header.encrypt is 1): a view inside the frame bytes. */
  body: Uint8Array;
}

export type FrameRejectReason = 'short' | 'checksum' | 'length' | 'encrypted';
export type ParsedFrame = { ok: true; frame: Jt809Frame } | { ok: false; reason: FrameRejectReason };

/** The cipher's parameters, per lower platform (JT/T 809 §5.2.3). */
export interface Jt809CipherKeys {
  m1: number;
  ia1: number;
  ic1: number;
}

// ------------------------------------------------------------------ CRC-16/CCITT-FALSE

const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) of bytes[start, end). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}

// ------------------------------------------------------------------ escaping

/** Escape the bytes that go between the delimiters. */
export function escapeBytes(raw: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x5b || b === 0x5a || b === 0x5d || b === 0x5e) extra++;
  }
  if (extra === 0) return raw;
  const out = new Uint8Array(raw.length + extra);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x5b || b === 0x5a) {
      out[o++] = 0x5a;
      out[o++] = b === 0x5b ? 0x01 : 0x02;
    } else if (b === 0x5d || b === 0x5e) {
      out[o++] = 0x5e;
      out[o++] = b === 0x5d ? 0x01 : 0x02;
    } else out[o++] = b;
  }
  return out;
}

/** Undo escaping; null on an invalid pair (0x5A or 0x5E not followed by 01/02) or a raw delimiter. */
export function unescapeBytes(escaped: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(escaped.length);
  let o = 0;
  for (let i = 0; i < escaped.length; i++) {
    const b = escaped[i]!;
    if (b === 0x5b || b === 0x5d) return null;
    if (b === 0x5a || b === 0x5e) {
      const n = escaped[++i];
      if (n === 0x01) out[o++] = b === 0x5a ? 0x5b : 0x5d;
      else if (n === 0x02) out[o++] = b;
      else return null;
    } else out[o++] = b;
  }
  return out.subarray(0, o);
}

// ------------------------------------------------------------------ cipher

/**
 * The standard's stream cipher (encrypting and decrypting are the same): for each byte,
 * key = IA1 × (key mod M1) + IC1 (32-bit unsigned), byte ^= (key >> 20) & 0xFF. A key of 0 is
 * taken as 1 and an M1 of 0 as 1, as the reference implementations do. Returns a new array.
 */
export function jt809Cipher(data: Uint8Array, key: number, keys: Jt809CipherKeys): Uint8Array {
  const out = new Uint8Array(data.length);
  let k = key >>> 0 || 1;
  const m1 = keys.m1 >>> 0 || 1;
  const ia1 = keys.ia1 >>> 0;
  const ic1 = keys.ic1 >>> 0;
  for (let i = 0; i < data.length; i++) {
    k = (Math.imul(ia1, k % m1) + ic1) >>> 0;
    out[i] = data[i]! ^ ((k >>> 20) & 0xff);
  }
  return out;
}

// ------------------------------------------------------------------ header

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
/** u64 seconds; NaN above 2^53. */
export function u64(b: Uint8Array, o: number): number {
  const hi = u32(b, o);
  return hi > 0x1fffff ? NaN : hi * 2 ** 32 + u32(b, o + 4);
}

/** Seconds 2010-01-01 .. 2100-01-01: what a 2019 header's TIME can plausibly hold. */
const TIME_MIN_S = 1_262_304_000;
const TIME_MAX_S = 4_102_444_800;

/**
 * The edition of unescaped frame content (header, body, CRC) seen alone: a login (0x1001) by its
 * body length, anything else by whether bytes 22-29 read as a time from 2010-2100 (a 2011 body
 * there starts with a plate, a count or a code, never with four zero bytes and a time).
 */
export function guessEdition(content: Uint8Array): Jt809Edition {
  const n = content.length;
  if (n >= 12 && u16(content, 8) === 0x1001) {
    if (n - 2 - 22 === 46) return 2011;
    if (n - 2 - 30 === 50) return 2019;
  }
  if (n < 32) return 2011;
  const t = u64(content, 22);
  return t >= TIME_MIN_S && t <= TIME_MAX_S ? 2019 : 2011;
}

/**
 * Parse unescaped frame content (everything between the delimiters, CRC last): CRC (unless the
 * framer verified it), header, MSG_LENGTH against the bytes received.
 */
export function parseFrame(content: Uint8Array, edition: Jt809Edition, crcVerified = false): ParsedFrame {
  const n = content.length;
  const hl = HEADER_BYTES[edition];
  if (n < hl + 2) return { ok: false, reason: 'short' };
  if (!crcVerified && crc16(content, 0, n - 2) !== u16(content, n - 2)) return { ok: false, reason: 'checksum' };
  const length = u32(content, 0);
  if (length !== n + 2) return { ok: false, reason: 'length' };
  const encrypt = content[17]!;
  if (encrypt > 1) return { ok: false, reason: 'encrypted' };
  const header: Jt809Header = {
    length,
    sn: u32(content, 4),
    msgId: u16(content, 8),
    centerId: u32(content, 10),
    version: `${content[14]}.${content[15]}.${content[16]}`,
    encrypt,
    key: u32(content, 18),
    edition,
    headerLength: hl,
  };
  if (edition === 2019) header.time = u64(content, 22) * 1000;
  return { ok: true, frame: { header, body: content.subarray(hl, n - 2) } };
}

/** A message to put on the wire (either direction). */
export interface Jt809OutMessage {
  msgId: number;
  sn: number;
  centerId: number;
  body?: Uint8Array;
  edition?: Jt809Edition;
  /** VERSION_FLAG bytes; default 1.0.0 (2011) or 1.2.15 (2019). */
  version?: [number, number, number];
  /** Encrypt the body with this key and these parameters (ENCRYPT_FLAG 1). */
  encrypt?: { key: number; keys: Jt809CipherKeys };
  /** ENCRYPT_KEY when not encrypting (some platforms send one anyway). */
  key?: number;
  /** 2019 header TIME, ms; default now. */
  time?: number;
}

const EMPTY = new Uint8Array(0);

/** Encode one complete frame: 0x5B, escaped header + body + CRC, 0x5D. */
export function encodeFrame(msg: Jt809OutMessage): Buffer {
  const edition = msg.edition ?? 2011;
  const hl = HEADER_BYTES[edition];
  const plain = msg.body ?? EMPTY;
  const body = msg.encrypt ? jt809Cipher(plain, msg.encrypt.key, msg.encrypt.keys) : plain;
  const raw = new Uint8Array(hl + body.length + 2);
  const dv = new DataView(raw.buffer);
  dv.setUint32(0, hl + body.length + 4);
  dv.setUint32(4, msg.sn >>> 0);
  dv.setUint16(8, msg.msgId);
  dv.setUint32(10, msg.centerId >>> 0);
  const v = msg.version ?? (edition === 2019 ? [1, 2, 15] : [1, 0, 0]);
  raw[14] = v[0];
  raw[15] = v[1];
  raw[16] = v[2];
  raw[17] = msg.encrypt ? 1 : 0;
  dv.setUint32(18, (msg.encrypt ? msg.encrypt.key : (msg.key ?? 0)) >>> 0);
  if (edition === 2019) {
    const s = Math.floor((msg.time ?? Date.now()) / 1000);
    dv.setUint32(22, Math.floor(s / 2 ** 32));
    dv.setUint32(26, s >>> 0);
  }
  raw.set(body, hl);
  dv.setUint16(hl + body.length, crc16(raw, 0, hl + body.length));
  const esc = escapeBytes(raw);
  const out = Buffer.allocUnsafe(esc.length + 2);
  out[0] = JT809_BEGIN;
  out.set(esc, 1);
  out[esc.length + 1] = JT809_END;
  return out;
}

/** `0x1202`-style name of a message id. */
export const msgIdHex = (id: number): string => `0x${id.toString(16).toUpperCase().padStart(4, '0')}`;
