// Gate (卡口) in/out, warehouse goods in/out and seal events from outside systems: validated,
// tied to their site, asset and movement, stored, and chained into the ledger. Only what lies
// within the caller's scope is found: assets and movements it can see (visible_assets,
// visible_consignments of its district), sites of its districts or of the movement found. What
// is unknown and what is outside the scope get the same answer, so the answer tells nothing of
// other districts. The stored source is the caller's, never the body's.
import type pg from 'pg';
import { z } from 'zod';
import { MAX_FUTURE_SKEW_MS } from '../../lib/domain';
import { withTransaction } from '../../db/transaction';
import { appendRowEntry } from '../ledger/ledger';

export const EVENT_KINDS = ['gate_in', 'gate_out', 'goods_in', 'goods_out', 'seal_applied', 'seal_opened', 'seal_cut', 'seal_checked'] as const;

export const EventSchema = z
  .object({
    kind: z.enum(EVENT_KINDS),
    time: z.union([z.number().int().positive(), z.string().datetime({ offset: true })]).transform((t) => (typeof t === 'number' ? t : Date.parse(t))),
    site: z.string().min(1).max(32).optional(), // site code
    plate: z.string().min(2).max(16).optional(),
    assetKey: z.string().min(3).max(64).optional(),
    sealId: z.string().min(1).max(32).optional(),
    reference: z.string().min(1).max(40).optional(), // consignment reference
    detail: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((e) => e.plate || e.assetKey || e.sealId || e.reference, { message: 'name the vehicle (plate or assetKey), the seal or the movement' });
export type GateEvent = z.infer<typeof EventSchema>;

export interface EventResult {
  index: number;
  id?: number;
  reason?: string;
}

/** What the rules engine needs to know about a stored event. */
export interface StoredEvent {
  id: number;
  assetId: number | null;
  consignmentId: number | null;
  kind: string;
  time: number;
}

/** Who posts: the source stored with the events, and the district whose scope they must lie in. */
export interface EventCaller {
  source: string;
  district: string;
}

/** Stores a batch; each item stands alone (a bad one is reported, the rest are stored). */
export async function ingestEvents(
  pool: pg.Pool,
  items: unknown[],
  caller: EventCaller,
  now = Date.now(),
): Promise<{ stored: number; rejected: EventResult[]; ids: number[]; events: StoredEvent[] }> {
  const rejected: EventResult[] = [];
  const ids: number[] = [];
  const stored: StoredEvent[] = [];
  for (let index = 0; index < items.length; index++) {
    const parsed = EventSchema.safeParse(items[index]);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      rejected.push({ index, reason: `${i.path.join('.') || 'event'}: ${i.message}` });
      continue;
    }
    const e = parsed.data;
    if (e.time > now + MAX_FUTURE_SKEW_MS) {
      rejected.push({ index, reason: 'time: in the future' });
      continue;
    }
    const outcome = await withTransaction(pool, async (client) => {
      // Resolve what the event names; the movement is the named one, or the asset's open one.
      const { rows } = await client.query(
        `WITH scope AS MATERIALIZED (SELECT is_hq($6) AS hq, visible_districts($6) AS codes),
              a AS (SELECT id FROM visible_assets($6) WHERE ($2::text IS NOT NULL AND plate = $2) OR ($3::text IS NOT NULL AND key = $3) LIMIT 1),
              c AS (SELECT id, asset_id, origin_site, dest_site FROM visible_consignments($6)
                    WHERE ($4::text IS NOT NULL AND reference = $4)
                       OR ($4::text IS NULL AND $5::text IS NOT NULL AND seal_id = $5 AND status IN ('planned', 'in_transit', 'overdue', 'diverted'))
                       OR ($4::text IS NULL AND $5::text IS NULL AND asset_id = (SELECT id FROM a) AND status IN ('planned', 'in_transit', 'overdue', 'diverted'))
                    ORDER BY departure DESC LIMIT 1),
              s AS (SELECT sites.id FROM sites, scope WHERE sites.code = $1
                      AND (scope.hq OR sites.district = ANY (scope.codes) OR sites.id IN (SELECT origin_site FROM c UNION ALL SELECT dest_site FROM c)))
         SELECT (SELECT id FROM s) AS site_id, coalesce((SELECT id FROM a), (SELECT asset_id FROM c)) AS asset_id, (SELECT id FROM c) AS consignment_id`,
        [e.site ?? null, e.plate ?? null, e.assetKey ?? null, e.reference ?? null, e.sealId ?? null, caller.district],
      );
      const r = rows[0];
      // One answer for "no such thing" and "not yours": no existence oracle across districts.
      const problem =
        e.site && !r.site_id
          ? `site: no site ${e.site} that you may report on`
          : (e.plate || e.assetKey) && !r.asset_id
            ? 'plate: no vehicle that you may report on'
            : e.reference && !r.consignment_id
              ? `reference: no movement ${e.reference} that you may report on`
              : null;
      if (problem) return { problem };
      const ins = await client.query(
        `INSERT INTO events (time, kind, site_id, asset_id, consignment_id, plate, seal_id, detail, source)
         VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [e.time, e.kind, r.site_id, r.asset_id, r.consignment_id, e.plate ?? null, e.sealId ?? null, JSON.stringify(e.detail ?? {}), caller.source],
      );
      const id = Number(ins.rows[0].id);
      await appendRowEntry(client, 'event', 'events', id);
      return { id, assetId: r.asset_id as number | null, consignmentId: r.consignment_id as number | null, kind: e.kind, time: e.time };
    });
    if ('problem' in outcome) rejected.push({ index, reason: outcome.problem! });
    else {
      ids.push(outcome.id);
      stored.push(outcome);
    }
  }
  return { stored: ids.length, rejected, ids, events: stored };
}
