// AisDecoder: lines in, the ingest sink fed. One per connection (or per UDP sender / file), so
// that multi-sentence messages from different feeds never meet.
//
// Counting: every message of a type decoded in full (1–5, 18, 19, 21, 24, 27) counts in
// framesDecoded{protocol:'ais'}. Rejections and known-but-unused types go to sink.rejected /
// sink.ignored, which count them (framesRejected / framesIgnored) — the shared sink
// (server/ingest/sink.ts) does that for every protocol, so the decoder does not count them again.
import { framesDecoded } from '../metrics';
import type { IngestSink } from '../types';
import { AisAssembler, type AisAssemblerHandlers, type AisAssemblerOptions, type AisRejectReason } from './assembler';
import { aisToJson, aisToReport, aisToStatic } from './convert';
import { AIS_DECODED_TYPES, type AisMessage } from './messages';

export interface AisDecoderOptions extends AisAssemblerOptions {
  sink: IngestSink;
  /** Sees every decoded message before it becomes a report (tools, tests). */
  onMessage?: (msg: AisMessage, receivedAt: number) => void;
}

export class AisDecoder {
  private readonly assembler: AisAssembler;
  private readonly handlers: AisAssemblerHandlers;

  constructor(opts: AisDecoderOptions) {
    const sink = opts.sink;
    const onMessage = opts.onMessage;
    this.handlers = {
      message(msg, receivedAt) {
        onMessage?.(msg, receivedAt);
        if (!AIS_DECODED_TYPES.has(msg.type)) {
          sink.ignored('ais', `type ${msg.type}`);
          return;
        }
        framesDecoded.inc({ protocol: 'ais' });
        const report = aisToReport(msg, receivedAt);
        if (report) sink.position(report);
        const stat = aisToStatic(msg);
        if (stat) sink.vesselStatic(stat);
      },
      rejected(reason, _detail, sample) {
        sink.rejected('ais', reason, sample);
      },
      other() {
        sink.ignored('ais', 'nmea other');
      },
    };
    this.assembler = new AisAssembler(this.handlers, opts);
  }

  /** Feeds one line; `receivedAt` (ms) stamps fixes that carry no tag block time. Never throws. */
  push(line: string, receivedAt: number = Date.now()): void {
    this.assembler.push(line, receivedAt);
  }

  /** A line the framer refused for its length: rejected as 'oversize'. Never throws. */
  oversize(sample: string): void {
    try {
      this.handlers.rejected('oversize', 'line too long', sample.slice(0, 200));
    } catch {
      /* never throws */
    }
  }

  /** Rejects multi-sentence messages that timed out; the listeners call it every second. Never throws. */
  expire(now: number = Date.now()): void {
    try {
      this.assembler.expire(now);
    } catch {
      /* never throws */
    }
  }

  /** End of stream: rejects what is still waiting for parts. Never throws. */
  flush(): void {
    try {
      this.assembler.flush();
    } catch {
      /* never throws */
    }
  }

  /** Multi-sentence messages waiting for parts. */
  get pending(): number {
    return this.assembler.pending;
  }
}

/** What `decodeAisLines` hands out: one object per decoded message and per refused input. */
export type AisLineOutput =
  | ({ kind: 'message'; line: number } & Record<string, unknown>)
  | { kind: 'rejected'; line: number; reason: AisRejectReason; detail: string; input: string }
  | { kind: 'ignored'; line: number; what: string; input: string };

export interface AisDecodeSummary {
  lines: number;
  messages: number;
  rejected: number;
  ignored: number;
  byType: Record<string, number>;
  byReason: Record<string, number>;
}

/**
 * Decodes a stream of lines (a file, stdin) for the CLI: calls `out` with one JSON-able object per
 * decoded message (plain field names: degrees, knots, degrees true, metres, UTC ms — see
 * AisMessage) and one per rejected input with its reason. Messages still waiting for parts at the
 * end are rejected as 'fragment'. `line` is the number of the line that completed the message.
 */
export async function decodeAisLines(
  lines: AsyncIterable<string> | Iterable<string>,
  out: (obj: AisLineOutput) => void,
  opts: AisAssemblerOptions = {},
): Promise<AisDecodeSummary> {
  const summary: AisDecodeSummary = { lines: 0, messages: 0, rejected: 0, ignored: 0, byType: {}, byReason: {} };
  let lineNo = 0;
  const assembler = new AisAssembler(
    {
      message(msg) {
        summary.messages++;
        summary.byType[msg.type] = (summary.byType[msg.type] ?? 0) + 1;
        out({ kind: 'message', line: lineNo, ...aisToJson(msg) });
      },
      rejected(reason, detail, input) {
        summary.rejected++;
        summary.byReason[reason] = (summary.byReason[reason] ?? 0) + 1;
        out({ kind: 'rejected', line: lineNo, reason, detail, input });
      },
      other(formatter, input) {
        summary.ignored++;
        out({ kind: 'ignored', line: lineNo, what: `NMEA ${formatter}`, input });
      },
    },
    opts,
  );
  for await (const line of lines) {
    lineNo++;
    summary.lines++;
    assembler.push(line, Date.now());
  }
  assembler.flush();
  return summary;
}
