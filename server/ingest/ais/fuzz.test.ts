// Property tests (fast-check): random strings, random bytes and mutations of real sentences never
// make the decoder throw or hang, never decode into a different message, and a good sentence
// after the junk still decodes; any chunking of a real stream through the framer gives the same
// messages as feeding it line by line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { AisAssembler } from './assembler';
import { AisDecoder } from './decoder';
import { LineFramer } from './framer';
import type { AisMessage } from './messages';
import { recordingSink } from './testing';

const dataDir = fileURLToPath(new URL('./testdata/', import.meta.url));
const realLines = readFileSync(dataDir + 'gpsd-ais-raw-messages.log', 'latin1')
  .split('\n')
  .filter((l) => l.startsWith('!'));
const singles = realLines.filter((l) => l.startsWith('!AIVDM,1,1,'));
const GOOD = '!AIVDM,1,1,,B,13U4vF0P001d<UnEeSmQ>gv`04hd,0*4C';
const GOOD_LAT = 22766550 / 600000;

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

function decodeLines(lines: string[]): AisMessage[] {
  const out: AisMessage[] = [];
  const a = new AisAssembler({ message: (m) => out.push(m), rejected: () => {} });
  for (const l of lines) a.push(l, 1_700_000_000_000);
  return out;
}

/** The decoder takes the junk, then decodes the good sentence right after it. */
function junkThenGood(junk: string[]): void {
  const { sink, positions } = recordingSink();
  const d = new AisDecoder({ sink });
  for (const j of junk) d.push(j, 1_700_000_000_000);
  const before = positions.length;
  d.push(GOOD, 1_700_000_000_000);
  assert.equal(positions.length, before + 1);
  assert.ok(Math.abs(positions.at(-1)!.lat - GOOD_LAT) < 1e-9);
}

const stringUnits = ['grapheme', 'binary', 'binary-ascii', 'grapheme-ascii'] as const;
const nmeaish = fc.stringMatching(/^[!\\$]?[A-Z]{0,5}(,[0-9A-Za-z:;<=>?@`'*\\]{0,12}){0,9}(\*[0-9A-F]{0,2})?$/);

test('random strings never throw, and a good sentence after them still decodes', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(...stringUnits.map((unit) => fc.string({ unit, maxLength: 300 })), nmeaish), { maxLength: 20 }), (junk) => junkThenGood(junk)),
    { numRuns: RUNS },
  );
});

test('random bytes through the framer never throw; the framer never holds more than its limit', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 10 }), (chunks) => {
      const { sink, positions } = recordingSink();
      const d = new AisDecoder({ sink });
      const framer = new LineFramer({ line: (l) => d.push(l, 1), oversize: (s) => d.oversize(s) }, 1024);
      for (const c of chunks) {
        framer.push(Buffer.from(c));
        assert.ok(framer.buffered <= 1024);
      }
      framer.push(`\n${GOOD}\n`);
      assert.ok(positions.length >= 1);
      assert.ok(Math.abs(positions.at(-1)!.lat - GOOD_LAT) < 1e-9);
    }),
    { numRuns: RUNS },
  );
});

type Mutation =
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; field: number }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'swap'; at: number };

function mutate(line: string, m: Mutation): string {
  const at = (n: number) => n % Math.max(1, line.length);
  switch (m.kind) {
    case 'flip':
      return line.slice(0, at(m.at)) + m.char + line.slice(at(m.at) + 1);
    case 'truncate':
      return line.slice(0, at(m.at));
    case 'delete':
      return line.slice(0, at(m.at)) + line.slice(at(m.at) + 1);
    case 'insert':
      return line.slice(0, at(m.at)) + m.text + line.slice(at(m.at));
    case 'swap': {
      const i = at(m.at);
      return i + 1 < line.length ? line.slice(0, i) + line[i + 1] + line[i] + line.slice(i + 2) : line;
    }
    case 'duplicate': {
      const f = line.split(',');
      const k = m.field % f.length;
      f.splice(k, 0, f[k]!);
      return f.join(',');
    }
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), field: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
);

test('one mutation of a real sentence (flip, truncate, duplicate a field, delete, insert): rejected or the very same message, never another', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.constantFrom(...singles), mutation, (line, m) => {
      const original = decodeLines([line]);
      assert.equal(original.length, 1);
      const mutated = mutate(line, m);
      const got = decodeLines([mutated]);
      if (got.length === 0) return;
      // What may still decode is the same message: a hex digit's case, '$' for '!', … The NMEA XOR
      // checksum cannot see two swapped characters or an inserted pair that XORs to zero ("00"), so
      // those are only required not to throw.
      const checksumBlind = m.kind === 'swap' || (m.kind === 'insert' && m.text.length > 1);
      if (!checksumBlind) assert.deepEqual(got, original, `${line} → ${mutated}`);
    }),
    { numRuns: RUNS * 3 },
  );
});

test('several mutations of real (also multi-part) sentences, then a good one: no throw, the good one decodes', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...realLines), fc.array(mutation, { maxLength: 3 })), { maxLength: 30 }), (items) => {
      junkThenGood(items.map(([line, ms]) => ms.reduce(mutate, line)));
    }),
    { numRuns: RUNS },
  );
});

test('any chunking of a real stream through the framer gives the same messages as line by line', { timeout: 120_000 }, () => {
  const lines = realLines.slice(0, 60);
  const expected = decodeLines(lines);
  assert.ok(expected.length > 50);
  fc.assert(
    fc.property(fc.array(fc.constantFrom('\n', '\r\n'), { minLength: lines.length, maxLength: lines.length }), fc.array(fc.nat(), { maxLength: 40 }), (ends, cuts) => {
      const text = lines.map((l, i) => l + ends[i]).join('');
      const at = [...new Set(cuts.map((c) => c % text.length))].sort((a, b) => a - b);
      const got: AisMessage[] = [];
      const a = new AisAssembler({ message: (m) => got.push(m), rejected: () => assert.fail('nothing is rejected') });
      const framer = new LineFramer({ line: (l) => a.push(l, 1_700_000_000_000), oversize: () => assert.fail('no line is oversize') });
      let from = 0;
      for (const cut of [...at, text.length]) {
        framer.push(Buffer.from(text.slice(from, cut), 'latin1'));
        from = cut;
      }
      framer.end();
      assert.deepEqual(got, expected);
    }),
    { numRuns: RUNS },
  );
});

test('framer: an oversize line is refused once and skipped to the next line end, across chunks', () => {
  const lines: string[] = [];
  const over: string[] = [];
  const f = new LineFramer({ line: (l) => lines.push(l), oversize: (s) => over.push(s) }, 100);
  f.push('A'.repeat(60));
  f.push('B'.repeat(60)); // 120 > 100: refused here
  f.push('C'.repeat(500));
  assert.equal(f.buffered, 0);
  f.push('D\nshort\r\n');
  f.push(`${'E'.repeat(150)}\nok`);
  f.end();
  assert.deepEqual(lines, ['short', 'ok']);
  assert.equal(over.length, 2);
  assert.ok(over.every((s) => s.length <= 200));
});
