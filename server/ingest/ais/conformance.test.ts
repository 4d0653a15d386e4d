// Conformance against gpsd's own regression oracle: every sentence of gpsd's AIS test logs is
// decoded, and every field gpsd gives for types 1–5, 18, 19, 21, 24 and 27 is compared with ours
// (its "not available" codes against our absent fields). Every mismatch is listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AisAssembler, type AisRejectReason } from './assembler';
import { AIS_DECODED_TYPES, type AisMessage } from './messages';

const dataDir = fileURLToPath(new URL('./testdata/', import.meta.url));
const read = (name: string) => readFileSync(dataDir + name, 'latin1');

/** Sentences of a gpsd log: comments dropped, gpsd's literal `\x0d\x0a` line ends expanded. */
function sentences(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\\x0d\\x0a/g, ''));
}

function decodeAll(lines: string[]) {
  const messages: AisMessage[] = [];
  const rejected: { reason: AisRejectReason; detail: string; sample: string }[] = [];
  const a = new AisAssembler({
    message: (m) => messages.push(m),
    rejected: (reason, detail, sample) => rejected.push({ reason, detail, sample }),
  });
  for (const l of lines) a.push(l, 1_700_000_000_000);
  a.flush();
  return { messages, rejected };
}

type Gpsd = Record<string, unknown>;
type Field = { gpsd: string; ours: string; check: (g: unknown, m: AisMessage, scaled: boolean) => string | null };

const get = (m: AisMessage, k: string): unknown => (m as unknown as Record<string, unknown>)[k];
const fmt = (v: unknown) => JSON.stringify(v);

/** Plain equality; `na` lists gpsd's values that mean "not available" (ours must then be absent). */
function same(ours: string, na: unknown[] = [], map: (g: unknown) => unknown = (g) => g): Field['check'] {
  return (g, m) => {
    const o = get(m, ours);
    if (na.includes(g)) return o === undefined ? null : `gpsd n/a ${fmt(g)}, ours ${fmt(o)}`;
    return map(g) === o ? null : `gpsd ${fmt(g)}, ours ${fmt(o)}`;
  };
}
const str =
  (ours: string): Field['check'] =>
  (g, m) => {
    const o = get(m, ours) ?? '';
    return g === o ? null : `gpsd ${fmt(g)}, ours ${fmt(get(m, ours))}`;
  };
const bool =
  (ours: string): Field['check'] =>
  (g, m) =>
    Boolean(g) === get(m, ours) ? null : `gpsd ${fmt(g)}, ours ${fmt(get(m, ours))}`;

/** A number gpsd gives raw (unscaled) as `raw × unit`, or scaled; n/a codes and out-of-range values against our absence. */
function num(ours: string, opts: { unit: number; naRaw?: number[]; naScaled?: number[]; tol?: number; valid?: (v: number) => boolean }): Field['check'] {
  return (g, m, scaled) => {
    const o = get(m, ours) as number | undefined;
    const gv = Number(g);
    const na = scaled ? (opts.naScaled ?? []).some((n) => Math.abs(n - gv) < 1e-9) : (opts.naRaw ?? []).includes(gv);
    const value = scaled ? gv : gv * opts.unit;
    if (na || (opts.valid && !opts.valid(value))) return o === undefined ? null : `gpsd not available/out of range ${fmt(g)}, ours ${fmt(o)}`;
    if (o === undefined) return `gpsd ${fmt(g)}, ours absent`;
    const tol = scaled ? (opts.tol ?? 1e-9) : 1e-9;
    return Math.abs(o - value) <= tol ? null : `gpsd ${fmt(g)} (${value}), ours ${o}`;
  };
}

const lonValid = (v: number) => v >= -180 && v <= 180;
const latValid = (v: number) => v >= -90 && v <= 90;
const lon = num('lon', { unit: 1 / 600000, naRaw: [181 * 600000], naScaled: [181], tol: 1e-6, valid: lonValid });
const lat = num('lat', { unit: 1 / 600000, naRaw: [91 * 600000], naScaled: [91], tol: 1e-6, valid: latValid });
const speed = num('sog', { unit: 0.1, naRaw: [1023], naScaled: [102.3], tol: 0.05 });
const course = num('cog', { unit: 0.1, naRaw: [3600], naScaled: [360], tol: 0.05, valid: (v) => v < 360 });
const heading = same('heading', [], (g) => (Number(g) >= 360 ? undefined : g));
const second = same('timestampSec', [], (g) => (Number(g) >= 60 ? undefined : g));
const epfd = same('epfd', [0]);
const dims = ['to_bow:toBow', 'to_stern:toStern', 'to_port:toPort', 'to_starboard:toStarboard'].map((p) => {
  const [g, o] = p.split(':') as [string, string];
  return { gpsd: g, ours: o, check: same(o) };
});

/** gpsd's scaled "turn": "n/a", "fastleft", "fastright" or degrees/min as text; unscaled: ROT as sent. */
const turn: Field['check'] = (g, m, scaled) => {
  const raw = get(m, 'rotRaw') as number | undefined;
  const rot = get(m, 'rot') as number | undefined;
  if (!scaled) return (g === -128 ? raw === undefined : g === raw) ? null : `gpsd ${fmt(g)}, ours rotRaw ${fmt(raw)}`;
  if (g === 'n/a' || g === 'nan') return raw === undefined ? null : `gpsd n/a, ours rotRaw ${raw}`;
  if (g === 'fastleft') return raw === -127 ? null : `gpsd fastleft, ours rotRaw ${fmt(raw)}`;
  if (g === 'fastright') return raw === 127 ? null : `gpsd fastright, ours rotRaw ${fmt(raw)}`;
  return rot !== undefined && Math.abs(Number(g) - rot) <= 0.1 ? null : `gpsd ${fmt(g)}, ours rot ${fmt(rot)}`;
};

/** gpsd's type 4 "timestamp" YYYY-MM-DDTHH:MM:SSZ, its n/a codes (0, 0, 0, 24, 60, 60) against our absent parts. */
const timestamp: Field['check'] = (g, m) => {
  const p = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)Z$/.exec(String(g));
  if (!p) return `gpsd timestamp ${fmt(g)} unparsed`;
  const [y, mo, d, h, mi, s] = p.slice(1).map(Number) as [number, number, number, number, number, number];
  const want = {
    year: y === 0 ? undefined : y,
    month: mo >= 1 && mo <= 12 ? mo : undefined,
    day: d >= 1 && d <= 31 ? d : undefined,
    hour: h <= 23 ? h : undefined,
    minute: mi <= 59 ? mi : undefined,
    second: s <= 59 ? s : undefined,
  };
  const bad = Object.entries(want).filter(([k, v]) => get(m, k) !== v);
  return bad.length === 0 ? null : `timestamp ${fmt(g)}: ${bad.map(([k, v]) => `${k} gpsd ${fmt(v)} ours ${fmt(get(m, k))}`).join(', ')}`;
};

/** gpsd's type 5 "eta" MM-DDTHH:MMZ (n/a 00-00T24:60Z) against our eta parts. */
const eta: Field['check'] = (g, m) => {
  const p = /^(\d+)-(\d+)T(\d+):(\d+)Z$/.exec(String(g));
  if (!p) return `gpsd eta ${fmt(g)} unparsed`;
  const [mo, d, h, mi] = p.slice(1).map(Number) as [number, number, number, number];
  const want = { month: mo >= 1 && mo <= 12 ? mo : undefined, day: d >= 1 && d <= 31 ? d : undefined, hour: h <= 23 ? h : undefined, minute: mi <= 59 ? mi : undefined };
  const ours = (get(m, 'eta') ?? {}) as Record<string, unknown>;
  const bad = Object.entries(want).filter(([k, v]) => ours[k] !== v);
  return bad.length === 0 ? null : `eta ${fmt(g)}: ${bad.map(([k, v]) => `${k} gpsd ${fmt(v)} ours ${fmt(ours[k])}`).join(', ')}`;
};

const f = (gpsd: string, ours: string, check: Field['check']): Field => ({ gpsd, ours, check });

const FIELDS: Record<number, Field[]> = {
  1: [
    f('status', 'navStatus', same('navStatus', [15])),
    f('turn', 'rot/rotRaw', turn),
    f('speed', 'sog', speed),
    f('accuracy', 'accuracy', bool('accuracy')),
    f('lon', 'lon', lon),
    f('lat', 'lat', lat),
    f('course', 'cog', course),
    f('heading', 'heading', heading),
    f('second', 'timestampSec', second),
    f('maneuver', 'maneuver', same('maneuver')),
    f('raim', 'raim', bool('raim')),
    f('radio', 'radio', same('radio')),
  ],
  4: [
    f('timestamp', 'year…second', timestamp),
    f('accuracy', 'accuracy', bool('accuracy')),
    f('lon', 'lon', lon),
    f('lat', 'lat', lat),
    f('epfd', 'epfd', epfd),
    f('raim', 'raim', bool('raim')),
    f('radio', 'radio', same('radio')),
  ],
  5: [
    f('imo', 'imo', same('imo', [0])),
    f('ais_version', 'aisVersion', same('aisVersion')),
    f('callsign', 'callsign', str('callsign')),
    f('shipname', 'shipname', str('shipname')),
    f('shiptype', 'shiptype', same('shiptype', [0])),
    ...dims,
    f('epfd', 'epfd', epfd),
    f('eta', 'eta', eta),
    f('draught', 'draught', num('draught', { unit: 0.1, naRaw: [0], naScaled: [0], tol: 0.05 })),
    f('destination', 'destination', str('destination')),
    f('dte', 'dte', bool('dte')),
  ],
  18: [
    f('reserved', 'reserved', same('reserved')),
    f('speed', 'sog', speed),
    f('accuracy', 'accuracy', bool('accuracy')),
    f('lon', 'lon', lon),
    f('lat', 'lat', lat),
    f('course', 'cog', course),
    f('heading', 'heading', heading),
    f('second', 'timestampSec', second),
    f('regional', 'regional', same('regional')),
    ...['cs', 'display', 'dsc', 'band', 'msg22', 'assigned', 'raim'].map((k) => f(k, k, bool(k))),
    f('radio', 'radio', same('radio')),
  ],
  19: [
    f('reserved', 'reserved', same('reserved')),
    f('speed', 'sog', speed),
    f('accuracy', 'accuracy', bool('accuracy')),
    f('lon', 'lon', lon),
    f('lat', 'lat', lat),
    f('course', 'cog', course),
    f('heading', 'heading', heading),
    f('second', 'timestampSec', second),
    f('regional', 'regional', same('regional')),
    f('shipname', 'shipname', str('shipname')),
    f('shiptype', 'shiptype', same('shiptype', [0])),
    ...dims,
    f('epfd', 'epfd', epfd),
    f('raim', 'raim', bool('raim')),
    f('dte', 'dte', bool('dte')),
    f('assigned', 'assigned', bool('assigned')),
  ],
  21: [
    f('aid_type', 'aidType', same('aidType')),
    f('name', 'name', str('name')),
    f('accuracy', 'accuracy', bool('accuracy')),
    f('lon', 'lon', lon),
    f('lat', 'lat', lat),
    ...dims,
    f('epfd', 'epfd', epfd),
    f('second', 'timestampSec', second),
    f('regional', 'regional', same('regional')),
    f('off_position', 'offPosition', bool('offPosition')),
    f('raim', 'raim', bool('raim')),
    f('virtual_aid', 'virtualAid', bool('virtualAid')),
    f('assigned', 'assigned', bool('assigned')),
  ],
  24: [
    f('shipname', 'shipname (part A)', str('shipname')),
    f('shiptype', 'shiptype', same('shiptype', [0])),
    f('vendorid', 'vendorid', str('vendorid')),
    f('model', 'model', same('model')),
    f('serial', 'serial', same('serial')),
    f('callsign', 'callsign', str('callsign')),
    ...dims,
    f('mothership_mmsi', 'mothershipMmsi', (g, m) => (String(g).padStart(9, '0') === get(m, 'mothershipMmsi') ? null : `gpsd ${fmt(g)}, ours ${fmt(get(m, 'mothershipMmsi'))}`)),
  ],
  27: [
    f('status', 'navStatus', same('navStatus', [15])),
    f('accuracy', 'accuracy', bool('accuracy')),
    f('raim', 'raim', bool('raim')),
    f('lon', 'lon', num('lon', { unit: 1 / 600, naRaw: [181 * 600], naScaled: [181], tol: 1e-4, valid: lonValid })),
    f('lat', 'lat', num('lat', { unit: 1 / 600, naRaw: [91 * 600], naScaled: [91], tol: 1e-4, valid: latValid })),
    f('speed', 'sog', same('sog', [63])),
    f(
      'course',
      'cog',
      same('cog', [], (g) => (Number(g) >= 360 ? undefined : g)),
    ),
    f('gnss', 'gnss', bool('gnss')),
  ],
};
FIELDS[2] = FIELDS[1]!;
FIELDS[3] = FIELDS[1]!;

/** gpsd keys that are not fields of the message: its envelope and the text it derives from codes. */
const NOT_FIELDS = new Set(['class', 'device', 'type', 'repeat', 'mmsi', 'scaled']);

interface Outcome {
  compared: number;
  fields: Map<string, number>;
  mismatches: string[];
  oursOnly: string[];
}

/** Aligns gpsd's records with our messages (same type and MMSI, in order) and compares every field. */
function conform(file: string, ours: AisMessage[], gpsd: Gpsd[]): Outcome {
  const out: Outcome = { compared: 0, fields: new Map(), mismatches: [], oursOnly: [] };
  let at = 0;
  const lastPartA = new Map<string, AisMessage>();
  for (const g of gpsd) {
    const type = Number(g.type);
    const mmsi = String(g.mmsi).padStart(9, '0');
    let found: AisMessage | undefined;
    while (at < ours.length) {
      const m = ours[at++]!;
      if (m.type === 24 && m.partno === 0) lastPartA.set(m.mmsi, m);
      const gpsdEmits = !(m.type === 24 && m.partno === 0); // gpsd emits a 24 only with its part B
      if (m.type === type && m.mmsi === mmsi && gpsdEmits) {
        found = m;
        break;
      }
      if (gpsdEmits) out.oursOnly.push(`${file}: type ${m.type} ${m.mmsi}`);
    }
    if (!found) {
      out.mismatches.push(`${file}: gpsd decoded type ${type} ${mmsi}; we did not`);
      at = 0;
      continue;
    }
    if (!AIS_DECODED_TYPES.has(type)) continue;
    let m = found;
    if (m.type === 24) {
      const a = lastPartA.get(m.mmsi);
      m = { ...m, shipname: a?.type === 24 ? a.shipname : undefined };
    }
    if (g.repeat !== m.repeat) out.mismatches.push(`${file}: type ${type} ${mmsi} repeat: gpsd ${fmt(g.repeat)}, ours ${m.repeat}`);
    const fields = FIELDS[type]!;
    for (const key of Object.keys(g)) {
      if (NOT_FIELDS.has(key) || key.endsWith('_text')) continue;
      const field = fields.find((x) => x.gpsd === key);
      if (!field) {
        out.mismatches.push(`${file}: type ${type} ${mmsi}: gpsd field ${key} has no counterpart`);
        continue;
      }
      out.compared++;
      out.fields.set(`${type}.${key}`, (out.fields.get(`${type}.${key}`) ?? 0) + 1);
      const bad = field.check(g[key], m, g.scaled === true);
      if (bad) out.mismatches.push(`${file}: type ${type} ${mmsi} ${key}→${field.ours}: ${bad}`);
    }
  }
  return out;
}

const jsonLines = (text: string): Gpsd[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Gpsd);

const CASES = [
  { log: 'gpsd-ais-raw-messages.log', chk: 'gpsd-ais-raw-messages.log.chk' },
  { log: 'gpsd-ais-18-27.log', chk: 'gpsd-ais-18-27.log.chk' },
  { log: 'gpsd-sample.aivdm', chk: 'gpsd-sample.aivdm.js.chk' },
];

for (const c of CASES) {
  test(`gpsd conformance: ${c.log} — every field gpsd gives, every message`, (t) => {
    const lines = sentences(read(c.log));
    const { messages, rejected } = decodeAll(lines);
    const gpsd = jsonLines(read(c.chk));
    const r = conform(c.log, messages, gpsd);
    const decodedTypes = gpsd.filter((g) => AIS_DECODED_TYPES.has(Number(g.type))).length;
    t.diagnostic(
      `${lines.length} sentences → ${messages.length} messages; gpsd records ${gpsd.length} (${decodedTypes} of our full types); ${r.compared} field values compared; ${r.mismatches.length} mismatches`,
    );
    t.diagnostic(`fields compared: ${[...r.fields.keys()].join(' ')}`);
    if (r.oursOnly.length) t.diagnostic(`decoded by us, not emitted by gpsd: ${r.oursOnly.join('; ')}`);
    const reasons = new Map<string, number>();
    for (const x of rejected) reasons.set(`${x.reason} (${x.detail})`, (reasons.get(`${x.reason} (${x.detail})`) ?? 0) + 1);
    if (rejected.length) t.diagnostic(`rejected: ${[...reasons].map(([k, n]) => `${n} × ${k}`).join('; ')}`);
    assert.deepEqual(r.mismatches, []);
    assert.ok(r.compared > 0);
  });
}

test('the comparison is not blind: one wrong field in any decoded type is reported', () => {
  const { messages } = decodeAll(sentences(read('gpsd-sample.aivdm')));
  const gpsd = jsonLines(read('gpsd-sample.aivdm.js.chk'));
  const base = conform('sample', messages, gpsd);
  assert.deepEqual(base.mismatches, []);
  const tweaks: [string, (m: Record<string, unknown>) => void][] = [
    [
      'lat',
      (m) => {
        m.lat = (m.lat as number) + 0.001;
      },
    ],
    [
      'sog',
      (m) => {
        m.sog = (m.sog as number) + 0.2;
      },
    ],
    [
      'heading',
      (m) => {
        m.heading = 7;
      },
    ],
    [
      'shipname',
      (m) => {
        m.shipname = 'X';
      },
    ],
    [
      'raim',
      (m) => {
        m.raim = !m.raim;
      },
    ],
  ];
  for (const [key, tweak] of tweaks) {
    for (const type of [1, 5, 18, 19, 21, 24, 27]) {
      const i = messages.findIndex((m) => m.type === type && key in m && (m as unknown as Record<string, unknown>)[key] !== undefined && !(m.type === 24 && m.partno === 0));
      if (i < 0) continue;
      const copy = messages.map((m, j) => (j === i ? { ...m } : m));
      tweak(copy[i] as unknown as Record<string, unknown>);
      const r = conform('sample', copy, gpsd);
      assert.ok(r.mismatches.length > 0, `a wrong ${key} in type ${type} went unnoticed`);
    }
  }
});

test('gpsd conformance: the 24 part B sentences gpsd rejects (part number 3) are rejected by us too, and so is the sentence without "!"', () => {
  const { rejected } = decodeAll(sentences(read('gpsd-ais-18-27.log')));
  assert.ok(rejected.length > 0);
  assert.ok(
    rejected.every((r) => r.reason === 'payload' && /type 24 part 3/.test(r.detail)),
    JSON.stringify(rejected[0]),
  );
  const sample = decodeAll(sentences(read('gpsd-sample.aivdm')));
  assert.deepEqual(
    sample.rejected.map((r) => r.reason),
    ['format'],
  );
  assert.match(sample.rejected[0]!.sample, /^AIVDM,2,2,1,B/);
});

test('pyais sample: every sentence decodes except the empty ones and the multi-part messages whose later parts are not in the file', () => {
  const lines = read('pyais-nmea_data_sample.txt').split('\n');
  const { messages, rejected } = decodeAll(lines);
  const empty = lines.filter((l) => /^!AIVDM,1,1,,[AB],,0\*2[56]/.test(l)).length;
  const orphanFirstParts = lines.filter((l) => /^!AIVDM,2,1,/.test(l)).length;
  const single = lines.filter((l) => /^!AIVDM,1,1,/.test(l)).length;
  assert.equal(messages.length, single - empty);
  assert.equal(rejected.filter((r) => r.reason === 'payload' && r.detail === 'empty payload').length, empty);
  assert.equal(rejected.filter((r) => r.reason === 'fragment').length, orphanFirstParts);
  assert.equal(rejected.length, empty + orphanFirstParts);
  // Positions all plausible.
  for (const m of messages) {
    if ('lat' in m && m.lat !== undefined) assert.ok(Math.abs(m.lat) <= 90 && Math.abs(m.lon!) <= 180);
  }
});
