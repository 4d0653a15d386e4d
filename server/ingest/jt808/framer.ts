// Streaming JT/T 808 framer for TCP: finds 0x7E-delimited frames across arbitrary chunk
// boundaries, unescapes them, bounds their size, and skips (and counts) garbage between frames.
//
// Resynchronisation: outside a frame everything up to the next 0x7E is garbage. A frame the
// consumer refuses as malformed (bad check code, too short) may have been garbage ending in the
// opening delimiter of a real frame, so its closing 0x7E is taken as a possible opening one.
// A frame growing past maxFrameBytes (unescaped) is refused as 'oversize' and the framer resyncs at
// the next 0x7E. Work per byte is constant; the garbage scan uses indexOf.

import { JT808_ESCAPE, JT808_FLAG } from './codec';

export interface FramerEvents {
  /**
   * The unescaped bytes between two delimiters (header, body, check code). Return false when they
   * do not make a well-formed frame, so that the closing 0x7E may open the next one. The view is
   * valid only during the call: copy what you keep.
   */
  frame(content: Uint8Array): boolean;
  /** A candidate the framer refuses itself; `sample` is its first bytes (unescaped). */
  reject(reason: 'oversize' | 'escape' | 'truncated', sample: Uint8Array): void;
  /** A run of `bytes` outside any frame was skipped. */
  garbage(bytes: number): void;
}

const IDLE = 0; // outside a frame: bytes are garbage until 0x7E
const IN = 1; // inside a frame (or just after a delimiter)
const SKIP = 2; // discarding an oversize frame up to the next 0x7E

export const DEFAULT_MAX_FRAME_BYTES = 2048;

export class Jt808Framer {
  private mode = IDLE;
  private readonly buf: Uint8Array;
  private len = 0;
  private esc = false; // the last byte was 0x7D
  private bad = false; // an invalid escape was seen in this frame
  private garbageRun = 0;

  constructor(private readonly events: FramerEvents, readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.buf = new Uint8Array(maxFrameBytes);
  }

  /** Bytes of garbage seen since the last delimiter, not yet reported. */
  get pendingGarbage(): number {
    return this.garbageRun;
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    const max = this.maxFrameBytes;
    let i = 0;
    while (i < n) {
      if (this.mode === IDLE) {
        const j = chunk.indexOf(JT808_FLAG, i);
        if (j < 0) { this.garbageRun += n - i; return; }
        this.garbageRun += j - i;
        if (this.garbageRun > 0) { const g = this.garbageRun; this.garbageRun = 0; this.events.garbage(g); }
        this.open();
        i = j + 1;
        continue;
      }
      if (this.mode === SKIP) {
        const j = chunk.indexOf(JT808_FLAG, i);
        if (j < 0) return;
        this.open();
        i = j + 1;
        continue;
      }
      // IN
      const j = chunk.indexOf(JT808_FLAG, i);
      const end = j < 0 ? n : j;
      if (j >= 0 && this.len === 0 && !this.esc && !this.bad) {
        if (end === i) { i = j + 1; continue; } // 0x7E 0x7E: empty; this delimiter opens
        // Fast path: the whole frame is in this chunk and holds no escapes: no copy.
        const seg = chunk.subarray(i, end);
        if (seg.length <= max && seg.indexOf(JT808_ESCAPE) < 0) {
          i = j + 1;
          this.mode = this.events.frame(seg) ? IDLE : IN;
          continue;
        }
      }
      let k = i;
      for (; k < end; k++) {
        let b = chunk[k]!;
        if (this.esc) {
          this.esc = false;
          if (b === 0x01) b = JT808_ESCAPE;
          else if (b === 0x02) b = JT808_FLAG;
          else { this.bad = true; continue; }
        } else if (b === JT808_ESCAPE) {
          this.esc = true;
          continue;
        }
        if (this.len >= max) break;
        this.buf[this.len++] = b;
      }
      if (k < end) { // oversize
        this.events.reject('oversize', this.buf.subarray(0, 32));
        this.mode = SKIP;
        this.len = 0;
        i = end; // the delimiter at `end` (if any) resyncs
        continue;
      }
      if (j < 0) return;
      i = j + 1;
      if (this.esc) { this.bad = true; this.esc = false; }
      if (this.bad) {
        this.events.reject('escape', this.buf.subarray(0, Math.min(this.len, 32)));
        this.open();
        continue;
      }
      if (this.len === 0) continue;
      const good = this.events.frame(this.buf.subarray(0, this.len));
      this.len = 0;
      this.mode = good ? IDLE : IN;
    }
  }

  /** End of stream: report pending garbage and a frame cut short. */
  end(): void {
    if (this.garbageRun > 0) { const g = this.garbageRun; this.garbageRun = 0; this.events.garbage(g); }
    if (this.mode === IN && (this.len > 0 || this.bad)) this.events.reject('truncated', this.buf.subarray(0, Math.min(this.len, 32)));
    this.mode = IDLE;
    this.len = 0;
    this.esc = false;
    this.bad = false;
  }

  private open(): void {
    this.mode = IN;
    this.len = 0;
    this.esc = false;
    this.bad = false;
  }
}
