// JT/T 809 message bodies: decoders for what a lower platform sends (login, logout, vehicle
// dynamic information 0x1200 with its positions, alarms 0x1400) and encoders for both directions
// (our replies and requests; the lower platform's messages for tests, the simulator and the
// bench). Decoders never throw: a body too short or malformed gives null (or a `problem`).
//
// Layouts follow JT/T 809-2011 and -2019 as implemented by the public JT809 projects
// (SmallChi/JT809, C#; see fixtures.ts); 2019 differences are marked.
import type { Jt809Edition } from './codec';
import { u64 } from './codec';
import { STATUS_POSITIONED, STATUS_SOUTH, STATUS_WEST } from '../jt808/alarms';
import { decodeLocation } from '../jt808/messages';
import { decodeGbk, encodeGbk } from '../jt808/gbk';

export const MSG = {
  UP_CONNECT_REQ: 0x1001,
  UP_CONNECT_RSP: 0x1002,
  UP_DISCONNECT_REQ: 0x1003,
  UP_DISCONNECT_RSP: 0x1004,
  UP_LINKTEST_REQ: 0x1005,
  UP_LINKTEST_RSP: 0x1006,
  UP_DISCONNECT_INFORM: 0x1007,
  UP_CLOSELINK_INFORM: 0x1008,
  DOWN_CONNECT_REQ: 0x9001,
  DOWN_CONNECT_RSP: 0x9002,
  DOWN_DISCONNECT_REQ: 0x9003,
  DOWN_DISCONNECT_RSP: 0x9004,
  DOWN_LINKTEST_REQ: 0x9005,
  DOWN_LINKTEST_RSP: 0x9006,
  DOWN_DISCONNECT_INFORM: 0x9007,
  DOWN_CLOSELINK_INFORM: 0x9008,
  UP_EXG_MSG: 0x1200,
  DOWN_EXG_MSG: 0x9200,
  UP_WARN_MSG: 0x1400,
} as const;

export const SUB = {
  REGISTER: 0x1201,
  REAL_LOCATION: 0x1202,
  HISTORY_LOCATION: 0x1203,
  RETURN_STARTUP_ACK: 0x1205,
  RETURN_END_ACK: 0x1206,
  APPLY_FOR_MONITOR_STARTUP: 0x1207,
  APPLY_FOR_MONITOR_END: 0x1208,
  DOWN_RETURN_STARTUP: 0x9205,
  DOWN_RETURN_END: 0x9206,
  DOWN_APPLY_FOR_MONITOR_STARTUP_ACK: 0x9207,
  DOWN_APPLY_FOR_MONITOR_END_ACK: 0x9208,
  WARN_URGE_TODO_ACK: 0x1401,
  WARN_ADPT_INFO: 0x1402,
  WARN_ADPT_TODO_INFO: 0x1403,
} as const;

export const MSG_NAMES: Readonly<Record<number, string>> = {
  0x1001: 'up_connect_req',
  0x1002: 'up_connect_rsp',
  0x1003: 'up_disconnect_req',
  0x1004: 'up_disconnect_rsp',
  0x1005: 'up_linktest_req',
  0x1006: 'up_linktest_rsp',
  0x1007: 'up_disconnect_inform',
  0x1008: 'up_closelink_inform',
  0x9001: 'down_connect_req',
  0x9002: 'down_connect_rsp',
  0x9003: 'down_disconnect_req',
  0x9004: 'down_disconnect_rsp',
  0x9005: 'down_linktest_req',
  0x9006: 'down_linktest_rsp',
  0x9007: 'down_disconnect_inform',
  0x9008: 'down_closelink_inform',
  0x1200: 'up_exg_msg',
  0x9200: 'down_exg_msg',
  0x1300: 'up_platform_msg',
  0x9300: 'down_platform_msg',
  0x1400: 'up_warn_msg',
  0x9400: 'down_warn_msg',
  0x1500: 'up_ctrl_msg',
  0x9500: 'down_ctrl_msg',
  0x1600: 'up_base_msg',
  0x9600: 'down_base_msg',
};

export const SUB_NAMES: Readonly<Record<number, string>> = {
  0x1201: 'register',
  0x1202: 'real_location',
  0x1203: 'history_location',
  0x1205: 'return_startup_ack',
  0x1206: 'return_end_ack',
  0x1207: 'apply_for_monitor_startup',
  0x1208: 'apply_for_monitor_end',
  0x1209: 'apply_hisgnssdata_req',
  0x9205: 'return_startup',
  0x9206: 'return_end',
  0x9207: 'apply_for_monitor_startup_ack',
  0x9208: 'apply_for_monitor_end_ack',
  0x1401: 'urge_todo_ack',
  0x1402: 'adpt_info',
  0x1403: 'adpt_todo_info',
};

/** 0x1002 results. */
export const LOGIN_RESULT = {
  OK: 0x00,
  BAD_IP: 0x01, //          IP 地址不正确
  BAD_ACCESS_CODE: 0x02, // 接入码不正确
  NOT_REGISTERED: 0x03, //  用户没有注册
  BAD_PASSWORD: 0x04, //    密码错误
  BUSY: 0x05, //            资源紧张，稍后再连接（已经占用）
  OTHER: 0x06, //           其他
} as const;
export const LOGIN_RESULT_NAMES = ['ok', 'bad_ip', 'bad_access_code', 'not_registered', 'bad_password', 'busy', 'other'] as const;
/** 0x9002 results. */
export const DOWN_CONNECT_RESULT_NAMES = ['ok', 'bad_verify_code', 'busy', 'other'] as const;
/** 0x9007 (2011) reasons. */
export const DOWN_DISCONNECT_REASON = { CANNOT_CONNECT: 0x00, DISCONNECTED: 0x01, OTHER: 0x02 } as const;
/** 0x9205 reasons. */
export const STARTUP_REASON = { AREA: 0x00, MANUAL: 0x01, EMERGENCY: 0x02, OTHER: 0x03 } as const;
/** 0x9207 results. */
export const APPLY_RESULT = { OK: 0x00, NO_DATA: 0x01, BAD_PERIOD: 0x02, OTHER: 0x03 } as const;

/** Warning types (JT/T 809 WARN_TYPE) and their names; 0xA0xx are 2019's platform-level types. */
export const WARN_TYPES: Readonly<Record<number, { name: string; zh: string }>> = {
  0x0001: { name: 'overspeed', zh: '超速报警' },
  0x0002: { name: 'fatigue_driving', zh: '疲劳驾驶报警' },
  0x0003: { name: 'emergency', zh: '紧急报警' },
  0x0004: { name: 'area_enter', zh: '进入指定区域报警' },
  0x0005: { name: 'area_leave', zh: '离开指定区域报警' },
  0x0006: { name: 'road_blocked', zh: '路段堵塞报警' },
  0x0007: { name: 'dangerous_road', zh: '危险路段报警' },
  0x0008: { name: 'out_of_bounds', zh: '越界报警' },
  0x0009: { name: 'theft', zh: '盗警' },
  0x000a: { name: 'robbery', zh: '劫警' },
  0x000b: { name: 'route_deviation', zh: '偏离路线报警' },
  0x000c: { name: 'vehicle_moved', zh: '车辆移动报警' },
  0x000d: { name: 'overtime_driving', zh: '超时驾驶报警' },
  0x000e: { name: 'other', zh: '其他报警' },
  0x0010: { name: 'driving_violation', zh: '违规行驶报警' },
  0x0011: { name: 'forward_collision', zh: '前撞报警' },
  0x0012: { name: 'lane_departure', zh: '车道偏离报警' },
  0x0013: { name: 'tyre_pressure', zh: '胎压异常报警' },
  0x0014: { name: 'dynamic_info_abnormal', zh: '动态信息异常报警' },
  0xa001: { name: 'overtime_parking', zh: '超时停车' },
  0xa002: { name: 'report_interval_abnormal', zh: '车辆定位信息上报时间间隔异常' },
  0xa003: { name: 'report_distance_abnormal', zh: '车辆定位信息上报距离间隔异常' },
  0xa004: { name: 'platform_offline', zh: '下级平台异常断线' },
  0xa005: { name: 'platform_transfer_abnormal', zh: '下级平台数据传输异常' },
  0xa006: { name: 'road_blocked', zh: '路段堵塞报警' },
  0xa007: { name: 'dangerous_road', zh: '危险路段报警' },
  0xa008: { name: 'rain_snow', zh: '雨雪天气报警' },
  0xa009: { name: 'driver_identity_abnormal', zh: '驾驶员身份识别异常' },
  0xa00a: { name: 'terminal_abnormal', zh: '终端异常' },
  0xa00b: { name: 'platform_access_abnormal', zh: '平台接入异常' },
  0xa00c: { name: 'core_data_abnormal', zh: '核心数据异常' },
  0xa0ff: { name: 'other', zh: '其他报警' },
};

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);

/** A fixed-width text field: GBK up to the first NUL. */
export function text(b: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return decodeGbk(b.subarray(off, end)).trim();
}

function putText(out: Uint8Array, off: number, len: number, value: string): void {
  const bytes = encodeGbk(value);
  out.set(bytes.subarray(0, len), off);
}

// ------------------------------------------------------------------ link management

export interface Jt809Login {
  userId: number;
  password: string;
  /** 2019: the access code again, in the body. */
  centerId?: number;
  downLinkIp: string;
  downLinkPort: number;
}

export const LOGIN_BODY_BYTES: Record<Jt809Edition, number> = { 2011: 46, 2019: 50 };

export function decodeLogin(b: Uint8Array, edition: Jt809Edition): Jt809Login | null {
  if (b.length !== LOGIN_BODY_BYTES[edition]) return null;
  let o = 12;
  const login: Jt809Login = { userId: u32(b, 0), password: text(b, 4, 8), downLinkIp: '', downLinkPort: 0 };
  if (edition === 2019) {
    login.centerId = u32(b, 12);
    o = 16;
  }
  login.downLinkIp = text(b, o, 32);
  login.downLinkPort = u16(b, o + 32);
  return login;
}

export function encodeLogin(l: Jt809Login, edition: Jt809Edition): Uint8Array {
  const b = new Uint8Array(LOGIN_BODY_BYTES[edition]);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, l.userId >>> 0);
  putText(b, 4, 8, l.password);
  let o = 12;
  if (edition === 2019) {
    dv.setUint32(12, (l.centerId ?? 0) >>> 0);
    o = 16;
  }
  putText(b, o, 32, l.downLinkIp);
  dv.setUint16(o + 32, l.downLinkPort);
  return b;
}

/** 0x1002: result u8, verify code u32. */
export function encodeLoginResponse(result: number, verifyCode: number): Uint8Array {
  const b = new Uint8Array(5);
  b[0] = result;
  new DataView(b.buffer).setUint32(1, verifyCode >>> 0);
  return b;
}
export function decodeLoginResponse(b: Uint8Array): { result: number; verifyCode: number } | null {
  return b.length < 5 ? null : { result: b[0]!, verifyCode: u32(b, 1) };
}

/** 0x1003: user id u32, password 8. */
export function decodeLogout(b: Uint8Array): { userId: number; password: string } | null {
  return b.length < 12 ? null : { userId: u32(b, 0), password: text(b, 4, 8) };
}
export function encodeLogout(userId: number, password: string): Uint8Array {
  const b = new Uint8Array(12);
  new DataView(b.buffer).setUint32(0, userId >>> 0);
  putText(b, 4, 8, password);
  return b;
}

/** 0x9001 / 0x9003: verify code u32. */
export function encodeU32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0);
  return b;
}
export const decodeU32 = (b: Uint8Array): number | null => (b.length < 4 ? null : u32(b, 0));

// ------------------------------------------------------------------ vehicle dynamic information

/** The vehicle part of 0x1200 / 0x9200 / 0x1400 (2011): plate GBK[21], colour u8, data type u16, length u32, data. */
export interface Jt809Exchange {
  plate: string;
  color: number;
  dataType: number;
  data: Uint8Array;
}

export function decodeExchange(b: Uint8Array, withVehicle = true): Jt809Exchange | null {
  const head = withVehicle ? 28 : 6;
  if (b.length < head) return null;
  const off = withVehicle ? 22 : 0;
  const length = u32(b, off + 2);
  if (off + 6 + length !== b.length) return null;
  return {
    plate: withVehicle ? text(b, 0, 21) : '',
    color: withVehicle ? b[21]! : 0,
    dataType: u16(b, off),
    data: b.subarray(off + 6),
  };
}

export function encodeExchange(plate: string, color: number, dataType: number, data: Uint8Array, withVehicle = true): Uint8Array {
  const head = withVehicle ? 28 : 6;
  const b = new Uint8Array(head + data.length);
  const off = withVehicle ? 22 : 0;
  if (withVehicle) {
    putText(b, 0, 21, plate);
    b[21] = color;
  }
  const dv = new DataView(b.buffer);
  dv.setUint16(off, dataType);
  dv.setUint32(off + 2, data.length);
  b.set(data, head);
  return b;
}

/** One fix as 809 carries it, whichever layout it came in. */
export interface Jt809Position {
  /** The lower platform encrypted the coordinates (position ENCRYPT byte 1: not usable as such). */
  encrypted: boolean;
  /** UTC ms; NaN when the date is not valid. */
  time: number;
  lat: number;
  lon: number;
  /** km/h (satellite speed VEC1). */
  speed: number;
  /** 2011: recorder speed VEC2 km/h; mileage VEC3 km. */
  recorderSpeed?: number;
  mileageKm?: number;
  course: number;
  altitude: number;
  status: number;
  alarm: number;
  positioned: boolean;
  /** 2019: the platforms' alarm words (PLATFORM_ID → ALARM), when set. */
  platformAlarms?: { platformId: string; alarm: number }[];
  /** 2019: which layout GNSS_DATA used: a JT/T 808 0x0200 body, or the 2011 layout without its ENCRYPT byte. */
  layout?: '808' | '2011';
  problem?: 'time' | 'coordinates' | 'speed' | 'encrypted';
}

export const POSITION_2011_BYTES = 36;
const GMT8_MS = 8 * 3600_000;

/** The 2011 layout from b[off]: [ENCRYPT u8] DATE (day, month, year u16) TIME (h, m, s) LON LAT VEC1 VEC2 VEC3 DIRECTION ALTITUDE STATE ALARM. */
function decode2011At(b: Uint8Array, off: number, encrypted: boolean): Jt809Position {
  const day = b[off]!;
  const month = b[off + 1]!;
  const year = u16(b, off + 2);
  const h = b[off + 4]!;
  const mi = b[off + 5]!;
  const s = b[off + 6]!;
  const lonRaw = u32(b, off + 7);
  const latRaw = u32(b, off + 11);
  const speed = u16(b, off + 15);
  const status = u32(b, off + 27);
  const alarm = u32(b, off + 31);
  let time = NaN;
  if (year >= 2000 && year < 2100 && month >= 1 && month <= 12 && day >= 1 && h < 24 && mi < 60 && s < 60) {
    const t = Date.UTC(year, month - 1, day, h, mi, s);
    if (new Date(t).getUTCDate() === day) time = t - GMT8_MS; // the standard's times are Beijing time
  }
  const p: Jt809Position = {
    encrypted,
    time,
    lat: (status & STATUS_SOUTH ? -latRaw : latRaw) / 1e6,
    lon: (status & STATUS_WEST ? -lonRaw : lonRaw) / 1e6,
    speed,
    recorderSpeed: u16(b, off + 17),
    mileageKm: u32(b, off + 19),
    course: u16(b, off + 23),
    altitude: u16(b, off + 25),
    status,
    alarm,
    positioned: (status & STATUS_POSITIONED) !== 0,
  };
  if (encrypted) p.problem = 'encrypted';
  else if (Number.isNaN(time)) p.problem = 'time';
  else if (latRaw > 90_000_000 || lonRaw > 180_000_000) p.problem = 'coordinates';
  else if (speed >= 2000) p.problem = 'speed';
  return p;
}

/** A 2011 position (36 bytes) at b[off]. Null when shorter. */
export function decodePosition2011(b: Uint8Array, off = 0): Jt809Position | null {
  if (b.length - off < POSITION_2011_BYTES) return null;
  return decode2011At(b, off + 1, b[off] === 1);
}

/**
 * A 2019 position at b[off]: ENCRYPT u8, GNSS_DATA length u32 + data, then three
 * (PLATFORM_ID[11], ALARM u32). GNSS_DATA is a JT/T 808 0x0200 body; some platforms put the 2011
 * layout there instead (35 bytes, no ENCRYPT byte; see fixtures), which we also read.
 * Returns the position and the bytes it took, or null.
 */
export function decodePosition2019(b: Uint8Array, off = 0): { position: Jt809Position; bytes: number } | null {
  if (b.length - off < 5) return null;
  const encrypted = b[off] === 1;
  const len = u32(b, off + 1);
  const dataAt = off + 5;
  const end = dataAt + len;
  if (end + 45 > b.length) return null;
  let position: Jt809Position;
  if (len === 35 && b[dataAt]! >= 1 && b[dataAt]! <= 31 && b[dataAt + 1]! >= 1 && b[dataAt + 1]! <= 12 && u16(b, dataAt + 2) >= 2000 && u16(b, dataAt + 2) < 2100) {
    position = decode2011At(b, dataAt, encrypted);
    position.layout = '2011';
  } else {
    const loc = decodeLocation(b, dataAt, end, false);
    if (!loc) return null;
    position = {
      encrypted,
      time: loc.time,
      lat: loc.lat,
      lon: loc.lon,
      speed: loc.speed,
      course: loc.course,
      altitude: loc.altitude,
      status: loc.status,
      alarm: loc.alarm,
      positioned: loc.positioned,
      layout: '808',
    };
    if (encrypted) position.problem = 'encrypted';
    else if (loc.problem) position.problem = loc.problem;
  }
  const alarms: { platformId: string; alarm: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const o = end + i * 15;
    const platformId = text(b, o, 11);
    const alarm = u32(b, o + 11);
    if (platformId || alarm) alarms.push({ platformId, alarm });
  }
  if (alarms.length > 0) position.platformAlarms = alarms;
  return { position, bytes: 5 + len + 45 };
}

/** 0x1202's data: one position in the edition's layout. */
export function decodeRealLocation(data: Uint8Array, edition: Jt809Edition): Jt809Position | null {
  if (edition === 2011) return data.length === POSITION_2011_BYTES ? decodePosition2011(data) : null;
  const r = decodePosition2019(data);
  return r && r.bytes === data.length ? r.position : null;
}

/** 0x1203's data: GNSS_CNT u8 (1-5 in the standard), then that many positions. Null when the count and bytes disagree. */
export function decodeHistoryLocation(data: Uint8Array, edition: Jt809Edition): Jt809Position[] | null {
  if (data.length < 1) return null;
  const count = data[0]!;
  const out: Jt809Position[] = [];
  let o = 1;
  for (let i = 0; i < count; i++) {
    if (edition === 2011) {
      const p = decodePosition2011(data, o);
      if (!p) return null;
      out.push(p);
      o += POSITION_2011_BYTES;
    } else {
      const r = decodePosition2019(data, o);
      if (!r) return null;
      out.push(r.position);
      o += r.bytes;
    }
  }
  return o === data.length && count > 0 ? out : null;
}

export interface Jt809PositionInput {
  time: number;
  lat: number;
  lon: number;
  speed?: number;
  course?: number;
  altitude?: number;
  status?: number;
  alarm?: number;
  encrypted?: boolean;
}

/** Encode one position in the edition's layout (2019: a JT/T 808 0x0200 body as GNSS_DATA, no platform alarms). */
export function encodePosition(p: Jt809PositionInput, edition: Jt809Edition): Uint8Array {
  let status = p.status ?? 0x3; // ACC on, positioned
  if (p.lat < 0) status |= STATUS_SOUTH;
  if (p.lon < 0) status |= STATUS_WEST;
  const latRaw = Math.round(Math.abs(p.lat) * 1e6);
  const lonRaw = Math.round(Math.abs(p.lon) * 1e6);
  const local = new Date(p.time + GMT8_MS);
  if (edition === 2011) {
    const b = new Uint8Array(POSITION_2011_BYTES);
    const dv = new DataView(b.buffer);
    b[0] = p.encrypted ? 1 : 0;
    b[1] = local.getUTCDate();
    b[2] = local.getUTCMonth() + 1;
    dv.setUint16(3, local.getUTCFullYear());
    b[5] = local.getUTCHours();
    b[6] = local.getUTCMinutes();
    b[7] = local.getUTCSeconds();
    dv.setUint32(8, lonRaw);
    dv.setUint32(12, latRaw);
    dv.setUint16(16, Math.round(p.speed ?? 0));
    dv.setUint16(18, Math.round(p.speed ?? 0));
    dv.setUint32(20, 0);
    dv.setUint16(24, Math.round(p.course ?? 0));
    dv.setUint16(26, Math.max(0, Math.round(p.altitude ?? 0)));
    dv.setUint32(28, status >>> 0);
    dv.setUint32(32, (p.alarm ?? 0) >>> 0);
    return b;
  }
  const gnss = new Uint8Array(28);
  const g = new DataView(gnss.buffer);
  g.setUint32(0, (p.alarm ?? 0) >>> 0);
  g.setUint32(4, status >>> 0);
  g.setUint32(8, latRaw);
  g.setUint32(12, lonRaw);
  g.setInt16(16, Math.round(p.altitude ?? 0));
  g.setUint16(18, Math.round((p.speed ?? 0) * 10));
  g.setUint16(20, Math.round(p.course ?? 0));
  const parts = [local.getUTCFullYear() % 100, local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()];
  parts.forEach((v, i) => (gnss[22 + i] = (Math.floor(v / 10) << 4) | (v % 10)));
  const b = new Uint8Array(5 + gnss.length + 45);
  b[0] = p.encrypted ? 1 : 0;
  new DataView(b.buffer).setUint32(1, gnss.length);
  b.set(gnss, 5);
  return b;
}

export function encodeHistoryLocation(ps: Jt809PositionInput[], edition: Jt809Edition): Uint8Array {
  const parts = ps.map((p) => encodePosition(p, edition));
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  out[0] = ps.length;
  let o = 1;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** 0x1201 vehicle registration: the terminal behind the plate (kept as information, not trusted). */
export interface Jt809VehicleRegistration {
  platformId: string;
  producerId: string;
  terminalModel: string;
  imei?: string;
  terminalId: string;
  sim: string;
}

export function decodeVehicleRegistration(d: Uint8Array, edition: Jt809Edition): Jt809VehicleRegistration | null {
  if (edition === 2019) {
    if (d.length < 110) return null;
    return { platformId: text(d, 0, 11), producerId: text(d, 11, 11), terminalModel: text(d, 22, 30), imei: text(d, 52, 15), terminalId: text(d, 67, 30), sim: text(d, 97, 13) };
  }
  const model = d.length === 49 ? 8 : d.length === 61 ? 20 : 0;
  if (!model) return null;
  return { platformId: text(d, 0, 11), producerId: text(d, 11, 11), terminalModel: text(d, 22, model), terminalId: text(d, 22 + model, 7), sim: text(d, 29 + model, 12) };
}

// ------------------------------------------------------------------ alarms (0x1400)

export interface Jt809Warning {
  /** 2011: WARN_SRC (1 vehicle terminal, 2 enterprise platform, 3 government platform, 9 other). */
  source?: number;
  /** 2019: the platform that raised it. */
  sourcePlatformId?: string;
  type: number;
  /** UTC ms. */
  time: number;
  /** 2011: INFO_ID. */
  infoId?: number;
  startTime?: number;
  endTime?: number;
  /** 2019: the vehicle is in the alarm body (2011: in the 0x1400 head). */
  plate?: string;
  color?: number;
  info: string;
}

const seconds = (b: Uint8Array, o: number): number => {
  const s = u64(b, o);
  return Number.isNaN(s) ? NaN : s * 1000;
};

/** 0x1402 data. */
export function decodeWarning(d: Uint8Array, edition: Jt809Edition): Jt809Warning | null {
  if (edition === 2011) {
    if (d.length < 19) return null;
    const len = u32(d, 15);
    if (19 + len !== d.length) return null;
    return { source: d[0]!, type: u16(d, 1), time: seconds(d, 3), infoId: u32(d, 11), info: text(d, 19, len) };
  }
  if (d.length < 78) return null;
  const len = u32(d, 74);
  if (78 + len !== d.length) return null;
  return {
    sourcePlatformId: text(d, 0, 11),
    type: u16(d, 11),
    time: seconds(d, 13),
    startTime: seconds(d, 21),
    endTime: seconds(d, 29),
    plate: text(d, 37, 21),
    color: d[58]!,
    info: text(d, 78, len),
  };
}

export function encodeWarning(w: { type: number; time: number; info: string; plate?: string; color?: number; infoId?: number }, edition: Jt809Edition): Uint8Array {
  const info = encodeGbk(w.info);
  const s = Math.floor(w.time / 1000);
  if (edition === 2011) {
    const b = new Uint8Array(19 + info.length);
    const dv = new DataView(b.buffer);
    b[0] = 1;
    dv.setUint16(1, w.type);
    dv.setUint32(3, Math.floor(s / 2 ** 32));
    dv.setUint32(7, s >>> 0);
    dv.setUint32(11, (w.infoId ?? 0) >>> 0);
    dv.setUint32(15, info.length);
    b.set(info, 19);
    return b;
  }
  const b = new Uint8Array(78 + info.length);
  const dv = new DataView(b.buffer);
  dv.setUint16(11, w.type);
  for (const o of [13, 21, 29]) {
    dv.setUint32(o, Math.floor(s / 2 ** 32));
    dv.setUint32(o + 4, s >>> 0);
  }
  putText(b, 37, 21, w.plate ?? '');
  b[58] = w.color ?? 0;
  dv.setUint32(74, info.length);
  b.set(info, 78);
  return b;
}

/** 0x1400 body: 2011 vehicle head + data type + data; 2019 data type + data (the vehicle is in the data). */
export function decodeWarnMsg(b: Uint8Array, edition: Jt809Edition): Jt809Exchange | null {
  return decodeExchange(b, edition === 2011);
}
