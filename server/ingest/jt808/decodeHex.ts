// Frame → plain JSON, for the CLI (`transitwatch decode jt808 FILE|-`), logs and debugging.
// decodeFrameHex takes one frame; decodeHexStream takes a hex stream (several frames, garbage
// between them) as a terminal sent it. Neither throws.
import { decodeAlarm, decodeStatus } from './alarms';
import { hexToBytes, msgIdHex, parseFrame, unescapeBytes, type Jt808Frame } from './codec';
import { Jt808Framer } from './framer';
import {
  MSG,
  MSG_NAMES,
  REGISTER_RESULT_NAMES,
  RESULT_NAMES,
  decodeAuth,
  decodeBatch,
  decodeGeneralResponse,
  decodeLocation,
  decodeRegistration,
  decodeRegistrationResponse,
  type Jt808Extras,
  type Jt808Location,
} from './messages';

export interface Jt808DecodedLocation {
  time: string | null;
  lat: number;
  lon: number;
  speed: number;
  course: number;
  altitude: number;
  positioned: boolean;
  alarm: { bits: number; hex: string; names: string[] };
  status: { bits: number; hex: string; names: string[] };
  extras?: Jt808Extras;
  /** Why the pipeline would not take this fix. */
  problem?: string;
}

export type Jt808Decoded =
  | ({
      ok: true;
      msgId: string;
      name: string;
      edition: 2013 | 2019;
      protocolVersion?: number;
      terminal: string;
      assetKey: string;
      serial: number;
      packet?: { total: number; index: number };
    } & Record<string, unknown>)
  | ({ ok: false; error: string; hex?: string; bytes?: number } & Record<string, unknown>);

const hex32 = (v: number) => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

function location(loc: Jt808Location): Jt808DecodedLocation {
  const out: Jt808DecodedLocation = {
    time: Number.isNaN(loc.time) ? null : new Date(loc.time).toISOString(),
    lat: loc.lat,
    lon: loc.lon,
    speed: loc.speed,
    course: loc.course,
    altitude: loc.altitude,
    positioned: loc.positioned,
    alarm: { bits: loc.alarm, hex: hex32(loc.alarm), names: decodeAlarm(loc.alarm) },
    status: { bits: loc.status, hex: hex32(loc.status), names: decodeStatus(loc.status) },
  };
  if (loc.extras) out.extras = loc.extras;
  if (loc.problem) out.problem = loc.problem;
  return out;
}

/** Decode the fields of a parsed frame. */
export function describeFrame({ header: h, body }: Jt808Frame): Jt808Decoded {
  const base = {
    ok: true as const,
    msgId: msgIdHex(h.msgId),
    name: MSG_NAMES[h.msgId] ?? 'unsupported',
    edition: h.edition,
    ...(h.protocolVersion !== undefined ? { protocolVersion: h.protocolVersion } : {}),
    terminal: h.phone,
    assetKey: `tel:${h.phone}`,
    serial: h.serial,
    ...(h.packet ? { packet: h.packet } : {}),
  };
  const bodyHex = Buffer.from(body).toString('hex');
  if (h.packet && h.packet.total > 1) return { ...base, bodyHex, note: 'one sub-package: fields decode once the packets are joined' };
  const bad = (what: string): Jt808Decoded => ({ ...base, ok: false, error: 'body', detail: what, hex: bodyHex });
  switch (h.msgId) {
    case MSG.LOCATION: {
      const loc = decodeLocation(body, 0, body.length, true);
      return loc ? { ...base, ...location(loc) } : bad('location body shorter than 28 bytes');
    }
    case MSG.LOCATION_BATCH: {
      const b = decodeBatch(body, true);
      if (!b) return bad('batch body shorter than 3 bytes');
      return {
        ...base,
        count: b.locations.length,
        type: b.type === 0 ? 'normal' : b.type === 1 ? 'blind_area' : `type${b.type}`,
        ...(b.countMismatch ? { countMismatch: b.countMismatch } : {}),
        locations: b.locations.map((l) => (l ? location(l) : { problem: 'short' })),
      };
    }
    case MSG.REGISTER: {
      const r = decodeRegistration(body, h.edition);
      return r ? { ...base, ...r } : bad('registration body too short');
    }
    case MSG.AUTH: {
      const a = decodeAuth(body, h.edition);
      return a ? { ...base, ...a } : bad('authentication body empty or malformed');
    }
    case MSG.SERVER_RESPONSE:
    case MSG.TERMINAL_RESPONSE: {
      const g = decodeGeneralResponse(body);
      return g
        ? { ...base, replySerial: g.replySerial, replyId: msgIdHex(g.replyId), result: g.result, resultName: RESULT_NAMES[g.result] ?? `result${g.result}` }
        : bad('general response shorter than 5 bytes');
    }
    case MSG.REGISTER_RESPONSE: {
      const r = decodeRegistrationResponse(body);
      return r ? { ...base, ...r, resultName: REGISTER_RESULT_NAMES[r.result] ?? `result${r.result}` } : bad('registration response shorter than 3 bytes');
    }
    case MSG.HEARTBEAT:
    case MSG.LOGOUT:
      return base;
    default:
      return { ...base, bodyHex };
  }
}

/** Decode one frame given as hex, with or without its 0x7E delimiters (escaped as on the wire). */
export function decodeFrameHex(hex: string): Jt808Decoded {
  const bytes = hexToBytes(hex.trim());
  if (!bytes) return { ok: false, error: 'not_hex' };
  let inner: Uint8Array = bytes;
  if (inner.length >= 2 && inner[0] === 0x7e && inner[inner.length - 1] === 0x7e) inner = inner.subarray(1, inner.length - 1);
  const content = unescapeBytes(inner);
  if (!content) return { ok: false, error: 'escape', hex: Buffer.from(bytes).toString('hex') };
  const parsed = parseFrame(content);
  if (!parsed.ok) return { ok: false, error: parsed.reason, hex: Buffer.from(bytes).toString('hex') };
  return describeFrame(parsed.frame);
}

/** Decode a hex stream: every frame in it, and what was skipped or refused between them. */
export function decodeHexStream(hex: string): Jt808Decoded[] {
  const bytes = hexToBytes(hex.trim());
  if (!bytes) return [{ ok: false, error: 'not_hex' }];
  const out: Jt808Decoded[] = [];
  const framer = new Jt808Framer({
    frame(content) {
      const parsed = parseFrame(content);
      out.push(parsed.ok ? describeFrame(parsed.frame) : { ok: false, error: parsed.reason, hex: Buffer.from(content).toString('hex') });
    },
    reject(reason, sample) {
      out.push({ ok: false, error: reason, hex: Buffer.from(sample).toString('hex') });
    },
    garbage(n) {
      out.push({ ok: false, error: 'garbage', bytes: n });
    },
  });
  framer.push(bytes);
  framer.end();
  return out;
}
