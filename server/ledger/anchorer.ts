// Anchors the ledger's checkpoints (./anchor.ts): every checkpoint entry after the last one in the
// anchor log is signed and appended, oldest first. The checkpointer calls it right after each
// checkpoint, and the server once at start (a checkpoint committed just before a crash is
// anchored then). Only what came after the last anchor can still be rewritten unseen.
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type pg from 'pg';
import { log } from '../log';
import { signAnchor, anchorLine, type SignedAnchor } from './anchor';
import { loadOrCreateAnchorKey, type AnchorSigningKey } from './anchorKey';
import { FileAnchorLog, type AnchorSink } from './anchorLog';

export interface AnchorFiles {
  keyFile: string;
  anchorFile: string;
}

/**
 * Where the key and the anchor log are: LEDGER_KEY_FILE and LEDGER_ANCHOR_FILE, else under
 * DATA_DIR/ledger. One log per database: with DATABASE_URL the default name carries the
 * database's name and a digest of its address, so that two databases (a test one, a scratch one)
 * never write into one log, whose lines must follow each other.
 */
export function anchorFiles(env: { DATA_DIR?: string; DATABASE_URL?: string; LEDGER_KEY_FILE?: string; LEDGER_ANCHOR_FILE?: string }): AnchorFiles {
  const dir = resolve(env.DATA_DIR || './data', 'ledger');
  let name = 'anchors.jsonl';
  if (env.DATABASE_URL) {
    let db = 'db';
    let where = env.DATABASE_URL;
    try {
      const u = new URL(env.DATABASE_URL);
      db = decodeURIComponent(u.pathname.slice(1)) || 'postgres';
      where = `${u.searchParams.get('host') ?? u.hostname}:${u.port}/${db}`;
    } catch {
      // not a URL: the digest of the whole string names it
    }
    name = `anchors-${db.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60)}-${createHash('sha256').update(where).digest('hex').slice(0, 8)}.jsonl`;
  }
  return { keyFile: resolve(env.LEDGER_KEY_FILE || join(dir, 'anchor-key.pem')), anchorFile: resolve(env.LEDGER_ANCHOR_FILE || join(dir, name)) };
}

/** How long verify lets a checkpoint go unanchored before it is a finding: three periods, at least 10 minutes. */
export const anchorGraceMs = (checkpointSeconds: number): number => Math.max(10 * 60_000, 3 * checkpointSeconds * 1000);

interface CheckpointRow {
  seq: string;
  payload: { from?: unknown; to?: unknown; count?: unknown; root?: unknown };
  hash: string;
  time: string;
}

const PENDING_SQL = `
  SELECT seq, payload, encode(hash, 'hex') AS hash, ledger_iso(time) AS time
  FROM ledger WHERE kind = 'checkpoint' AND seq > $1 ORDER BY seq LIMIT 1000`;

export class LedgerAnchorer {
  private queue: Promise<unknown> = Promise.resolve();
  private warnedBehind = false;

  constructor(
    private key: AnchorSigningKey,
    readonly log: FileAnchorLog,
    /** More places each anchor goes after the log (e.g. a webhook); a failure there is logged. */
    private sinks: AnchorSink[] = [],
  ) {}

  static async open(files: AnchorFiles, opts: { sinks?: AnchorSink[]; say?: (msg: string) => void } = {}): Promise<LedgerAnchorer> {
    const key = loadOrCreateAnchorKey(files.keyFile, opts.say);
    const anchorLog = await FileAnchorLog.open(files.anchorFile, opts.say);
    return new LedgerAnchorer(key, anchorLog, opts.sinks);
  }

  get keyId(): string {
    return this.key.id;
  }

  /** Anchors every checkpoint after the last anchored one; returns what it anchored. One run at a time. */
  anchorPending(pool: Pick<pg.Pool, 'query'>): Promise<SignedAnchor[]> {
    const run = this.queue.then(() => this.run(pool));
    this.queue = run.catch(() => {});
    return run;
  }

  private async run(pool: Pick<pg.Pool, 'query'>): Promise<SignedAnchor[]> {
    const done: SignedAnchor[] = [];
    let after = this.log.lastCheckpoint;
    for (;;) {
      const { rows } = await pool.query<CheckpointRow>(PENDING_SQL, [after]);
      for (const r of rows) {
        after = Number(r.seq);
        const p = r.payload;
        let anchor: SignedAnchor;
        try {
          anchor = signAnchor(
            {
              v: 1,
              checkpoint: Number(r.seq),
              from: p.from as number,
              to: p.to as number,
              count: p.count as number,
              root: p.root as string,
              hash: r.hash,
              time: r.time,
              anchoredAt: new Date().toISOString(),
              prev: this.log.lastHash,
              key: this.key.id,
            },
            this.key.privateKey,
          );
        } catch (err) {
          // A malformed checkpoint entry (not one checkpoint() wrote): not anchored; verify names it.
          log.error({ seq: r.seq, err: (err as Error).message }, 'ledger: a checkpoint entry cannot be anchored');
          continue;
        }
        const line = anchorLine(anchor);
        await this.log.append(anchor, line);
        done.push(anchor);
        for (const sink of this.sinks) {
          await sink.append(anchor, line).catch((err: Error) => log.error({ sink: sink.name, checkpoint: anchor.checkpoint, err: err.message }, 'ledger anchor not delivered'));
        }
      }
      if (rows.length < 1000) break;
    }
    if (done.length === 0 && !this.warnedBehind && this.log.lastCheckpoint > 0) {
      const { rows } = await pool.query(`SELECT coalesce(max(seq), 0) AS seq FROM ledger`);
      if (Number(rows[0].seq) < this.log.lastCheckpoint) {
        this.warnedBehind = true;
        log.error(
          { lastAnchored: this.log.lastCheckpoint, lastEntry: Number(rows[0].seq) },
          'ledger: the anchor log holds a checkpoint beyond the last entry of the ledger (entries were cut, or this is another database): run verify-ledger',
        );
      }
    }
    return done;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.log.close();
  }
}
