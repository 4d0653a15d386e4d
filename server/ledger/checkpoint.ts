// Ledger checkpoints: a 'checkpoint' entry holds the Merkle root (./merkle.ts) over the hashes
// of every entry after the previous checkpoint entry and before itself: payload
// { from, to, count, root }. Taken under the ledger lock, so no entry can slip in between.
// Each checkpoint is anchored at once (./anchorer.ts: signed, appended to a log outside the
// database), which fixes the chain up to it: rewriting history would have to change a signed root.
import type pg from 'pg';
import { log } from '../log';
import { ledgerAppendSeconds, ledgerEntries } from '../metrics';
import type { LedgerAnchorer } from './anchorer';
import { MerkleBuilder } from './merkle';

export interface Checkpoint {
  seq: number;
  from: number;
  to: number;
  count: number;
  /** Merkle root, hex. */
  root: string;
}

const PAGE = 10_000;

/** Appends a checkpoint over the entries since the last one; null (and nothing written) when there are none. */
export async function checkpoint(pool: pg.Pool): Promise<Checkpoint | null> {
  const end = ledgerAppendSeconds.startTimer({ kind: 'checkpoint' });
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT ledger_lock()');
    const last = await client.query(`SELECT seq FROM ledger WHERE kind = 'checkpoint' ORDER BY seq DESC LIMIT 1`);
    let after: string = last.rows[0]?.seq ?? '0';
    let from: number | undefined;
    let to = 0;
    const tree = new MerkleBuilder();
    for (;;) {
      const { rows } = await client.query({
        text: 'SELECT seq, hash FROM ledger WHERE seq > $1 ORDER BY seq LIMIT $2',
        values: [after, PAGE],
        rowMode: 'array',
      });
      const page = rows as [string, Buffer][];
      for (const [seq, hash] of page) {
        from ??= Number(seq);
        to = Number(seq);
        tree.add(hash);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]![0]; // a full page: not empty
    }
    if (from === undefined) {
      await client.query('ROLLBACK');
      return null;
    }
    const cp = { from, to, count: tree.count, root: tree.root()! };
    const { rows } = await client.query(`SELECT entry_seq AS seq FROM ledger_append('checkpoint', $1::jsonb)`, [JSON.stringify(cp)]);
    await client.query('COMMIT');
    end();
    ledgerEntries.inc({ kind: 'checkpoint' });
    return { seq: Number(rows[0].seq), ...cp };
  } catch (err) {
    // A connection that saw an error is closed, not reused: the embedded PostGIS's socket
    // server can get out of step with the client after one (electric-sql/pglite#958).
    broken = err as Error;
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Takes a checkpoint every `everyMs` (skipped when nothing was appended since the last one) and
 * anchors it at once. So entries wait at most about `everyMs` before they are anchored.
 */
export class LedgerCheckpointer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private pool: pg.Pool,
    private opts: { everyMs: number; anchorer?: LedgerAnchorer; onCheckpoint?: (cp: Checkpoint) => void },
  ) {}

  /** Starts the timer; first anchors the checkpoints a previous run left unanchored. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.opts.everyMs);
    this.timer.unref();
    if (this.opts.anchorer) {
      const p = this.anchor().finally(() => (this.running = undefined));
      this.running = p;
    }
  }

  private async anchor(): Promise<void> {
    try {
      const done = await this.opts.anchorer?.anchorPending(this.pool);
      for (const a of done ?? []) log.info({ checkpoint: a.checkpoint, root: a.root }, 'ledger checkpoint anchored');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'ledger anchoring failed');
    }
  }

  /** Stops the timer and waits for a checkpoint in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Takes one checkpoint now (unless one is in progress). */
  async tick(): Promise<Checkpoint | null> {
    if (this.running) return null;
    const p = checkpoint(this.pool)
      .then((cp) => {
        if (cp) {
          log.info({ seq: cp.seq, from: cp.from, to: cp.to, root: cp.root }, 'ledger checkpoint');
          this.opts.onCheckpoint?.(cp);
        }
        return cp;
      })
      .catch((err: Error) => {
        log.error({ err: err.message }, 'ledger checkpoint failed');
        return null;
      })
      .then(async (cp) => {
        await this.anchor(); // also anchors any checkpoint an earlier failure left behind
        return cp;
      })
      .finally(() => (this.running = undefined));
    this.running = p;
    return p;
  }
}
