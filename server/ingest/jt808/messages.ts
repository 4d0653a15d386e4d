// JT/T 808 message bodies: decoders for what terminals send (registration, authentication,
// location report, batch upload) and encoders for both directions (server replies; terminal
// messages for tests, the simulator and replays). Decoders never throw: a body too short or
// malformed gives null (or a `problem` on a location).
import { STATUS_POSITIONED, STATUS_SOUTH, STATUS_WEST } from './alarms';
import type { Jt808Edition } from './codec';
import { decodeGbk, encodeGbk } from './gbk';

export const MSG = {
  TERMINAL_RESPONSE: 0x0001,
  HEARTBEAT: 0x0002,
  LOGOUT: 0x0003,
  REGISTER: 0x0100,
  AUTH: 0x0102,
  LOCATION: 0x0200,
  LOCATION_BATCH: 0x0704,
  SERVER_RESPONSE: 0x8001,
  REGISTER_RESPONSE: 0x8100,
} as const;

export const MSG_NAMES: Readonly<Record<number, string>> = {
  0x0001: 'terminal_response',
  0x0002: 'heartbeat',
  0x0003: 'logout',
  0x0100: 'register',
  0x0102: 'auth',
  0x0200: 'location',
  0x0704: 'location_batch',
  0x8001: 'server_response',
  0x8100: 'register_response',
};

/** 0x8001 result codes. */
export const RESULT = { OK: 0, FAILURE: 1, BAD_MESSAGE: 2, NOT_SUPPORTED: 3, ALARM_ACK: 4 } as const;
export const RESULT_NAMES = ['ok', 'failure', 'bad_message', 'not_supported', 'alarm_ack'] as const;
/** 0x8100 result codes. */
export const REGISTER_RESULT_NAMES = ['ok', 'vehicle_already_registered', 'no_such_vehicle', 'terminal_already_registered', 'no_such_terminal'] as const;

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** ASCII field, NUL/space padding dropped; non-printable bytes make it a hex string. */
function ascii(b: Uint8Array, off: number, len: number): string {
  let end = off + len;
  while (end > off && (b[end - 1] === 0 || b[end - 1] === 0x20)) end--;
  let start = off;
  while (start < end && b[start] === 0) start++;
  for (let i = start; i < end; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return hex(b.subarray(off, off + len));
  return String.fromCharCode(...b.subarray(start, end));
}

// ---------------------------------------------------------------- location (0x0200)

/** Additional information items (附加信息) we name; anything else stays as hex under `raw`. */
export interface Jt808Extras {
  mileageKm?: number; //                0x01 DWORD, 1/10 km
  fuelL?: number; //                    0x02 WORD, 1/10 L
  recorderSpeedKmh?: number; //         0x03 WORD, 1/10 km/h (tachograph speed)
  alarmEventId?: number; //             0x04 WORD, alarm needing manual confirmation
  overspeed?: { locationType: number; areaId?: number }; //                       0x11
  areaRoute?: { locationType: number; areaId: number; direction: 'in' | 'out' }; // 0x12
  routeTime?: { routeId: number; travelTimeS: number; result: 'short' | 'long' }; //  0x13
  vehicleSignal?: number; //            0x25 DWORD extended vehicle signal status bits
  ioStatus?: number; //                 0x2A WORD
  analog?: { ad0: number; ad1: number }; // 0x2B DWORD: AD0 bits 0-15, AD1 bits 16-31
  signalStrength?: number; //           0x30 BYTE
  satellites?: number; //               0x31 BYTE
  /** Items we do not name (or whose length did not fit the standard), id `0xNN` → hex. */
  raw?: Record<string, string>;
  /** An item's length ran past the end of the body; decoding stopped there. */
  truncated?: true;
}

export interface Jt808Location {
  alarm: number; // u32 alarm flags
  status: number; // u32 status bits
  /** Degrees, negative south (status bit 2). */
  lat: number;
  /** Degrees, negative west (status bit 3). */
  lon: number;
  /** Metres (read signed: below sea level exists, e.g. Turpan). */
  altitude: number;
  /** km/h. */
  speed: number;
  /** Degrees from north, 0-359. */
  course: number;
  /** UTC ms; NaN when the BCD time is not a valid date. */
  time: number;
  positioned: boolean;
  extras?: Jt808Extras;
  /** Why this fix cannot be used as a position: 'time', 'coordinates', 'speed'. */
  problem?: 'time' | 'coordinates' | 'speed';
}

export const LOCATION_BASE_BYTES = 28;
const GMT8_MS = 8 * 3600_000;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function bcd2(b: number): number {
  const hi = b >> 4;
  const lo = b & 15;
  return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
}

/** BCD YYMMDDhhmmss in GMT+8 → UTC ms, or NaN. */
export function decodeBcdTime(b: Uint8Array, o: number): number {
  const y = bcd2(b[o]!);
  const mo = bcd2(b[o + 1]!);
  const d = bcd2(b[o + 2]!);
  const h = bcd2(b[o + 3]!);
  const mi = bcd2(b[o + 4]!);
  const s = bcd2(b[o + 5]!);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > DAYS[mo - 1]! || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return NaN;
  if (mo === 2 && d === 29 && y % 4 !== 0) return NaN;
  return Date.UTC(2000 + y, mo - 1, d, h, mi, s) - GMT8_MS;
}

/** UTC ms → 6 BCD bytes YYMMDDhhmmss in GMT+8 (years 2000-2099). */
export function encodeBcdTime(ms: number): Uint8Array {
  const t = new Date(Math.floor(ms / 1000) * 1000 + GMT8_MS);
  const parts = [t.getUTCFullYear() % 100, t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  return Uint8Array.from(parts.map((v) => (Math.floor(v / 10) << 4) | (v % 10)));
}

/**
 * Decode a location body (0x0200, or one item of 0x0704) in b[off, end). Null when shorter than the
 * 28-byte basic information. `withExtras` also decodes the additional items (not needed for a
 * PositionReport, so the hot path skips them).
 */
export function decodeLocation(b: Uint8Array, off: number, end: number, withExtras: boolean): Jt808Location | null {
  if (end - off < LOCATION_BASE_BYTES || end > b.length) return null;
  const alarm = u32(b, off);
  const status = u32(b, off + 4);
  const latRaw = u32(b, off + 8);
  const lonRaw = u32(b, off + 12);
  let altitude = u16(b, off + 16);
  if (altitude >= 0x8000) altitude -= 0x10000;
  const speed = u16(b, off + 18) / 10;
  const course = u16(b, off + 20);
  const time = decodeBcdTime(b, off + 22);
  const lat = (status & STATUS_SOUTH ? -latRaw : latRaw) / 1e6;
  const lon = (status & STATUS_WEST ? -lonRaw : lonRaw) / 1e6;
  const loc: Jt808Location = { alarm, status, lat, lon, altitude, speed, course, time, positioned: (status & STATUS_POSITIONED) !== 0 };
  if (Number.isNaN(time)) loc.problem = 'time';
  else if (latRaw > 90_000_000 || lonRaw > 180_000_000) loc.problem = 'coordinates';
  else if (speed >= 2000) loc.problem = 'speed';
  if (withExtras && end > off + LOCATION_BASE_BYTES) loc.extras = decodeExtras(b, off + LOCATION_BASE_BYTES, end);
  return loc;
}

function decodeExtras(b: Uint8Array, off: number, end: number): Jt808Extras {
  const x: Jt808Extras = {};
  const raw = (id: number, o: number, len: number) => {
    (x.raw ??= {})[`0x${id.toString(16).toUpperCase().padStart(2, '0')}`] = hex(b.subarray(o, o + len));
  };
  let o = off;
  while (o + 2 <= end) {
    const id = b[o]!;
    const len = b[o + 1]!;
    o += 2;
    if (o + len > end) {
      x.truncated = true;
      raw(id, o, end - o);
      break;
    }
    switch (id) {
      case 0x01:
        if (len === 4) x.mileageKm = u32(b, o) / 10;
        else raw(id, o, len);
        break;
      case 0x02:
        if (len === 2) x.fuelL = u16(b, o) / 10;
        else raw(id, o, len);
        break;
      case 0x03:
        if (len === 2) x.recorderSpeedKmh = u16(b, o) / 10;
        else raw(id, o, len);
        break;
      case 0x04:
        if (len === 2) x.alarmEventId = u16(b, o);
        else raw(id, o, len);
        break;
      case 0x11:
        if (len === 1) x.overspeed = { locationType: b[o]! };
        else if (len === 5) x.overspeed = { locationType: b[o]!, areaId: u32(b, o + 1) };
        else raw(id, o, len);
        break;
      case 0x12:
        if (len === 6) x.areaRoute = { locationType: b[o]!, areaId: u32(b, o + 1), direction: b[o + 5] === 0 ? 'in' : 'out' };
        else raw(id, o, len);
        break;
      case 0x13:
        if (len === 7) x.routeTime = { routeId: u32(b, o), travelTimeS: u16(b, o + 4), result: b[o + 6] === 0 ? 'short' : 'long' };
        else raw(id, o, len);
        break;
      case 0x25:
        if (len === 4) x.vehicleSignal = u32(b, o);
        else raw(id, o, len);
        break;
      case 0x2a:
        if (len === 2) x.ioStatus = u16(b, o);
        else raw(id, o, len);
        break;
      case 0x2b:
        if (len === 4) x.analog = { ad0: u16(b, o + 2), ad1: u16(b, o) };
        else raw(id, o, len);
        break;
      case 0x30:
        if (len === 1) x.signalStrength = b[o]!;
        else raw(id, o, len);
        break;
      case 0x31:
        if (len === 1) x.satellites = b[o]!;
        else raw(id, o, len);
        break;
      default:
        raw(id, o, len);
    }
    o += len;
  }
  if (o < end && !x.truncated) {
    x.truncated = true;
    (x.raw ??= {}).trailing = hex(b.subarray(o, end));
  }
  return x;
}

export interface Jt808Batch {
  /** 0 normal batch, 1 blind-area supplement (盲区补报). */
  type: number;
  /** Items in order; null where an item is shorter than a location body. */
  locations: (Jt808Location | null)[];
  /** The declared count did not match the items present. */
  countMismatch?: { declared: number; found: number };
}

/** 0x0704 body: count u16, type u8, then count × (length u16, location body). Null when the header is short. */
export function decodeBatch(b: Uint8Array, withExtras: boolean): Jt808Batch | null {
  if (b.length < 3) return null;
  const declared = u16(b, 0);
  const type = b[2]!;
  const locations: (Jt808Location | null)[] = [];
  let o = 3;
  while (o + 2 <= b.length && locations.length < declared) {
    const len = u16(b, o);
    o += 2;
    if (o + len > b.length) {
      locations.push(null);
      o = b.length;
      break;
    }
    locations.push(decodeLocation(b, o, o + len, withExtras));
    o += len;
  }
  const batch: Jt808Batch = { type, locations };
  if (locations.length !== declared || o !== b.length) batch.countMismatch = { declared, found: locations.length };
  return batch;
}

// ---------------------------------------------------------------- registration (0x0100)

export interface Jt808Registration {
  province: number;
  city: number;
  maker: string;
  model: string;
  terminalId: string;
  /** 0 = not registered (2019: then `plate` holds the VIN), 1 blue, 2 yellow, 3 black, 4 white, 9 other. */
  plateColor: number;
  plate: string;
  /** Field widths used: 2011 (model 8 bytes), 2013 (maker 5, model 20, id 7), 2019 (11, 30, 30). */
  layout: '2011' | '2013' | '2019';
}

const REG_LAYOUTS = { '2011': [5, 8, 7], '2013': [5, 20, 7], '2019': [11, 30, 30] } as const;

/**
 * 0x0100 body. 2019 frames use the 2019 widths. A 2013-header body shorter than the 2013 fixed
 * part (37 bytes) is read with the 2011 widths (model 8 bytes), as such terminals still exist.
 */
export function decodeRegistration(b: Uint8Array, edition: Jt808Edition): Jt808Registration | null {
  const layout: Jt808Registration['layout'] = edition === 2019 ? '2019' : b.length >= 37 ? '2013' : '2011';
  const [makerLen, modelLen, idLen] = REG_LAYOUTS[layout];
  const fixed = 4 + makerLen + modelLen + idLen + 1;
  if (b.length < fixed) return null;
  let o = 4;
  const maker = ascii(b, o, makerLen);
  o += makerLen;
  const model = ascii(b, o, modelLen);
  o += modelLen;
  const terminalId = ascii(b, o, idLen);
  o += idLen;
  const plateColor = b[o++]!;
  return { province: u16(b, 0), city: u16(b, 2), maker, model, terminalId, plateColor, plate: decodeGbk(b.subarray(o)), layout };
}

export interface Jt808RegistrationInput {
  province?: number;
  city?: number;
  maker?: string;
  model?: string;
  terminalId?: string;
  plateColor?: number;
  plate?: string;
}

function fixedAscii(text: string, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < Math.min(text.length, len); i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

export function encodeRegistrationBody(r: Jt808RegistrationInput, edition: Jt808Edition = 2013): Uint8Array {
  const [makerLen, modelLen, idLen] = REG_LAYOUTS[edition === 2019 ? '2019' : '2013'];
  const plate = encodeGbk(r.plate ?? '');
  const out = new Uint8Array(4 + makerLen + modelLen + idLen + 1 + plate.length);
  const province = r.province ?? 0;
  const city = r.city ?? 0;
  out[0] = province >> 8;
  out[1] = province & 0xff;
  out[2] = city >> 8;
  out[3] = city & 0xff;
  let o = 4;
  out.set(fixedAscii(r.maker ?? 'TWSIM', makerLen), o);
  o += makerLen;
  out.set(fixedAscii(r.model ?? 'TW-808', modelLen), o);
  o += modelLen;
  out.set(fixedAscii(r.terminalId ?? '0000001', idLen), o);
  o += idLen;
  out[o++] = r.plateColor ?? (r.plate ? 2 : 0);
  out.set(plate, o);
  return out;
}

// ---------------------------------------------------------------- authentication (0x0102)

export interface Jt808Auth {
  authCode: string;
  /** 2019 only. */
  imei?: string;
  /** 2019 only. */
  softwareVersion?: string;
}

/** 0x0102 body: 2013 = the auth code (whole body); 2019 = code length u8, code, IMEI[15], software version[20]. */
export function decodeAuth(b: Uint8Array, edition: Jt808Edition): Jt808Auth | null {
  if (edition === 2013) return b.length === 0 ? null : { authCode: decodeGbk(b) };
  if (b.length < 1) return null;
  const n = b[0]!;
  if (n === 0 || 1 + n > b.length) return null;
  const auth: Jt808Auth = { authCode: decodeGbk(b.subarray(1, 1 + n)) };
  if (b.length >= 1 + n + 15) auth.imei = ascii(b, 1 + n, 15);
  if (b.length >= 1 + n + 35) auth.softwareVersion = ascii(b, 1 + n + 15, 20);
  return auth;
}

export function encodeAuthBody(code: string, edition: Jt808Edition = 2013, imei = '', softwareVersion = ''): Uint8Array {
  const c = encodeGbk(code);
  if (edition === 2013) return c;
  if (c.length > 255) throw new Error('auth code longer than 255 bytes');
  const out = new Uint8Array(1 + c.length + 35);
  out[0] = c.length;
  out.set(c, 1);
  out.set(fixedAscii(imei, 15), 1 + c.length);
  out.set(fixedAscii(softwareVersion, 20), 1 + c.length + 15);
  return out;
}

// ---------------------------------------------------------------- location encoding (terminal side)

export interface Jt808LocationInput {
  lat: number;
  lon: number;
  /** UTC ms (sent as GMT+8 BCD, whole seconds). */
  time: number;
  /** km/h (sent in 1/10). */
  speed?: number;
  course?: number;
  altitude?: number;
  alarm?: number;
  /** Other status bits; positioned and the hemisphere bits are set from the fix. */
  status?: number;
  /** Default true. */
  positioned?: boolean;
  extras?: { mileageKm?: number; fuelL?: number; signalStrength?: number; satellites?: number };
}

export function encodeLocationBody(f: Jt808LocationInput): Uint8Array {
  const items: number[] = [];
  const x = f.extras;
  const push32 = (v: number) => items.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  if (x?.mileageKm !== undefined) {
    items.push(0x01, 4);
    push32(Math.round(x.mileageKm * 10));
  }
  if (x?.fuelL !== undefined) {
    const v = Math.round(x.fuelL * 10);
    items.push(0x02, 2, (v >> 8) & 0xff, v & 0xff);
  }
  if (x?.signalStrength !== undefined) items.push(0x30, 1, x.signalStrength & 0xff);
  if (x?.satellites !== undefined) items.push(0x31, 1, x.satellites & 0xff);
  const out = new Uint8Array(LOCATION_BASE_BYTES + items.length);
  const dv = new DataView(out.buffer);
  const status = ((f.status ?? 0) & ~0xe) | (f.positioned === false ? 0 : STATUS_POSITIONED) | (f.lat < 0 ? STATUS_SOUTH : 0) | (f.lon < 0 ? STATUS_WEST : 0);
  dv.setUint32(0, (f.alarm ?? 0) >>> 0);
  dv.setUint32(4, status >>> 0);
  dv.setUint32(8, Math.round(Math.abs(f.lat) * 1e6));
  dv.setUint32(12, Math.round(Math.abs(f.lon) * 1e6));
  dv.setInt16(16, Math.round(f.altitude ?? 0));
  dv.setUint16(18, Math.min(0xffff, Math.round((f.speed ?? 0) * 10)));
  dv.setUint16(20, Math.round(f.course ?? 0) % 360);
  out.set(encodeBcdTime(f.time), 22);
  out.set(items, LOCATION_BASE_BYTES);
  return out;
}

/** 0x0704 body from fixes: count, type (0 normal, 1 blind-area supplement), then length-prefixed location bodies. */
export function encodeBatchBody(fixes: Jt808LocationInput[], type = 0): Uint8Array {
  const bodies = fixes.map(encodeLocationBody);
  const out = new Uint8Array(3 + bodies.reduce((n, b) => n + 2 + b.length, 0));
  out[0] = fixes.length >> 8;
  out[1] = fixes.length & 0xff;
  out[2] = type;
  let o = 3;
  for (const b of bodies) {
    out[o] = b.length >> 8;
    out[o + 1] = b.length & 0xff;
    out.set(b, o + 2);
    o += 2 + b.length;
  }
  return out;
}

// ---------------------------------------------------------------- server replies

/** 0x8001 body: reply serial u16, reply id u16, result u8. */
export function encodeGeneralResponseBody(replySerial: number, replyId: number, result: number): Uint8Array {
  return Uint8Array.of((replySerial >> 8) & 0xff, replySerial & 0xff, (replyId >> 8) & 0xff, replyId & 0xff, result & 0xff);
}

export function decodeGeneralResponse(b: Uint8Array): { replySerial: number; replyId: number; result: number } | null {
  return b.length < 5 ? null : { replySerial: u16(b, 0), replyId: u16(b, 2), result: b[4]! };
}

/** 0x8100 body: reply serial u16, result u8, auth code (STRING, only on success). */
export function encodeRegistrationResponseBody(replySerial: number, result: number, authCode?: string): Uint8Array {
  const code = result === 0 && authCode ? encodeGbk(authCode) : new Uint8Array(0);
  const out = new Uint8Array(3 + code.length);
  out[0] = (replySerial >> 8) & 0xff;
  out[1] = replySerial & 0xff;
  out[2] = result & 0xff;
  out.set(code, 3);
  return out;
}

export function decodeRegistrationResponse(b: Uint8Array): { replySerial: number; result: number; authCode?: string } | null {
  if (b.length < 3) return null;
  const r: { replySerial: number; result: number; authCode?: string } = { replySerial: u16(b, 0), result: b[2]! };
  if (b.length > 3) r.authCode = decodeGbk(b.subarray(3));
  return r;
}
