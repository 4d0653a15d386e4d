// Ledger anchors: each checkpoint, signed and written outside the database, one JSON line each.
// A line holds the checkpoint's seq, the entries it covers (from, to, count), their Merkle root,
// the checkpoint entry's own hash (which chains every entry before it), its time, the hash of the
// previous line (so a line removed or edited in the middle is found) and an Ed25519 signature
// over all of that (so a line cannot be forged or edited without the key). The database can then
// be rewritten only up to the last anchor: the verifier (./verify.ts) compares the two.
// Pure: no files, no logging (./anchorLog.ts writes and reads the lines).
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

export const ANCHOR_GENESIS = '0'.repeat(64);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const seq = z.number().int().positive();

/** What a line says, signature aside. The order of the fields is the order signed. */
const AnchorFields = z.object({
  v: z.literal(1),
  checkpoint: seq,
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  root: hex64,
  hash: hex64,
  /** The checkpoint entry's time (ISO). */
  time: z.string().datetime(),
  anchoredAt: z.string().datetime(),
  /** SHA-256 of the previous line (its bytes without the newline); ANCHOR_GENESIS for the first. */
  prev: hex64,
  /** anchorKeyId of the signing key. */
  key: z.string().regex(/^[0-9a-f]{16}$/),
});
export type AnchorFields = z.infer<typeof AnchorFields>;
const AnchorLine = AnchorFields.extend({ sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/) });
export type SignedAnchor = z.infer<typeof AnchorLine>;

const FIELD_ORDER = Object.keys(AnchorFields.shape) as (keyof AnchorFields)[];

/** The bytes signed: the fields in their fixed order, as JSON. */
function message(a: AnchorFields): Buffer {
  return Buffer.from(JSON.stringify(a, FIELD_ORDER), 'utf8');
}

export function signAnchor(fields: AnchorFields, privateKey: KeyObject): SignedAnchor {
  const a = AnchorFields.parse(fields);
  return { ...a, sig: sign(null, message(a), privateKey).toString('base64') };
}

/** The line as written (no newline): the fields in order, then the signature. */
export function anchorLine(a: SignedAnchor): string {
  return JSON.stringify(a, [...FIELD_ORDER, 'sig']);
}

export function lineHash(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

export interface AnchorProblem {
  /** 1-based line number in the log. */
  line: number;
  /** The checkpoint the line names, when it could be read. */
  checkpoint?: number;
  reason: string;
}

/**
 * Reads an anchor log line by line: each line parsed, its signature checked (when a key is
 * given), its `prev` checked against the line before, checkpoints in increasing order.
 * Lines that cannot be read are problems, and are left out of `anchors`.
 */
export class AnchorLogReader {
  readonly anchors = new Map<number, SignedAnchor & { line: number }>();
  readonly problems: AnchorProblem[] = [];
  last: (SignedAnchor & { line: number }) | undefined;
  lines = 0;
  private prevHash = ANCHOR_GENESIS;
  private keysSeen = new Set<string>();

  constructor(private key?: { publicKey: KeyObject; id: string }) {}

  add(text: string): void {
    const n = ++this.lines;
    const expectedPrev = this.prevHash;
    this.prevHash = lineHash(text);
    let parsed: SignedAnchor;
    try {
      const r = AnchorLine.safeParse(JSON.parse(text));
      if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      parsed = r.data;
    } catch (err) {
      this.problems.push({ line: n, reason: `anchor line ${n} cannot be read (${(err as Error).message.slice(0, 200)})` });
      return;
    }
    const at = `anchor line ${n} (checkpoint ${parsed.checkpoint})`;
    const bad = (reason: string) => this.problems.push({ line: n, checkpoint: parsed.checkpoint, reason: `${at} ${reason}` });
    if (parsed.prev !== expectedPrev) {
      bad(n === 1 ? 'does not start the log (lines before it were removed?)' : `does not follow line ${n - 1} (a line between was removed, or line ${n - 1} was edited)`);
    }
    // A line whose signature does not hold is not trusted as an anchor; one that holds but breaks
    // the line chain still is (the break is the finding).
    if (this.key) {
      if (parsed.key !== this.key.id) {
        if (!this.keysSeen.has(parsed.key)) bad(`is signed by key ${parsed.key}, not by the ledger key ${this.key.id}`);
        this.keysSeen.add(parsed.key);
        return;
      }
      if (!verify(null, message(parsed), this.key.publicKey, Buffer.from(parsed.sig, 'base64'))) {
        bad('has a bad signature (edited after it was signed)');
        return;
      }
    }
    if (this.last && parsed.checkpoint <= this.last.checkpoint) {
      bad(`does not come after checkpoint ${this.last.checkpoint} of line ${this.last.line}`);
      return;
    }
    const a = { ...parsed, line: n };
    this.anchors.set(a.checkpoint, a);
    this.last = a;
  }
}
