// AIS message decoding (ITU-R M.1371-5): types 1, 2, 3, 4, 5, 18, 19, 21, 24 and 27 field by
// field; every other defined type (6–17, 20, 22, 23, 25, 26) as its header only.
// Units out: degrees (lat/lon), knots (sog), degrees true (cog, heading), metres, UTC.
// "Not available" codes (lon 181, lat 91, sog 102.3, cog 360, heading 511, ROT -128, second 60+,
// navStatus 15, IMO 0, draught 0, type 27 sog 63 / cog 511, …) and values out of range come out
// absent (undefined), never as a number.
import { trimRight, type Bits } from './bits';

/** What every message carries, plus where it came from (filled in by the sentence layer). */
export interface AisHeader {
  repeat: number;
  /** Nine digits, zero-padded. */
  mmsi: string;
  /** Radio channel from the sentence: 'A', 'B', '1', '2' or '' when not given. */
  channel: string;
  /** Tag block `s:` (the receiving station), when given. */
  source?: string;
  /** Tag block `c:` receive time, ms since epoch UTC, when given. */
  tagTime?: number;
}

/** Types 1, 2, 3: class A position report. */
export interface AisPositionA extends AisHeader {
  type: 1 | 2 | 3;
  navStatus?: number; // 0–14; 15 (not defined) is absent
  /** Rate of turn, degrees per minute, + = to starboard; absent when not available or beyond ±708°/min (rotRaw ±127). */
  rot?: number;
  /** ROT as sent (−127…127); absent when −128 (not available). */
  rotRaw?: number;
  sog?: number; // knots; 102.2 means "102.2 or more"
  accuracy: boolean;
  lon?: number;
  lat?: number;
  cog?: number; // degrees true
  heading?: number; // degrees true
  timestampSec?: number; // UTC second of the fix, 0–59
  maneuver: number;
  raim: boolean;
  radio: number;
}

/** Type 4: base station report, with the station's UTC time. */
export interface AisBaseStation extends AisHeader {
  type: 4;
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** The station's UTC time as ms since epoch, when every part of it is valid. */
  utc?: number;
  accuracy: boolean;
  lon?: number;
  lat?: number;
  epfd?: number;
  raim: boolean;
  radio: number;
}

/** ETA as AIS sends it: no year; each part absent when not available. */
export interface AisEta {
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
}

/** Type 5: class A static and voyage related data. */
export interface AisStaticVoyage extends AisHeader {
  type: 5;
  aisVersion: number;
  imo?: number;
  callsign?: string;
  shipname?: string;
  shiptype?: number; // ITU ship and cargo type, 1–255
  toBow: number; // metres from the reference point; 0 = not given
  toStern: number;
  toPort: number;
  toStarboard: number;
  epfd?: number;
  eta?: AisEta;
  draught?: number; // metres
  destination?: string;
  dte: boolean; // true = data terminal NOT ready
}

/** The leading fields that types 18 and 19 share: a class B position (ITU-R M.1371). */
export interface AisClassBPosition extends AisHeader {
  reserved: number;
  sog?: number;
  accuracy: boolean;
  lon?: number;
  lat?: number;
  cog?: number;
  heading?: number;
  timestampSec?: number;
  /** Two bits in type 18, four in type 19. */
  regional: number;
}

/** Type 18: class B position report. */
export interface AisPositionB extends AisClassBPosition {
  type: 18;
  cs: boolean;
  display: boolean;
  dsc: boolean;
  band: boolean;
  msg22: boolean;
  assigned: boolean;
  raim: boolean;
  radio: number;
}

/** Type 19: class B extended position report, with name, type and dimensions. */
export interface AisPositionBExtended extends AisClassBPosition {
  type: 19;
  shipname?: string;
  shiptype?: number;
  toBow: number;
  toStern: number;
  toPort: number;
  toStarboard: number;
  epfd?: number;
  raim: boolean;
  dte: boolean;
  assigned: boolean;
}

/** Type 21: aid to navigation report. */
export interface AisAidToNavigation extends AisHeader {
  type: 21;
  aidType: number;
  /** Name with its extension (bits 272 on) appended. */
  name?: string;
  accuracy: boolean;
  lon?: number;
  lat?: number;
  toBow: number;
  toStern: number;
  toPort: number;
  toStarboard: number;
  epfd?: number;
  timestampSec?: number;
  offPosition: boolean;
  regional: number;
  raim: boolean;
  virtualAid: boolean;
  assigned: boolean;
}

/** Type 24: class B static data, part A (name) or part B (type, vendor, call sign, dimensions). */
export interface AisStaticB extends AisHeader {
  type: 24;
  partno: 0 | 1;
  shipname?: string; // part A
  shiptype?: number; // part B from here on
  /** Vendor id as the seven characters of ITU-R M.1371-3 (M.1371-4 on: three characters, then model and serial). */
  vendorid?: string;
  model?: number;
  serial?: number;
  callsign?: string;
  toBow?: number; // absent for an auxiliary craft (MMSI 98…), which sends its mothership instead
  toStern?: number;
  toPort?: number;
  toStarboard?: number;
  mothershipMmsi?: string;
}

/** Type 27: long-range broadcast (satellite AIS); positions to 1/10 minute. */
export interface AisLongRange extends AisHeader {
  type: 27;
  accuracy: boolean;
  raim: boolean;
  navStatus?: number;
  lon?: number;
  lat?: number;
  sog?: number; // knots, whole
  cog?: number; // degrees, whole
  /** Bit 94 as sent (gpsd's "gnss"; M.1371-5 calls it position latency: true = more than 5 s). */
  gnss: boolean;
}

/** The defined types this decoder reads only the header of (counted as known but unused). */
export type AisOtherType = 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 20 | 22 | 23 | 25 | 26;
export interface AisOther extends AisHeader {
  type: AisOtherType;
}

export type AisMessage = AisPositionA | AisBaseStation | AisStaticVoyage | AisPositionB | AisPositionBExtended | AisAidToNavigation | AisStaticB | AisLongRange | AisOther;

/** Types decoded field by field. */
export const AIS_DECODED_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 18, 19, 21, 24, 27]);

export type PayloadResult = { ok: true; msg: AisMessage } | { ok: false; detail: string };

// Fewest bits each type needs for the fields read (gpsd's limits where they are looser than
// these are noted in the report; longer messages are accepted).
const MIN_BITS: Record<number, number> = { 1: 149, 2: 149, 3: 149, 4: 149, 5: 420, 18: 148, 19: 308, 21: 272, 27: 95 };

/** Longitude from 1/10000 minute units (or 1/10 minute for type 27: scale 600). */
function lonOf(raw: number, scale: number): number | undefined {
  if (raw === 181 * scale) return undefined;
  const v = raw / scale;
  return v >= -180 && v <= 180 ? v : undefined;
}
function latOf(raw: number, scale: number): number | undefined {
  if (raw === 91 * scale) return undefined;
  const v = raw / scale;
  return v >= -90 && v <= 90 ? v : undefined;
}
const sogOf = (raw: number) => (raw >= 1023 ? undefined : raw / 10);
const cogOf = (raw: number) => (raw >= 3600 ? undefined : raw / 10);
const headingOf = (raw: number) => (raw >= 360 ? undefined : raw);
const secondOf = (raw: number) => (raw >= 60 ? undefined : raw);
const nonZero = (raw: number) => (raw === 0 ? undefined : raw);
const nonEmpty = (s: string) => (s === '' ? undefined : s);
const mmsiText = (n: number) => String(n).padStart(9, '0');

function rotOf(raw: number): number | undefined {
  if (raw === -128 || raw === 127 || raw === -127) return undefined;
  const r = raw / 4.733;
  return Math.round((raw < 0 ? -r * r : r * r) * 10) / 10;
}

/** The class B position that types 18 and 19 share, with `regionalBits` of regional reserve. */
function classBPosition(b: Bits, repeat: number, mmsi: string, channel: string, regionalBits: number): AisClassBPosition {
  return {
    repeat,
    mmsi,
    channel,
    reserved: b.u(38, 8),
    sog: sogOf(b.u(46, 10)),
    accuracy: b.flag(56),
    lon: lonOf(b.s(57, 28), 600000),
    lat: latOf(b.s(85, 27), 600000),
    cog: cogOf(b.u(112, 12)),
    heading: headingOf(b.u(124, 9)),
    timestampSec: secondOf(b.u(133, 6)),
    regional: b.u(139, regionalBits),
  };
}

/** Decodes one complete message's bits. `channel` is stored on the message as given. */
export function decodePayload(b: Bits, channel: string): PayloadResult {
  if (b.length < 38) return { ok: false, detail: `${b.length} bits: too short for a header` };
  const type = b.u(0, 6);
  const repeat = b.u(6, 2);
  const mmsiNum = b.u(8, 30);
  if (mmsiNum > 999_999_999) return { ok: false, detail: `MMSI ${mmsiNum} has more than 9 digits` };
  const mmsi = mmsiText(mmsiNum);
  const need = MIN_BITS[type];
  if (need !== undefined && b.length < need) return { ok: false, detail: `type ${type}: ${b.length} bits, needs ${need}` };

  switch (type) {
    case 1:
    case 2:
    case 3: {
      const rotRaw = b.s(42, 8);
      const status = b.u(38, 4);
      const msg: AisPositionA = {
        type,
        repeat,
        mmsi,
        channel,
        navStatus: status === 15 ? undefined : status,
        rot: rotOf(rotRaw),
        rotRaw: rotRaw === -128 ? undefined : rotRaw,
        sog: sogOf(b.u(50, 10)),
        accuracy: b.flag(60),
        lon: lonOf(b.s(61, 28), 600000),
        lat: latOf(b.s(89, 27), 600000),
        cog: cogOf(b.u(116, 12)),
        heading: headingOf(b.u(128, 9)),
        timestampSec: secondOf(b.u(137, 6)),
        maneuver: b.u(143, 2),
        raim: b.flag(148),
        radio: b.length >= 168 ? b.u(149, 19) : b.u(149, b.length - 149),
      };
      return { ok: true, msg };
    }
    case 4: {
      const year = b.u(38, 14),
        month = b.u(52, 4),
        day = b.u(56, 5);
      const hour = b.u(61, 5),
        minute = b.u(66, 6),
        second = b.u(72, 6);
      const msg: AisBaseStation = {
        type,
        repeat,
        mmsi,
        channel,
        year: year === 0 ? undefined : year,
        month: month >= 1 && month <= 12 ? month : undefined,
        day: day >= 1 && day <= 31 ? day : undefined,
        hour: hour <= 23 ? hour : undefined,
        minute: minute <= 59 ? minute : undefined,
        second: second <= 59 ? second : undefined,
        utc: undefined,
        accuracy: b.flag(78),
        lon: lonOf(b.s(79, 28), 600000),
        lat: latOf(b.s(107, 27), 600000),
        epfd: nonZero(b.u(134, 4)),
        raim: b.flag(148),
        radio: b.length >= 168 ? b.u(149, 19) : b.u(149, b.length - 149),
      };
      if (msg.year !== undefined && msg.month !== undefined && msg.day !== undefined && msg.hour !== undefined && msg.minute !== undefined && msg.second !== undefined) {
        const t = Date.UTC(year, month - 1, day, hour, minute, second);
        // Date.UTC rolls 31 February into March: keep only a real calendar date.
        if (new Date(t).getUTCDate() === day) msg.utc = t;
      }
      return { ok: true, msg };
    }
    case 5: {
      const month = b.u(274, 4),
        day = b.u(278, 5),
        hour = b.u(283, 5),
        minute = b.u(288, 6);
      const eta: AisEta = {
        month: month >= 1 && month <= 12 ? month : undefined,
        day: day >= 1 && day <= 31 ? day : undefined,
        hour: hour <= 23 ? hour : undefined,
        minute: minute <= 59 ? minute : undefined,
      };
      const msg: AisStaticVoyage = {
        type,
        repeat,
        mmsi,
        channel,
        aisVersion: b.u(38, 2),
        imo: nonZero(b.u(40, 30)),
        callsign: nonEmpty(b.text(70, 7)),
        shipname: nonEmpty(b.text(112, 20)),
        shiptype: nonZero(b.u(232, 8)),
        toBow: b.u(240, 9),
        toStern: b.u(249, 9),
        toPort: b.u(258, 6),
        toStarboard: b.u(264, 6),
        epfd: nonZero(b.u(270, 4)),
        eta: eta.month === undefined && eta.day === undefined && eta.hour === undefined && eta.minute === undefined ? undefined : eta,
        draught: b.u(294, 8) === 0 ? undefined : b.u(294, 8) / 10,
        destination: nonEmpty(b.text(302, 20)),
        dte: b.flag(422),
      };
      return { ok: true, msg };
    }
    case 18: {
      const msg: AisPositionB = {
        type,
        ...classBPosition(b, repeat, mmsi, channel, 2),
        cs: b.flag(141),
        display: b.flag(142),
        dsc: b.flag(143),
        band: b.flag(144),
        msg22: b.flag(145),
        assigned: b.flag(146),
        raim: b.flag(147),
        radio: b.u(148, Math.min(20, b.length - 148)),
      };
      return { ok: true, msg };
    }
    case 19: {
      const msg: AisPositionBExtended = {
        type,
        ...classBPosition(b, repeat, mmsi, channel, 4),
        shipname: nonEmpty(b.text(143, 20)),
        shiptype: nonZero(b.u(263, 8)),
        toBow: b.u(271, 9),
        toStern: b.u(280, 9),
        toPort: b.u(289, 6),
        toStarboard: b.u(295, 6),
        epfd: nonZero(b.u(301, 4)),
        raim: b.flag(305),
        dte: b.flag(306),
        assigned: b.flag(307),
      };
      return { ok: true, msg };
    }
    case 21: {
      let name = b.text(43, 20, false);
      if (name.length === 20 && b.length > 272) name += b.text(272, Math.floor((b.length - 272) / 6), false);
      const msg: AisAidToNavigation = {
        type,
        repeat,
        mmsi,
        channel,
        aidType: b.u(38, 5),
        name: nonEmpty(trimRight(name)),
        accuracy: b.flag(163),
        lon: lonOf(b.s(164, 28), 600000),
        lat: latOf(b.s(192, 27), 600000),
        toBow: b.u(219, 9),
        toStern: b.u(228, 9),
        toPort: b.u(237, 6),
        toStarboard: b.u(243, 6),
        epfd: nonZero(b.u(249, 4)),
        timestampSec: secondOf(b.u(253, 6)),
        offPosition: b.flag(259),
        regional: b.u(260, 8),
        raim: b.flag(268),
        virtualAid: b.flag(269),
        assigned: b.flag(270),
      };
      return { ok: true, msg };
    }
    case 24: {
      const partno = b.u(38, 2);
      if (partno === 0) {
        if (b.length < 160) return { ok: false, detail: `type 24A: ${b.length} bits, needs 160` };
        const msg: AisStaticB = { type, repeat, mmsi, channel, partno, shipname: nonEmpty(b.text(40, 20)) };
        return { ok: true, msg };
      }
      if (partno === 1) {
        if (b.length < 162) return { ok: false, detail: `type 24B: ${b.length} bits, needs 162` };
        const msg: AisStaticB = {
          type,
          repeat,
          mmsi,
          channel,
          partno,
          shiptype: nonZero(b.u(40, 8)),
          vendorid: nonEmpty(b.text(48, 7)),
          model: b.u(66, 4),
          serial: b.u(70, 20),
          callsign: nonEmpty(b.text(90, 7)),
        };
        if (mmsi.startsWith('98')) {
          msg.mothershipMmsi = mmsiText(b.u(132, 30));
        } else {
          msg.toBow = b.u(132, 9);
          msg.toStern = b.u(141, 9);
          msg.toPort = b.u(150, 6);
          msg.toStarboard = b.u(156, 6);
        }
        return { ok: true, msg };
      }
      return { ok: false, detail: `type 24 part ${partno} is not defined` };
    }
    case 27: {
      const status = b.u(40, 4);
      const sog = b.u(79, 6);
      const cog = b.u(85, 9);
      const msg: AisLongRange = {
        type,
        repeat,
        mmsi,
        channel,
        accuracy: b.flag(38),
        raim: b.flag(39),
        navStatus: status === 15 ? undefined : status,
        lon: lonOf(b.s(44, 18), 600),
        lat: latOf(b.s(62, 17), 600),
        sog: sog === 63 ? undefined : sog,
        cog: cog >= 360 ? undefined : cog,
        gnss: b.flag(94),
      };
      return { ok: true, msg };
    }
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 20:
    case 22:
    case 23:
    case 25:
    case 26:
      return { ok: true, msg: { type, repeat, mmsi, channel } };
    default:
      return { ok: false, detail: `type ${type} is not defined` };
  }
}
