// An AIS encoder for the simulator (and tests): ITU-R M.1371 messages 1, 18, 5 and 24 packed as
// 6-bit armoured NMEA 0183 !AIVDM sentences, so the demo feed runs through the real decoder.

class Bits {
  private bits: number[] = [];

  uint(value: number, width: number): this {
    const v = Math.max(0, Math.round(value));
    for (let i = width - 1; i >= 0; i--) this.bits.push(Math.floor(v / 2 ** i) % 2);
    return this;
  }

  int(value: number, width: number): this {
    const v = Math.round(value);
    return this.uint(v < 0 ? 2 ** width + v : v, width);
  }

  text(s: string, chars: number): this {
    const up = s.toUpperCase().padEnd(chars, '@').slice(0, chars);
    for (const ch of up) {
      const c = ch.charCodeAt(0);
      this.uint(c >= 64 && c < 96 ? c - 64 : c >= 32 && c < 64 ? c : 0, 6);
    }
    return this;
  }

  /** The 6-bit armoured payload and its fill-bit count. */
  armour(): { payload: string; fill: number } {
    const fill = (6 - (this.bits.length % 6)) % 6;
    const bits = [...this.bits, ...new Array<number>(fill).fill(0)];
    let payload = '';
    for (let i = 0; i < bits.length; i += 6) {
      let v = 0;
      for (let j = 0; j < 6; j++) v = v * 2 + bits[i + j]!;
      payload += String.fromCharCode(v < 40 ? v + 48 : v + 56);
    }
    return { payload, fill };
  }
}

export function nmeaChecksum(body: string): string {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x.toString(16).toUpperCase().padStart(2, '0');
}

let sequence = 0;

/** Splits a payload into !AIVDM sentences (at most 60 payload chars each). */
export function toSentences(bits: Bits, channel: 'A' | 'B' = 'A'): string[] {
  const { payload, fill } = bits.armour();
  const parts = Math.ceil(payload.length / 60);
  const seq = parts > 1 ? String((sequence = (sequence + 1) % 10)) : '';
  const out: string[] = [];
  for (let i = 0; i < parts; i++) {
    const chunk = payload.slice(i * 60, (i + 1) * 60);
    const body = `AIVDM,${parts},${i + 1},${seq},${channel},${chunk},${i === parts - 1 ? fill : 0}`;
    out.push(`!${body}*${nmeaChecksum(body)}`);
  }
  return out;
}

export interface AisPosition {
  mmsi: string;
  lat: number;
  lon: number;
  sogKn?: number;
  cog?: number;
  heading?: number;
  navStatus?: number; // 0 under way, 1 at anchor, 5 moored, 15 undefined
  second?: number;
}

const lonField = (lon: number) => Math.round(lon * 600000);
const latField = (lat: number) => Math.round(lat * 600000);
const sogField = (kn?: number) => (kn === undefined ? 1023 : Math.min(1022, Math.round(kn * 10)));
const cogField = (c?: number) => (c === undefined ? 3600 : Math.round(c * 10) % 3600);
const hdgField = (h?: number) => (h === undefined ? 511 : Math.round(h) % 360);

/** Class A position report (type 1). */
export function encodeType1(p: AisPosition): string[] {
  const b = new Bits()
    .uint(1, 6)
    .uint(0, 2)
    .uint(Number(p.mmsi), 30)
    .uint(p.navStatus ?? 15, 4)
    .int(-128, 8)
    .uint(sogField(p.sogKn), 10)
    .uint(0, 1)
    .int(lonField(p.lon), 28)
    .int(latField(p.lat), 27)
    .uint(cogField(p.cog), 12)
    .uint(hdgField(p.heading), 9)
    .uint(p.second ?? 60, 6)
    .uint(0, 2)
    .uint(0, 3)
    .uint(0, 1)
    .uint(0, 19);
  return toSentences(b);
}

/** Class B position report (type 18). */
export function encodeType18(p: AisPosition): string[] {
  const b = new Bits()
    .uint(18, 6)
    .uint(0, 2)
    .uint(Number(p.mmsi), 30)
    .uint(0, 8)
    .uint(sogField(p.sogKn), 10)
    .uint(0, 1)
    .int(lonField(p.lon), 28)
    .int(latField(p.lat), 27)
    .uint(cogField(p.cog), 12)
    .uint(hdgField(p.heading), 9)
    .uint(p.second ?? 60, 6)
    .uint(0, 2)
    .uint(1, 1)
    .uint(0, 1)
    .uint(0, 1)
    .uint(1, 1)
    .uint(0, 1)
    .uint(0, 1)
    .uint(0, 1)
    .uint(0, 20);
  return toSentences(b, 'B');
}

export interface AisStatic {
  mmsi: string;
  imo?: string;
  callSign: string;
  name: string;
  shipType: number;
  lengthM: number;
  beamM: number;
  draughtM?: number;
  destination?: string;
}

/** Class A static and voyage data (type 5, two sentences). */
export function encodeType5(s: AisStatic): string[] {
  const bow = Math.round(s.lengthM * 0.6),
    stern = Math.round(s.lengthM - bow);
  const port = Math.round(s.beamM / 2),
    starboard = Math.round(s.beamM - port);
  const b = new Bits()
    .uint(5, 6)
    .uint(0, 2)
    .uint(Number(s.mmsi), 30)
    .uint(0, 2)
    .uint(Number(s.imo ?? 0), 30)
    .text(s.callSign, 7)
    .text(s.name, 20)
    .uint(s.shipType, 8)
    .uint(Math.min(511, bow), 9)
    .uint(Math.min(511, stern), 9)
    .uint(Math.min(63, port), 6)
    .uint(Math.min(63, starboard), 6)
    .uint(1, 4)
    .uint(0, 4)
    .uint(0, 5)
    .uint(24, 5)
    .uint(60, 6) // ETA not available
    .uint(Math.round((s.draughtM ?? 0) * 10), 8)
    .text(s.destination ?? '', 20)
    .uint(0, 1)
    .uint(0, 1);
  return toSentences(b);
}

/** Class B static data (type 24 parts A and B). */
export function encodeType24(s: AisStatic): string[] {
  const a = new Bits().uint(24, 6).uint(0, 2).uint(Number(s.mmsi), 30).uint(0, 2).text(s.name, 20).uint(0, 8);
  const bow = Math.round(s.lengthM * 0.6),
    stern = Math.round(s.lengthM - bow);
  const b = new Bits()
    .uint(24, 6)
    .uint(0, 2)
    .uint(Number(s.mmsi), 30)
    .uint(1, 2)
    .uint(s.shipType, 8)
    .text('', 7)
    .text(s.callSign, 7)
    .uint(Math.min(511, bow), 9)
    .uint(Math.min(511, stern), 9)
    .uint(Math.min(63, Math.round(s.beamM / 2)), 6)
    .uint(Math.min(63, Math.round(s.beamM / 2)), 6)
    .uint(0, 6);
  return [...toSentences(a, 'B'), ...toSentences(b, 'B')];
}
