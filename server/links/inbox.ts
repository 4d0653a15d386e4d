// The e-port client's folders (InBox / OutBox / FailBox), one set per link system under LINKS_DIR:
//   InBox/    a partner drops a message file here (write elsewhere, then rename in: files ending
//             .tmp or .part, dotfiles, and files changed in the last second are left for later);
//   OutBox/   the receipt of each applied message (<name>.receipt.json) and a reply where the
//             system gives one (the gate's 82 decision, <name>.reply.json);
//   FailBox/  a refused file, moved whole, with <name>.reason.txt beside it.
// An applied file is removed from InBox (the message is kept in the database). A file that fails
// for a reason of ours (the database is down) stays in InBox and is tried again.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../errors';
import { log } from '../log';
import type { LinkReceiver } from './receiver';
import type { LinkCaller } from './types';

export const INBOX = 'InBox';
export const OUTBOX = 'OutBox';
export const FAILBOX = 'FailBox';
const SETTLE_MS = 1000;
const MAX_FILES_PER_PASS = 500;

export interface InboxPass {
  applied: number;
  duplicates: number;
  failed: number;
  retry: number;
}

export class LinkInbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private receiver: LinkReceiver,
    private dir: string,
    private district: string,
  ) {}

  /** Creates the folders of every registered system (mode 0700: only this user may drop files). */
  async prepare(): Promise<void> {
    for (const s of this.receiver.list()) {
      for (const box of [INBOX, OUTBOX, FAILBOX]) await mkdir(join(this.dir, s.name, box), { recursive: true, mode: 0o700 });
    }
  }

  start(everyMs = 2000): void {
    const loop = () => {
      this.running = this.pass()
        .catch((err: Error) => log.error({ err: err.message }, 'link inbox pass failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, everyMs);
        });
    };
    this.timer = setTimeout(loop, 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Takes every settled file in every InBox once, in name order. */
  async pass(now = Date.now()): Promise<InboxPass> {
    const out: InboxPass = { applied: 0, duplicates: 0, failed: 0, retry: 0 };
    for (const s of this.receiver.list()) {
      const base = join(this.dir, s.name);
      let names: string[];
      try {
        names = (await readdir(join(base, INBOX))).filter((n) => !n.startsWith('.') && !/\.(tmp|part)$/i.test(n)).sort();
      } catch {
        continue; // no folder (yet)
      }
      for (const name of names.slice(0, MAX_FILES_PER_PASS)) {
        const file = join(base, INBOX, name);
        const st = await stat(file).catch(() => null);
        if (!st?.isFile() || now - st.mtimeMs < SETTLE_MS) continue;
        const caller: LinkCaller = { source: `inbox:${s.name}`, district: this.district, userId: null, via: 'inbox' };
        try {
          const text = await readFile(file, 'utf8');
          const r = await this.receiver.receive(s.name, text, caller);
          await writeFile(join(base, OUTBOX, `${name}.receipt.json`), JSON.stringify(r, null, 2), { mode: 0o600 });
          if (r.reply) await writeFile(join(base, OUTBOX, `${name}.reply.json`), JSON.stringify(r.reply, null, 2), { mode: 0o600 });
          await rm(file);
          if (r.status === 'applied') out.applied++;
          else out.duplicates++;
        } catch (err) {
          if (!DomainError.is(err)) {
            out.retry++;
            continue; // ours (database, disk): the file waits for the next pass
          }
          await rename(file, join(base, FAILBOX, name));
          await writeFile(join(base, FAILBOX, `${name}.reason.txt`), `${err.kind}: ${err.message}\n`, { mode: 0o600 });
          log.warn({ system: s.name, file: name, reason: err.message }, 'link inbox: a file was refused (moved to FailBox)');
          out.failed++;
        }
      }
    }
    return out;
  }
}
