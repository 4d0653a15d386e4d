// Helpers for the AIS tests: build message bits field by field and wrap them in sentences.
import type { PositionReport } from '../../../lib/domain';
import type { IngestProtocol, IngestSink, VesselStatic } from '../types';
import { armour } from './bits';
import { buildSentence } from './nmea';

/** Bits of a message from [width, value] pairs, most significant bit first; negative values in two's complement. */
export function fieldBits(fields: [number, number][]): number[] {
  const out: number[] = [];
  for (const [width, value] of fields) {
    const v = value < 0 ? 2 ** width + value : value;
    for (let i = width - 1; i >= 0; i--) out.push(Math.floor(v / 2 ** i) % 2);
  }
  return out;
}

/** Six-bit text field of `chars` characters ('@'-padded), as [6, code] pairs. */
export function textFields(text: string, chars: number): [number, number][] {
  const table = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';
  const out: [number, number][] = [];
  for (let i = 0; i < chars; i++) out.push([6, i < text.length ? Math.max(0, table.indexOf(text[i]!)) : 0]);
  return out;
}

/** The sentences of one message: split every `perSentence` payload characters when longer. */
export function sentencesFor(bits: number[], opts: { channel?: string; id?: string; perSentence?: number; talker?: string; tags?: (string | undefined)[] } = {}): string[] {
  const { payload, fill } = armour(bits);
  const per = opts.perSentence ?? 60;
  const parts: string[] = [];
  for (let i = 0; i < payload.length; i += per) parts.push(payload.slice(i, i + per));
  return parts.map((p, k) =>
    buildSentence(
      {
        talker: opts.talker,
        count: parts.length,
        num: k + 1,
        id: parts.length > 1 ? (opts.id ?? '1') : '',
        channel: opts.channel ?? 'A',
        payload: p,
        fill: k === parts.length - 1 ? fill : 0,
      },
      opts.tags?.[k],
    ),
  );
}

/** A type 1 position report's bits (raw units: lon/lat in 1/10000 minute, sog/cog in tenths). */
export function type1Bits(f: {
  mmsi: number;
  status?: number;
  rot?: number;
  sog?: number;
  lon: number;
  lat: number;
  cog?: number;
  heading?: number;
  second?: number;
  type?: number;
}): number[] {
  return fieldBits([
    [6, f.type ?? 1],
    [2, 0],
    [30, f.mmsi],
    [4, f.status ?? 0],
    [8, f.rot ?? 0],
    [10, f.sog ?? 0],
    [1, 1],
    [28, f.lon],
    [27, f.lat],
    [12, f.cog ?? 0],
    [9, f.heading ?? 0],
    [6, f.second ?? 0],
    [2, 0],
    [3, 0],
    [1, 0],
    [19, 0],
  ]);
}

/** A type 5 static and voyage message's bits. */
export function type5Bits(f: {
  mmsi: number;
  imo?: number;
  callsign?: string;
  name?: string;
  shiptype?: number;
  dims?: [number, number, number, number];
  eta?: [number, number, number, number];
  draught?: number;
  destination?: string;
}): number[] {
  const [bow, stern, port, stbd] = f.dims ?? [0, 0, 0, 0];
  const [mo, d, h, mi] = f.eta ?? [0, 0, 24, 60];
  return fieldBits([
    [6, 5],
    [2, 0],
    [30, f.mmsi],
    [2, 0],
    [30, f.imo ?? 0],
    ...textFields(f.callsign ?? '', 7),
    ...textFields(f.name ?? '', 20),
    [8, f.shiptype ?? 0],
    [9, bow],
    [9, stern],
    [6, port],
    [6, stbd],
    [4, 1],
    [4, mo],
    [5, d],
    [5, h],
    [6, mi],
    [8, f.draught ?? 0],
    ...textFields(f.destination ?? '', 20),
    [1, 0],
    [1, 0],
  ]);
}

/** A sink that keeps what it is given. */
export function recordingSink() {
  const positions: PositionReport[] = [];
  const statics: VesselStatic[] = [];
  const rejected: { protocol: IngestProtocol; reason: string; sample?: string }[] = [];
  const ignored: string[] = [];
  const sink: IngestSink = {
    position: (r) => positions.push(r),
    vesselStatic: (s) => statics.push(s),
    rejected: (protocol, reason, sample) => rejected.push({ protocol, reason, sample }),
    ignored: (_p, what) => ignored.push(what),
  };
  return { sink, positions, statics, rejected, ignored };
}
