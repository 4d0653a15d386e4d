// The audit trail: every state change and sign-in, with who, when, before and after.
// Each record is also chained into the tamper-evident ledger.
import type pg from 'pg';
import { withTransaction } from '../db/transaction';
import { appendRowEntry } from './ledger/ledger';

export interface AuditRecord {
  userId?: number | null;
  username?: string | null;
  action: string;
  entity?: string;
  entityId?: string | number;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

/** Records one change inside the caller's transaction (pass a client that has BEGUN). */
export async function audit(client: pg.ClientBase, r: AuditRecord): Promise<number> {
  const { rows } = await client.query(
    `INSERT INTO audit_log (user_id, username, action, entity, entity_id, before, after, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      r.userId ?? null,
      r.username ?? null,
      r.action,
      r.entity ?? null,
      r.entityId === undefined ? null : String(r.entityId),
      r.before === undefined ? null : JSON.stringify(r.before),
      r.after === undefined ? null : JSON.stringify(r.after),
      r.ip ?? null,
    ],
  );
  const id = Number(rows[0].id);
  await appendRowEntry(client, 'audit', 'audit_log', id);
  return id;
}

/** Records one change in its own transaction. */
export function auditNow(pool: pg.Pool, r: AuditRecord): Promise<number> {
  return withTransaction(pool, (client) => audit(client, r));
}
