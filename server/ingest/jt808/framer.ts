// Streaming JT/T 808 framer for TCP: finds 0x7E-delimited frames across arbitrary chunk
// boundaries, unescapes them, checks the check code, bounds their size, and skips (and counts)
// garbage between frames. Work per byte is constant; no input makes it throw.
//
// Every run of bytes between two 0x7E is a candidate frame. A candidate that follows a good frame
// (or starts the stream) may be garbage between frames: if it is not a well-formed frame it is
// counted as garbage, not as a rejected frame. Otherwise (after 0x7E 0x7E, or after a refused
// candidate, whose closing 0x7E may have been the opening one of a real frame) a candidate that
// fails is rejected: 'checksum', 'short', 'escape' or 'oversize' (longer than maxFrameBytes once
// unescaped; the framer then resyncs at the next 0x7E). A frame whose closing 0x7E was lost is
// still found when the next frame's opening 0x7E closes it.

import { JT808_ESCAPE, JT808_FLAG } from './codec';

export type FramerRejectReason = 'checksum' | 'short' | 'escape' | 'oversize' | 'truncated';

export interface FramerEvents {
  /**
   * A frame: the unescaped bytes between two delimiters (header, body, check code), check code
   * verified. The view is valid only during the call: copy what you keep.
   */
  frame(content: Uint8Array): void;
  /** A candidate refused; `sample` is its first bytes (unescaped). */
  reject(reason: FramerRejectReason, sample: Uint8Array): void;
  /** `bytes` outside any frame were skipped. */
  garbage(bytes: number): void;
}

/** Header (12) + check code (1): the shortest frame. */
export const MIN_FRAME_BYTES = 13;
export const DEFAULT_MAX_FRAME_BYTES = 2048;

export class Jt808Framer {
  private readonly buf: Uint8Array;
  private len = 0; // unescaped bytes of the current candidate
  private raw = 0; // wire bytes of the current candidate
  private esc = false; // the last byte was 0x7D
  private bad = false; // an invalid escape in this candidate
  private maybeGarbage = true; // the current candidate follows a good frame or starts the stream
  private skipping = false; // discarding an over-long candidate up to the next 0x7E
  private skipped = 0;

  constructor(
    private readonly events: FramerEvents,
    readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
  ) {
    this.buf = new Uint8Array(Math.max(maxFrameBytes, MIN_FRAME_BYTES));
  }

  /** Bytes that will count as garbage unless they turn out to be a frame. */
  get pendingGarbage(): number {
    return this.maybeGarbage ? this.raw + this.skipped : 0;
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    const max = this.maxFrameBytes;
    let i = 0;
    while (i < n) {
      const j = chunk.indexOf(JT808_FLAG, i);
      const end = j < 0 ? n : j;
      if (this.skipping) {
        this.skipped += end - i;
        if (j < 0) return;
        i = j + 1;
        this.endSkip();
        continue;
      }
      if (j >= 0 && this.raw === 0) {
        if (end === i) {
          // 0x7E 0x7E: a closing then an opening delimiter
          this.maybeGarbage = false;
          i = j + 1;
          continue;
        }
        // Fast path: the whole candidate is in this chunk and holds no escapes: no copy.
        const seg = chunk.subarray(i, end);
        if (seg.length <= max && seg.indexOf(JT808_ESCAPE) < 0) {
          i = j + 1;
          this.candidate(seg, seg.length, false);
          continue;
        }
      }
      for (let k = i; k < end; k++) {
        let b = chunk[k]!;
        this.raw++;
        if (this.esc) {
          this.esc = false;
          if (b === 0x01) b = JT808_ESCAPE;
          else if (b === 0x02) b = JT808_FLAG;
          else {
            this.bad = true;
            continue;
          }
        } else if (b === JT808_ESCAPE) {
          this.esc = true;
          continue;
        }
        if (this.len >= max) {
          // too long: drop it up to the next delimiter
          if (!this.maybeGarbage) this.events.reject('oversize', this.buf.subarray(0, 32));
          this.skipping = true;
          this.skipped = this.maybeGarbage ? this.raw + (end - k - 1) : 0;
          this.resetCandidate();
          break;
        }
        this.buf[this.len++] = b;
      }
      if (this.skipping) {
        if (j < 0) return;
        i = j + 1;
        this.endSkip();
        continue;
      }
      if (j < 0) return;
      i = j + 1;
      if (this.raw === 0) {
        this.maybeGarbage = false;
        continue;
      }
      const bad = this.bad || this.esc;
      const raw = this.raw;
      const content = this.buf.subarray(0, this.len);
      this.resetCandidate();
      this.candidate(content, raw, bad);
    }
  }

  /** End of stream: report pending garbage and a frame cut short. */
  end(): void {
    if (this.maybeGarbage && (this.raw > 0 || this.skipped > 0)) this.events.garbage(this.raw + this.skipped);
    else if (!this.maybeGarbage && this.raw > 0 && !this.skipping) this.events.reject('truncated', this.buf.subarray(0, Math.min(this.len, 32)));
    this.resetCandidate();
    this.skipping = false;
    this.skipped = 0;
    this.maybeGarbage = true;
  }

  private candidate(content: Uint8Array, raw: number, bad: boolean): void {
    const n = content.length;
    let ok = !bad && n >= MIN_FRAME_BYTES;
    if (ok) {
      let x = 0;
      for (let k = 0; k < n - 1; k++) x ^= content[k]!;
      ok = x === content[n - 1];
    }
    if (ok) {
      this.maybeGarbage = true; // what follows a frame's closing delimiter may be garbage
      this.events.frame(content);
      return;
    }
    if (this.maybeGarbage) this.events.garbage(raw);
    else this.events.reject(bad ? 'escape' : n < MIN_FRAME_BYTES ? 'short' : 'checksum', content.subarray(0, 32));
    this.maybeGarbage = false; // its closing delimiter may open a real frame
  }

  private endSkip(): void {
    if (this.maybeGarbage) this.events.garbage(this.skipped);
    this.skipping = false;
    this.skipped = 0;
    // After garbage, the delimiter that ended it may open a frame; after an oversize frame, its
    // closing delimiter is most likely just that, and what follows may be garbage.
    this.maybeGarbage = !this.maybeGarbage;
  }

  private resetCandidate(): void {
    this.len = 0;
    this.raw = 0;
    this.esc = false;
    this.bad = false;
  }
}
