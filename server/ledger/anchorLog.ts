// Where anchors go (./anchor.ts). AnchorSink is the seam for more places later (a webhook, the
// HQ node of a federation); the one built is FileAnchorLog: an append-only file of JSON lines
// outside the database (default DATA_DIR/ledger/anchors.jsonl, LEDGER_ANCHOR_FILE), opened with
// O_APPEND, each line fsync'd before the next checkpoint is anchored.
import { createReadStream, mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { ANCHOR_GENESIS, AnchorLogReader, anchorLine, lineHash, type AnchorFields, type SignedAnchor } from './anchor';

export interface AnchorSink {
  /** For logs: where the anchors go. */
  readonly name: string;
  /** Stores one signed anchor durably; resolves once it is stored. */
  append(anchor: SignedAnchor, line: string): Promise<void>;
}

const TAIL_BYTES = 64 * 1024;

export class FileAnchorLog implements AnchorSink {
  readonly name: string;

  private constructor(
    private fh: FileHandle,
    /** SHA-256 of the last line: the next line's `prev`. */
    public lastHash: string,
    /** The checkpoint seq of the last line (0: none). */
    public lastCheckpoint: number,
  ) {
    this.name = 'file';
  }

  /**
   * Opens the log for appending (creating it, mode 0600, in a directory created 0700). A last line
   * without its newline was never fsync'd whole (the process stopped mid-write): it is cut off,
   * and the checkpoint it was for is anchored again.
   */
  static async open(path: string, say: (msg: string) => void = () => {}): Promise<FileAnchorLog> {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const rw = await open(path, 'a+', 0o600);
    let lastHash = ANCHOR_GENESIS;
    let lastCheckpoint = 0;
    try {
      const { size } = await rw.stat();
      if (size > 0) {
        const start = Math.max(0, size - TAIL_BYTES);
        const buf = Buffer.alloc(size - start);
        await rw.read(buf, 0, buf.length, start);
        let text = buf.toString('utf8');
        if (!text.endsWith('\n')) {
          const cut = text.lastIndexOf('\n');
          const keep = start + cut + 1;
          if (cut < 0 && start > 0) throw new Error(`anchor log ${path}: its last ${TAIL_BYTES} bytes hold no line end`);
          await rw.truncate(keep);
          await rw.sync();
          say(`anchor log ${path}: cut off an unfinished last line (${size - keep} bytes) left by a stop mid-write`);
          text = text.slice(0, cut + 1);
        }
        const lines = text.split('\n');
        lines.pop(); // after the last newline
        if (start > 0) lines.shift(); // the window began inside this line
        if (lines.length === 0 && start > 0) throw new Error(`anchor log ${path}: its last line is longer than ${TAIL_BYTES} bytes`);
        if (lines.length > 0) lastHash = lineHash(lines[lines.length - 1]!);
        // The newest checkpoint anchored, from the last line that can be read (an unreadable
        // line is verify's finding; anchoring goes on after it).
        for (let i = lines.length - 1; i >= 0 && !lastCheckpoint; i--) {
          try {
            lastCheckpoint = Number(JSON.parse(lines[i]!).checkpoint) || 0;
          } catch {
            // try the line before
          }
        }
      }
    } catch (err) {
      await rw.close();
      throw err;
    }
    await rw.close();
    const fh = await open(path, 'a', 0o600);
    return new FileAnchorLog(fh, lastHash, lastCheckpoint);
  }

  /** The fields of the next line's chain: its `prev`. */
  next(): Pick<AnchorFields, 'prev'> {
    return { prev: this.lastHash };
  }

  async append(anchor: SignedAnchor, line = anchorLine(anchor)): Promise<void> {
    if (anchor.prev !== this.lastHash) throw new Error('anchor log: the anchor does not follow the last line');
    await this.fh.write(`${line}\n`);
    await this.fh.sync();
    this.lastHash = lineHash(line);
    this.lastCheckpoint = anchor.checkpoint;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** Reads and checks every line of an anchor log; `exists` false when there is no file. */
export async function readAnchorLog(path: string, reader: AnchorLogReader): Promise<{ exists: boolean }> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    await new Promise<void>((ok, fail) => {
      stream.once('open', () => ok());
      stream.once('error', fail);
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw err;
  }
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) reader.add(line);
  return { exists: true };
}
