// One audit row per ingest call (not one per fix or event): who posted, what kind, and how many
// items were accepted and rejected, by reason. Like every audit row it is chained into the ledger.
import type pg from 'pg';
import { auditNow } from '../audit';
import { log } from '../log';
import { reasonToken } from './metrics';
import type { IngestCaller, IngestKind } from './tokens';

export interface IngestCallSummary {
  accepted: number;
  rejected: { reason?: string }[];
}

/** Rejections counted by the field or token that failed ("lat", "reference", "body", …). */
export function countReasons(rejected: { reason?: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rejected) {
    const key = reasonToken(r.reason ?? '').slice(0, 40);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export async function auditIngestCall(pool: pg.Pool, caller: IngestCaller, kind: IngestKind, summary: IngestCallSummary, ip: string | null): Promise<void> {
  try {
    await auditNow(pool, {
      userId: caller.userId,
      username: caller.source,
      action: `ingest_${kind}`,
      entity: caller.via === 'token' ? 'ingest_token' : 'user',
      entityId: caller.name,
      after: { accepted: summary.accepted, rejected: summary.rejected.length, reasons: countReasons(summary.rejected), scope: caller.district },
      ip,
    });
  } catch (err) {
    // What was accepted stays accepted (positions are chained by the writer); the gap is logged.
    log.error({ err: (err as Error).message, source: caller.source, kind }, 'ingest call could not be audited');
  }
}
