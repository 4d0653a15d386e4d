// The one way a link message goes in, whether it was posted (POST /api/links/<system>), dropped in
// an inbox folder (inbox.ts) or made by the demo: parse it, then in one transaction keep it, apply
// it (documents, movements through MovementService.transact, events, audit, ledger), then raise
// and clear its alerts and tell the rules of its events. Idempotent per (system, sender, MessageID):
// the same message again gets the first answer; another message under the same id is a conflict.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ExternalAlert } from '../alerts/alertService';
import { DomainError, conflict, invalid, notFound } from '../errors';
import { appendRowEntry } from '../ledger/ledger';
import { log } from '../log';
import type { MovementService } from '../movements/movementService';
import { linkApplySeconds, linkMessages } from './metrics';
import type { LinkCaller, LinkOutcome, LinkSystem } from './types';
import { formatOf } from './xml';

/** The largest message taken (a manifest of a big vessel is a few hundred KB). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface ReceiveResult {
  status: 'applied' | 'duplicate';
  system: string;
  messageId: string;
  messageType: string;
  /** The stored message's id (GET /api/links/messages/{id}). */
  id: number;
  summary: Record<string, unknown>;
  reply?: LinkOutcome['reply'];
}

/** What happens after a message's commit: alerts, clears, the rules. */
export interface LinkFollowers {
  raise(a: ExternalAlert): Promise<unknown>;
  clear(episode: string, time: number, detail?: Record<string, unknown>): Promise<unknown>;
  onEvents(events: NonNullable<LinkOutcome['events']>): void;
}

export class LinkReceiver {
  private systems = new Map<string, LinkSystem>();

  constructor(
    private pool: pg.Pool,
    private movements: Pick<MovementService, 'transact'>,
    private followers: LinkFollowers,
  ) {}

  register(system: LinkSystem): this {
    this.systems.set(system.name, system as LinkSystem);
    return this;
  }

  /** The registered systems (the inbox watches one folder each; the sweeper asks each). */
  list(): LinkSystem[] {
    return [...this.systems.values()];
  }

  has(name: string): boolean {
    return this.systems.has(name);
  }

  async receive(systemName: string, text: string, caller: LinkCaller, now = Date.now()): Promise<ReceiveResult> {
    const system = this.systems.get(systemName);
    if (!system) throw notFound(`no link system ${systemName}`);
    const end = linkApplySeconds.startTimer({ system: system.name });
    try {
      if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) throw Object.assign(invalid(`message: larger than ${MAX_MESSAGE_BYTES} bytes`), { size: true });
      if (text.includes('\u0000')) throw invalid('message: contains NUL characters');
      const format = formatOf(text);
      const msg = system.parse(text, format);
      const sha = createHash('sha256').update(text).digest();
      const done = await this.movements.transact(async (tx) => {
        const c = tx.client;
        const seen = (
          await c.query<{ id: string; raw_sha256: Buffer; summary: Record<string, unknown>; reply: LinkOutcome['reply'] | null }>(
            'SELECT id, raw_sha256, summary, reply FROM link_messages WHERE system = $1 AND source = $2 AND message_id = $3',
            [system.name, caller.source, msg.messageId],
          )
        ).rows[0];
        if (seen) {
          if (!seen.raw_sha256.equals(sha)) throw conflict(`MessageID ${msg.messageId} was already used for another message`);
          return { status: 'duplicate' as const, id: Number(seen.id), summary: seen.summary, reply: seen.reply ?? undefined, outcome: null };
        }
        const { rows } = await c.query<{ id: string }>(
          `INSERT INTO link_messages (system, message_id, message_type, format, via, source, district, sent_at, raw, raw_sha256)
           VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8 / 1000.0), $9, $10) RETURNING id`,
          [system.name, msg.messageId, msg.messageType, format, caller.via, caller.source, caller.district, msg.sentAt ?? null, text, sha],
        );
        const id = Number(rows[0]!.id);
        const actor = { userId: caller.userId, username: `link:${system.name}:${caller.source}`, ip: null };
        const outcome = await system.apply({ client: c, movements: tx, caller, actor, messageRowId: id, now }, msg);
        const touched = [...new Set(outcome.movements ?? [])];
        await c.query('UPDATE link_messages SET summary = $2, reply = $3 WHERE id = $1', [
          id,
          JSON.stringify(outcome.summary),
          outcome.reply ? JSON.stringify(outcome.reply) : null,
        ]);
        if (touched.length) {
          await c.query('INSERT INTO link_message_movements (message_id, consignment_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING', [id, touched]);
        }
        await appendRowEntry(c, 'link_message', 'link_messages', id);
        return { status: 'applied' as const, id, summary: outcome.summary, reply: outcome.reply, outcome };
      });
      if (done.outcome) this.follow(done.outcome);
      linkMessages.inc({ system: system.name, via: caller.via, outcome: done.status, reason: 'none' });
      return {
        status: done.status,
        system: system.name,
        messageId: msg.messageId,
        messageType: msg.messageType,
        id: done.id,
        summary: done.summary,
        ...(done.reply && { reply: done.reply }),
      };
    } catch (err) {
      const reason = (err as { size?: boolean }).size ? 'size' : DomainError.is(err) ? err.kind : 'internal';
      linkMessages.inc({ system: system.name, via: caller.via, outcome: 'refused', reason });
      if (reason === 'internal') log.error({ err: (err as Error).message, system: system.name, source: caller.source }, 'a link message failed');
      throw err;
    } finally {
      end();
    }
  }

  /** Alerts, clears and rule events of a committed message; a failure is logged, the message stays applied. */
  private follow(o: LinkOutcome): void {
    const f = this.followers;
    for (const a of o.alerts ?? []) void f.raise(a).catch((err: Error) => log.error({ err: err.message, episode: a.episode }, 'a link alert was not stored'));
    for (const c of o.clears ?? []) void f.clear(c.episode, c.time, c.detail).catch((err: Error) => log.error({ err: err.message, episode: c.episode }, 'a link clear failed'));
    if (o.events?.length) f.onEvents(o.events);
  }

  /** Runs every system's reconciliation once (links/sweeper.ts calls this on a timer). */
  async sweep(now = Date.now()): Promise<number> {
    let raised = 0;
    for (const s of this.systems.values()) {
      if (!s.sweep) continue;
      try {
        for (const a of await s.sweep(this.pool, now)) {
          if (await this.followers.raise(a)) raised++;
        }
      } catch (err) {
        log.error({ err: (err as Error).message, system: s.name }, 'a link reconciliation failed');
      }
    }
    return raised;
  }
}
