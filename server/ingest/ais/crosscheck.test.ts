// Cross-check against the npm decoder `aisparser` on the real logs it ships (AISHub and Panama
// Canal recordings, ~115k lines): for every single-sentence position message both decode,
// lat/lon/sog/cog agree; where one side has no value the reason must be one of our documented
// rules (out-of-range positions and "not available" codes are absent here, a number there).
// Multi-sentence messages: ours completes at least as many as aisparser, with the same content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AisAssembler } from './assembler';
import type { AisMessage } from './messages';
import { parseSentence } from './nmea';

const require = createRequire(import.meta.url);
// aisparser is CommonJS without types: only what this test reads of it.
interface AisParserResult {
  valid: string;
  aisType: number;
  mmsi: number;
  latitude: number;
  longitude: number;
  sog: number;
  cog: number;
  name: string;
  callSign: string;
}
const AisParser = require('aisparser') as new (opts: { checksum: boolean }) => { parse(line: string): AisParserResult };
const dataDir = join(dirname(require.resolve('aisparser/package.json')), 'test-data');
const FILES = ['ais00835.log', 'ais28736.log', 'nmea-sample'];

const POSITION_TYPES = new Set([1, 2, 3, 4, 18, 19, 21, 27]);
// aisparser's six-bit table has '"' (34) and "'" (39) the wrong way round (ITU-R M.1371 table 47,
// gpsd and we agree); and it keeps trailing spaces.
const theirText = (s: string) => s.replace(/[@ ]+$/, '').replace(/['"]/g, (q) => (q === '"' ? "'" : '"'));

interface Counts {
  lines: number;
  singlePositionBoth: number;
  valuesCompared: number;
  agreedAbsent: number;
  documented: Record<string, number>;
  mismatches: string[];
  multiOurs: number;
  multiTheirs: number;
  multiBoth: number;
  multiContentMismatch: string[];
  maxFragmentGap: number;
}

function crossCheck(file: string, lines: string[]): Counts {
  const c: Counts = {
    lines: lines.length,
    singlePositionBoth: 0,
    valuesCompared: 0,
    agreedAbsent: 0,
    documented: {},
    mismatches: [],
    multiOurs: 0,
    multiTheirs: 0,
    multiBoth: 0,
    multiContentMismatch: [],
    maxFragmentGap: 0,
  };
  const doc = (k: string) => {
    c.documented[k] = (c.documented[k] ?? 0) + 1;
  };
  let got: AisMessage[] = [];
  const ours = new AisAssembler({ message: (m) => got.push(m), rejected: () => {} });
  const theirs = new AisParser({ checksum: true });
  const firstPartLine = new Map<string, number>();

  lines.forEach((line, i) => {
    got = [];
    ours.push(line, 1_700_000_000_000);
    const mine = got[0];
    const r = theirs.parse(line);
    const s = parseSentence(line);
    const count = s.kind === 'vdm' ? s.sentence.fragmentCount : 1;
    if (s.kind === 'vdm' && count > 1) {
      const key = `${s.sentence.channel}|${s.sentence.messageId}`;
      if (s.sentence.fragmentNumber === 1) firstPartLine.set(key, i);
      else if (s.sentence.fragmentNumber === count && firstPartLine.has(key)) {
        c.maxFragmentGap = Math.max(c.maxFragmentGap, i - firstPartLine.get(key)!);
        firstPartLine.delete(key);
      }
    }
    if (count > 1) {
      if (mine) c.multiOurs++;
      if (r.valid === 'VALID') c.multiTheirs++;
      if (mine && r.valid === 'VALID') {
        c.multiBoth++;
        if (Number(mine.mmsi) !== r.mmsi || mine.type !== r.aisType) c.multiContentMismatch.push(`${file}:${i + 1} ${mine.type}/${mine.mmsi} vs ${r.aisType}/${r.mmsi}`);
        else if (mine.type === 5 && ((mine.shipname ?? '') !== theirText(r.name) || (mine.callsign ?? '') !== theirText(r.callSign))) {
          c.multiContentMismatch.push(`${file}:${i + 1} type 5 name/callsign ${mine.shipname}/${mine.callsign} vs ${r.name}/${r.callSign}`);
        }
      }
      return;
    }
    if (!mine || r.valid !== 'VALID' || !POSITION_TYPES.has(mine.type) || !('lat' in mine)) return;
    c.singlePositionBoth++;
    const where = `${file}:${i + 1} type ${mine.type} ${mine.mmsi}`;
    if (Number(mine.mmsi) !== r.mmsi || mine.type !== r.aisType) {
      c.mismatches.push(`${where}: header ${r.aisType}/${r.mmsi}`);
      return;
    }
    const pairs: [string, number | undefined, number, number][] = [
      ['lat', mine.lat, r.latitude, 1e-4],
      ['lon', mine.lon, r.longitude, 1e-4],
      ['sog', 'sog' in mine ? mine.sog : undefined, r.sog, 0.1],
      ['cog', 'cog' in mine ? mine.cog : undefined, r.cog, 0.1],
    ];
    for (const [field, a, b, tol] of pairs) {
      if (field === 'sog' || field === 'cog') if (!('sog' in mine)) continue; // types 4 and 21 carry none
      c.valuesCompared++;
      if (a !== undefined && Number.isFinite(b)) {
        if (Math.abs(a - b) > tol) c.mismatches.push(`${where} ${field}: ours ${a}, aisparser ${b}`);
        continue;
      }
      if (a === undefined && !Number.isFinite(b)) {
        c.agreedAbsent++;
        continue;
      }
      // One side has a value, the other none: only for the reasons documented in messages.ts.
      if (a === undefined && field === 'lat' && Math.abs(b) > 90) doc('lat out of range → absent');
      else if (a === undefined && field === 'lon' && Math.abs(b) > 180) doc('lon out of range → absent');
      else if (a === undefined && field === 'cog' && b >= 360) doc('cog ≥ 360 (not available / invalid) → absent');
      else if (a === undefined && field === 'sog' && mine.type === 27 && b === 63) doc('type 27 sog 63 (not available) → absent');
      else if (a === 102.2 && field === 'sog' && Number.isNaN(b)) doc('sog code 1022 = "102.2 kn or more": 102.2 here, NaN in aisparser');
      else c.mismatches.push(`${where} ${field}: ours ${a}, aisparser ${b}`);
    }
  });
  ours.flush();
  return c;
}

for (const file of FILES) {
  test(`aisparser cross-check on its ${file}`, (t) => {
    const lines = readFileSync(join(dataDir, file), 'latin1')
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l !== '');
    const c = crossCheck(file, lines);
    t.diagnostic(JSON.stringify({ file, ...c, mismatches: c.mismatches.length, multiContentMismatch: c.multiContentMismatch.length }));
    assert.deepEqual(c.mismatches.slice(0, 20), []);
    assert.ok(c.singlePositionBoth > 0);
    assert.ok(c.multiOurs >= c.multiTheirs, `multi-part: ours ${c.multiOurs} < aisparser ${c.multiTheirs}`);
    assert.deepEqual(c.multiContentMismatch.slice(0, 20), []);
  });
}
