// Streaming JT/T 809 framer for TCP: finds 0x5B … 0x5D frames across arbitrary chunk boundaries,
// unescapes them, checks the CRC, bounds their size, and skips (and counts) bytes outside frames.
// Work per byte is constant; no input makes it throw.
//
// Unlike JT/T 808 the two delimiters differ, so a frame's extent is unambiguous: bytes before a
// 0x5B are garbage; a 0x5B inside a frame means the frame was cut short ('truncated') and a new
// one starts; a candidate is refused 'escape' (bad 5A/5E pair), 'short', 'checksum' (CRC) or
// 'oversize' (longer than maxFrameBytes once unescaped: the rest up to its 0x5D is skipped).
import { crc16 } from './codec';

export type FramerRejectReason = 'checksum' | 'short' | 'escape' | 'oversize' | 'truncated';

export interface FramerEvents {
  /** Unescaped bytes between the delimiters (header, body, CRC), CRC verified; valid only during the call. */
  frame(content: Uint8Array): void;
  reject(reason: FramerRejectReason, sample: Uint8Array): void;
  garbage(bytes: number): void;
}

/** 2011 header (22) + CRC (2). */
export const MIN_FRAME_BYTES = 24;
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

export class Jt809Framer {
  private readonly buf: Uint8Array;
  private len = 0;
  private inFrame = false;
  private esc = 0; // 0x5A or 0x5E pending, else 0
  private bad = false;
  private skipping = false;
  private outside = 0; // garbage bytes since the last frame

  constructor(
    private readonly events: FramerEvents,
    readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
  ) {
    this.buf = new Uint8Array(Math.max(maxFrameBytes, MIN_FRAME_BYTES));
  }

  get pendingGarbage(): number {
    return this.outside;
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      if (b === 0x5b) {
        if (this.inFrame && !this.skipping) this.events.reject('truncated', this.buf.subarray(0, Math.min(this.len, 32)));
        this.flushGarbage();
        this.start();
        continue;
      }
      if (!this.inFrame) {
        this.outside++;
        continue;
      }
      if (b === 0x5d) {
        if (!this.skipping) this.finish();
        this.inFrame = false;
        this.skipping = false;
        continue;
      }
      if (this.skipping) continue;
      let v = b;
      if (this.esc) {
        const e = this.esc;
        this.esc = 0;
        if (b === 0x01) v = e === 0x5a ? 0x5b : 0x5d;
        else if (b === 0x02) v = e;
        else {
          this.bad = true;
          continue;
        }
      } else if (b === 0x5a || b === 0x5e) {
        this.esc = b;
        continue;
      }
      if (this.len >= this.maxFrameBytes) {
        this.events.reject('oversize', this.buf.subarray(0, 32));
        this.skipping = true;
        continue;
      }
      this.buf[this.len++] = v;
    }
  }

  /** End of stream: report garbage and a frame cut short. */
  end(): void {
    if (this.inFrame && !this.skipping) this.events.reject('truncated', this.buf.subarray(0, Math.min(this.len, 32)));
    this.inFrame = false;
    this.skipping = false;
    this.flushGarbage();
  }

  private start(): void {
    this.inFrame = true;
    this.len = 0;
    this.esc = 0;
    this.bad = false;
    this.skipping = false;
  }

  private flushGarbage(): void {
    if (this.outside > 0) this.events.garbage(this.outside);
    this.outside = 0;
  }

  private finish(): void {
    const n = this.len;
    const content = this.buf.subarray(0, n);
    if (this.bad || this.esc) this.events.reject('escape', content.subarray(0, 32));
    else if (n < MIN_FRAME_BYTES) this.events.reject('short', content.subarray(0, 32));
    else if (crc16(content, 0, n - 2) !== ((content[n - 2]! << 8) | content[n - 1]!)) this.events.reject('checksum', content.subarray(0, 32));
    else this.events.frame(content);
  }
}
