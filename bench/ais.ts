// bench/ais: AIS sentences decoded per second, our decoder against the npm package `aisparser`
// on the same lines in the same run: aisparser's bundled real logs (AISHub and Panama Canal
// recordings), repeated to ~200k lines. "Messages" are complete AIS messages (any type) each side returns. Ours runs the server's path (AisDecoder: checksum,
// tag blocks, multi-part reassembly, full decode, PositionReport / VesselStatic to a sink);
// aisparser parses with its checksum on and reads the fields a report needs (it decodes lazily,
// on access). Each side runs 5 rounds, alternating; the best round counts.
// Prints one JSON line.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AisDecoder } from '../server/ingest/ais/decoder';
import type { IngestSink } from '../server/ingest/types';

const require = createRequire(import.meta.url);
interface AisParserResult {
  valid: string;
  aisType: number;
  mmsi: number;
  latitude: number;
  longitude: number;
  sog: number;
  cog: number;
  heading: number;
  name: string;
  callSign: string;
  shipType: number;
  destination: string;
}
const AisParser = require('aisparser') as new (opts: { checksum: boolean }) => { parse(line: string): AisParserResult };

const TARGET_LINES = Number(process.env.BENCH_LINES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const dataDir = join(dirname(require.resolve('aisparser/package.json')), 'test-data');
const base = ['ais00835.log', 'ais28736.log', 'nmea-sample']
  .flatMap((f) => readFileSync(join(dataDir, f), 'latin1').split('\n'))
  .map((l) => l.replace(/\r$/, ''))
  .filter((l) => l !== '');
const lines: string[] = [];
while (lines.length < TARGET_LINES) lines.push(...base.slice(0, TARGET_LINES - lines.length));

let sinkCount = 0; // positions and static updates handed on in the last round
const sink: IngestSink = {
  position: () => {
    sinkCount++;
  },
  vesselStatic: () => {
    sinkCount++;
  },
  rejected: () => {},
  ignored: () => {},
};

function ours(): { seconds: number; messages: number } {
  let messages = 0;
  sinkCount = 0;
  const decoder = new AisDecoder({
    sink,
    onMessage: () => {
      messages++;
    },
  });
  const now = Date.now();
  const t = performance.now();
  for (let i = 0; i < lines.length; i++) decoder.push(lines[i]!, now);
  decoder.flush();
  return { seconds: (performance.now() - t) / 1000, messages };
}

let sinkTheirs = 0;
const keep = (v: number) => {
  sinkTheirs += Number.isFinite(v) ? v : 1;
};
function theirs(): { seconds: number; messages: number } {
  const parser = new AisParser({ checksum: true });
  let messages = 0;
  const t = performance.now();
  for (let i = 0; i < lines.length; i++) {
    const r = parser.parse(lines[i]!);
    if (r.valid !== 'VALID') continue;
    messages++;
    try {
      const type = r.aisType;
      if (type === 1 || type === 2 || type === 3 || type === 18 || type === 19 || type === 27) {
        keep(r.mmsi);
        keep(r.latitude);
        keep(r.longitude);
        keep(r.sog);
        keep(r.cog);
        if (type !== 27) keep(r.heading);
      }
      if (type === 5 || type === 19 || type === 24) {
        keep(r.name.length);
        keep(r.callSign.length);
        keep(r.shipType);
        if (type === 5) keep(r.destination.length);
      }
    } catch {
      /* aisparser throws on some short messages when a field is read */
    }
  }
  return { seconds: (performance.now() - t) / 1000, messages };
}

// Warm up both, then alternate rounds.
ours();
theirs();
let bestOurs = Infinity;
let bestTheirs = Infinity;
let oursMessages = 0;
let theirMessages = 0;
for (let r = 0; r < ROUNDS; r++) {
  const a = ours();
  const b = theirs();
  if (a.seconds < bestOurs) bestOurs = a.seconds;
  if (b.seconds < bestTheirs) bestTheirs = b.seconds;
  oursMessages = a.messages;
  theirMessages = b.messages;
}
const oursPerS = lines.length / bestOurs;
const theirsPerS = lines.length / bestTheirs;
console.log(
  JSON.stringify({
    bench: 'ais',
    lines: lines.length,
    ours_per_s: Math.round(oursPerS),
    aisparser_per_s: Math.round(theirsPerS),
    ratio: Number((oursPerS / theirsPerS).toFixed(2)),
    ours_messages: oursMessages,
    aisparser_messages: theirMessages,
    ours_sink_calls: sinkCount,
  }),
);
// Keeps the values aisparser computed observable, so that no engine can drop the reads.
if (!Number.isFinite(sinkTheirs)) console.error(`aisparser read a non-finite sum: ${sinkTheirs}`);
