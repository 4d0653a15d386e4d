// Lines in, AIS messages out: parses each sentence, reassembles multi-sentence messages and
// decodes payloads. Fragments are keyed by (tag block source, channel, sequential message id,
// fragment count, VDM/VDO), so messages interleaved on one channel with different ids never mix;
// a fragment that arrives out of order, twice, without its first part, or not completed within
// the timeout (or within `maxFragmentGap` lines) rejects that message as 'fragment' — it is never
// decoded from the wrong parts. The number of messages in flight is bounded.
import { Bits } from './bits';
import { decodePayload, type AisMessage } from './messages';
import { parseSentence, type VdmSentence } from './nmea';

export type AisRejectReason = 'checksum' | 'format' | 'fragment' | 'payload' | 'oversize';

export interface AisAssemblerHandlers {
  /** A complete, decoded message (any defined type; see AIS_DECODED_TYPES for the ones read in full). */
  message(msg: AisMessage, receivedAt: number): void;
  /** A line or message that could not be used; `sample` is the offending line (≤ 200 chars). */
  rejected(reason: AisRejectReason, detail: string, sample: string): void;
  /** A well-formed NMEA sentence that is not AIS ($GPRMC, $AIALR, …). */
  other?(formatter: string, sample: string): void;
}

export interface AisAssemblerOptions {
  /** A multi-sentence message must complete within this long of its first part (default 5 s). */
  fragmentTimeoutMs?: number;
  /** …and within this many lines of it (default 500): keeps files (no real clock) from joining stale parts. */
  maxFragmentGap?: number;
  /** Messages in flight at once; past it the oldest is rejected (default 256). */
  maxPending?: number;
}

interface Pending {
  count: number;
  next: number;
  payloads: string[];
  fills: number[];
  startedAt: number;
  startedLine: number;
  channel: string;
  source?: string;
  tagTime?: number;
  sample: string;
}

/** The line as shown in a rejection: its terminator trimmed, at most 200 characters. */
const sampleOf = (line: string) => line.slice(0, 200).trimEnd();

export class AisAssembler {
  private readonly handlers: AisAssemblerHandlers;
  private readonly timeoutMs: number;
  private readonly maxGap: number;
  private readonly maxPending: number;
  private readonly pendingByKey = new Map<string, Pending>();
  /** Tag block group id → source, for later parts of a group that carry `g:` but not `s:`. */
  private readonly groupSources = new Map<string, string>();
  private readonly bits = new Bits(2048);
  private lineNo = 0;

  constructor(handlers: AisAssemblerHandlers, opts: AisAssemblerOptions = {}) {
    this.handlers = handlers;
    this.timeoutMs = opts.fragmentTimeoutMs ?? 5000;
    this.maxGap = opts.maxFragmentGap ?? 500;
    this.maxPending = opts.maxPending ?? 256;
  }

  /** Multi-sentence messages waiting for their other parts. */
  get pending(): number {
    return this.pendingByKey.size;
  }

  /** Feeds one line (with or without its terminator). Never throws. */
  push(line: string, receivedAt: number = Date.now()): void {
    try {
      this.lineNo++;
      if (this.pendingByKey.size > 0) this.expire(receivedAt);
      const r = parseSentence(line);
      switch (r.kind) {
        case 'blank':
          return;
        case 'error':
          this.handlers.rejected(r.reason, r.detail, sampleOf(line));
          return;
        case 'other':
          this.handlers.other?.(r.formatter, sampleOf(line));
          return;
        case 'vdm':
          this.sentence(r.sentence, line, receivedAt);
      }
    } catch (e) {
      try {
        this.handlers.rejected('format', `internal error: ${(e as Error)?.message ?? e}`, sampleOf(String(line)));
      } catch {
        /* a handler that throws: nothing more to do */
      }
    }
  }

  /** Rejects messages whose parts did not all arrive in time. Call it now and then on a quiet stream. */
  expire(now: number = Date.now()): void {
    for (const [key, p] of this.pendingByKey) {
      const late = now - p.startedAt > this.timeoutMs;
      const far = this.lineNo - p.startedLine > this.maxGap;
      if (!late && !far) break; // insertion order is start order
      this.pendingByKey.delete(key);
      this.handlers.rejected('fragment', `part ${p.next} of ${p.count} missing after ${late ? `${this.timeoutMs} ms` : `${this.maxGap} lines`}`, p.sample);
    }
  }

  /** End of stream: every message still waiting for parts is rejected. */
  flush(): void {
    const all = [...this.pendingByKey.values()];
    this.pendingByKey.clear();
    for (const p of all) this.handlers.rejected('fragment', `part ${p.next} of ${p.count} missing at end of stream`, p.sample);
  }

  private sentence(s: VdmSentence, line: string, receivedAt: number): void {
    if (s.payload.length === 0) {
      this.handlers.rejected('payload', 'empty payload', sampleOf(line));
      return;
    }
    if (s.fragmentCount === 1) {
      this.bits.reset();
      if (!this.bits.append(s.payload, s.fill)) {
        this.handlers.rejected('payload', 'payload characters or fill bits invalid', sampleOf(line));
        return;
      }
      this.decode(s.channel, s.tag?.source, s.tag?.time, line, receivedAt);
      return;
    }

    let source = s.tag?.source;
    const group = s.tag?.group;
    if (group) {
      if (source !== undefined) {
        if (this.groupSources.size >= 1024) this.groupSources.clear();
        this.groupSources.set(group.id, source);
      } else {
        source = this.groupSources.get(group.id);
      }
    }
    const key = `${source ?? ''}\u0000${s.channel}\u0000${s.messageId}\u0000${s.fragmentCount}\u0000${s.formatter}`;
    const p = this.pendingByKey.get(key);
    if (s.fragmentNumber === 1) {
      if (p) {
        this.pendingByKey.delete(key);
        this.handlers.rejected('fragment', `part ${p.next} of ${p.count} missing: a new part 1 came with the same id`, p.sample);
      }
      if (this.pendingByKey.size >= this.maxPending) {
        const [oldKey, old] = this.pendingByKey.entries().next().value as [string, Pending];
        this.pendingByKey.delete(oldKey);
        this.handlers.rejected('fragment', `part ${old.next} of ${old.count} missing: too many messages in flight`, old.sample);
      }
      const fresh: Pending = {
        count: s.fragmentCount,
        next: 2,
        payloads: [s.payload],
        fills: [s.fill],
        startedAt: receivedAt,
        startedLine: this.lineNo,
        channel: s.channel,
        sample: sampleOf(line),
      };
      if (source !== undefined) fresh.source = source;
      if (s.tag?.time !== undefined) fresh.tagTime = s.tag.time;
      this.pendingByKey.set(key, fresh);
      return;
    }
    if (!p) {
      this.handlers.rejected('fragment', `part ${s.fragmentNumber} of ${s.fragmentCount} without its earlier parts`, sampleOf(line));
      return;
    }
    if (s.fragmentNumber !== p.next) {
      this.pendingByKey.delete(key);
      this.handlers.rejected('fragment', `part ${s.fragmentNumber} of ${s.fragmentCount} came where part ${p.next} was due`, p.sample);
      return;
    }
    p.payloads.push(s.payload);
    p.fills.push(s.fill);
    p.next++;
    if (p.tagTime === undefined && s.tag?.time !== undefined) p.tagTime = s.tag.time;
    if (s.fragmentNumber < s.fragmentCount) return;

    this.pendingByKey.delete(key);
    this.bits.reset();
    for (let k = 0; k < p.payloads.length; k++) {
      if (!this.bits.append(p.payloads[k]!, p.fills[k]!)) {
        this.handlers.rejected('payload', 'payload characters or fill bits invalid', p.sample);
        return;
      }
    }
    this.decode(p.channel, p.source, p.tagTime, p.sample, receivedAt);
  }

  private decode(channel: string, source: string | undefined, tagTime: number | undefined, line: string, receivedAt: number): void {
    const r = decodePayload(this.bits, channel);
    if (!r.ok) {
      this.handlers.rejected('payload', r.detail, sampleOf(line));
      return;
    }
    if (source !== undefined) r.msg.source = source;
    if (tagTime !== undefined) r.msg.tagTime = tagTime;
    this.handlers.message(r.msg, receivedAt);
  }
}
