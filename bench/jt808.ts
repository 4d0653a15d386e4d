// bench/jt808: JT/T 808 location reports per second through the binary path (TCP-sized chunks →
// framing, unescaping, check code, header, 0x0200 decode, 0x8001 reply encoding, metrics →
// PositionReport), with
//   (a) a sink that only counts, and
//   (b) a sink that validates each report with PositionReportSchema.safeParse (the pipeline's edge);
// against a baseline in the same run: JSON.parse of the equivalent JSON report per fix, with the
// same two sinks. Ratios > 1 mean the binary path is faster. Prints one JSON line.
// BENCH_FRAMES (default 200,000), BENCH_ROUNDS (default 5; best round kept).
import { PositionReportSchema, type PositionReport } from '../lib/domain';
import { encodeFrame } from '../server/ingest/jt808/codec';
import { MSG, encodeAuthBody, encodeLocationBody } from '../server/ingest/jt808/messages';
import { Jt808TerminalRegistry } from '../server/ingest/jt808/registry';
import { Jt808Session } from '../server/ingest/jt808/session';
import type { IngestSink } from '../server/ingest/types';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TERMINALS = 1000; // one connection (session) each
const CHUNK = 1460; // a TCP segment's payload

function sinkOf(onPosition: (p: PositionReport) => void): IngestSink {
  return { position: onPosition, vesselStatic() {}, rejected() {}, ignored() {} };
}

// Per terminal: its auth frame and a stream of location frames, cut into TCP-sized chunks.
const phones = Array.from({ length: TERMINALS }, (_, i) => `0139${String(i).padStart(8, '0')}`);
const t0 = Date.UTC(2026, 0, 1);
const jsonLines: string[] = [];
let wireBytes = 0;
const streams = phones.map((phone, ti) => {
  const frames: Buffer[] = [];
  for (let k = 0; ti + k * TERMINALS < FRAMES; k++) {
    const i = ti + k * TERMINALS;
    const fix = {
      lat: 22.5 + (i % 1000) / 10_000,
      lon: 114.0 + (i % 777) / 10_000,
      time: t0 + k * 10_000,
      speed: (i % 900) / 10,
      course: i % 360,
      altitude: 20 + (i % 50),
      alarm: i % 97 === 0 ? 0x80000000 : 0,
    };
    frames.push(
      encodeFrame({
        msgId: MSG.LOCATION,
        phone,
        serial: k & 0xffff,
        body: encodeLocationBody({ ...fix, extras: { mileageKm: 1000 + k / 10, signalStrength: 25, satellites: 12 } }),
      }),
    );
    const report: PositionReport = {
      assetKey: `tel:${phone}`,
      kind: 'vehicle',
      source: 'jt808',
      time: fix.time,
      lon: fix.lon,
      lat: fix.lat,
      speed: fix.speed,
      course: fix.course,
      alarm: fix.alarm,
    };
    jsonLines.push(JSON.stringify(report));
  }
  const all = Buffer.concat(frames);
  wireBytes += all.length;
  const chunks: Buffer[] = [];
  for (let at = 0; at < all.length; at += CHUNK) chunks.push(all.subarray(at, at + CHUNK));
  return { phone, auth: encodeFrame({ msgId: MSG.AUTH, phone, serial: 0xffff, body: encodeAuthBody('bench') }), chunks };
});

function binaryRound(validate: boolean): { ms: number; reports: number } {
  let reports = 0;
  let replies = 0;
  const sink = sinkOf(
    validate
      ? (p) => {
          if (PositionReportSchema.safeParse(p).success) reports++;
        }
      : () => {
          reports++;
        },
  );
  const terminals = new Jt808TerminalRegistry({ acceptUnknownAuthCodes: true }); // the bench code is no issued one
  const sessions = streams.map((s) => {
    const session = new Jt808Session({
      sink,
      authority: terminals,
      send: () => {
        replies++;
      },
    });
    session.push(s.auth);
    return session;
  });
  const start = performance.now();
  // Interleave connections chunk by chunk, as a busy listener sees them.
  const maxChunks = Math.max(...streams.map((s) => s.chunks.length));
  for (let c = 0; c < maxChunks; c++) {
    for (let t = 0; t < streams.length; t++) {
      const chunk = streams[t]!.chunks[c];
      if (chunk) sessions[t]!.push(chunk);
    }
  }
  const ms = performance.now() - start;
  if (replies !== FRAMES + TERMINALS) throw new Error(`replies ${replies}`);
  return { ms, reports };
}

function jsonRound(validate: boolean): { ms: number; reports: number } {
  let reports = 0;
  const sink = sinkOf(
    validate
      ? (p) => {
          if (PositionReportSchema.safeParse(p).success) reports++;
        }
      : () => {
          reports++;
        },
  );
  const start = performance.now();
  for (let i = 0; i < jsonLines.length; i++) sink.position(JSON.parse(jsonLines[i]!) as PositionReport);
  return { ms: performance.now() - start, reports };
}

function best(fn: () => { ms: number; reports: number }): number {
  fn(); // warm-up
  let bestMs = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const { ms, reports } = fn();
    if (reports !== FRAMES) throw new Error(`expected ${FRAMES} reports, got ${reports}`);
    bestMs = Math.min(bestMs, ms);
  }
  return Math.round(FRAMES / (bestMs / 1000));
}

const binaryCount = best(() => binaryRound(false));
const binaryValidate = best(() => binaryRound(true));
const jsonCount = best(() => jsonRound(false));
const jsonValidate = best(() => jsonRound(true));
const jsonBytes = jsonLines.reduce((n, l) => n + l.length + 1, 0);

console.log(
  JSON.stringify({
    bench: 'jt808',
    node: process.version,
    frames: FRAMES,
    terminals: TERMINALS,
    rounds: ROUNDS,
    wire_bytes_per_fix: Number((wireBytes / FRAMES).toFixed(1)),
    json_bytes_per_fix: Number((jsonBytes / FRAMES).toFixed(1)),
    jt808_fixes_per_s: binaryCount,
    jt808_validated_fixes_per_s: binaryValidate,
    baseline_json_parse_per_s: jsonCount,
    baseline_json_parse_validated_per_s: jsonValidate,
    ratio_jt808_vs_json: Number((binaryCount / jsonCount).toFixed(2)),
    ratio_jt808_vs_json_validated: Number((binaryValidate / jsonValidate).toFixed(2)),
    jt808_mb_per_s: Number(((binaryCount * wireBytes) / FRAMES / 1e6).toFixed(1)),
  }),
);
