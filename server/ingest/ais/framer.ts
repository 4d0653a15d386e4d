// Streaming line framer for NMEA over TCP: bytes in any chunking, lines out. A line ends at
// '\n' or '\r' ("\r\n", "\n" and a bare "\r" all work; empty lines are dropped). A line longer
// than `maxLineBytes` is refused as oversize once and skipped up to the next line end, so the
// buffer never holds more than `maxLineBytes`. Bytes map to characters one to one (latin1):
// AIS is ASCII, and stray bytes reach the decoder as characters it rejects, not as U+FFFD.

export interface LineFramerHandlers {
  line(line: string): void;
  /** A line over the limit (its first bytes), skipped up to the next line end. */
  oversize(sample: string): void;
}

export class LineFramer {
  private partial = '';
  /** Inside an oversize line: drop everything up to the next line end. */
  private skipping = false;
  private readonly max: number;
  private readonly handlers: LineFramerHandlers;

  constructor(handlers: LineFramerHandlers, maxLineBytes = 1024) {
    this.handlers = handlers;
    this.max = maxLineBytes;
  }

  /** Bytes held waiting for a line end (never more than maxLineBytes). */
  get buffered(): number {
    return this.partial.length;
  }

  push(chunk: Buffer | Uint8Array | string): void {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    let from = 0;
    const n = text.length;
    while (from < n) {
      let end = from;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === 10 || c === 13) break;
        end++;
      }
      if (end === n) {
        // No line end in the rest of the chunk: keep it, unless it makes the line too long.
        if (this.skipping) return;
        const rest = from === 0 ? text : text.slice(from);
        if (this.partial.length + rest.length > this.max) {
          this.refuse(this.partial + rest.slice(0, 200));
          this.partial = '';
          this.skipping = true;
        } else {
          this.partial += rest;
        }
        return;
      }
      // A line end at `end`.
      if (this.skipping) {
        this.skipping = false;
      } else {
        const line = this.partial.length > 0 ? this.partial + text.slice(from, end) : text.slice(from, end);
        this.partial = '';
        if (line.length > this.max) this.refuse(line);
        else if (line.length > 0) this.handlers.line(line);
      }
      from = end + 1;
    }
  }

  /** End of stream: a last line without a terminator is still a line. */
  end(): void {
    const line = this.partial;
    this.partial = '';
    if (!this.skipping && line.length > 0) this.handlers.line(line);
    this.skipping = false;
  }

  private refuse(sample: string): void {
    this.handlers.oversize(sample.slice(0, 200));
  }
}
