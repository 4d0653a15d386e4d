// An inspection task's life in one message's transaction: flagged (a movement the sender may see,
// at a site: the destination unless named), then its result, which closes it. Each step is audited
// (with the user when an officer flagged it in the console), chained in the ledger and put on the
// movement's timeline. A seal replaced at inspection is kept on the task (new_seal), not written on
// the movement: movements change only through MovementService, and the seal the movement was
// declared with stays its record; the summary and the timeline carry the new seal.
import { audit } from '@/server/audit';
import { conflict, invalid, notFound } from '@/server/errors';
import { appendRowEntry } from '@/server/ledger/ledger';
import type { ApplyContext, LinkOutcome } from '../types';
import type { InspectionFlagDoc, InspectionResultDoc } from './schema';

/** The episode of a task's INSPECTION_OVERDUE alert (raised by the sweep, cleared by the result). */
export const overdueEpisode = (inspectionId: number): string => `INSPECTION_OVERDUE/${inspectionId}`;

interface Movement {
  id: number;
  asset_id: number;
  dest_site: number;
  origin_site: number;
  status: string;
  plate: string | null;
}

/** The movement by its reference, if the sender may see it (unknown and not-yours alike). */
async function movementOf(ctx: ApplyContext, reference: string): Promise<Movement> {
  const m = (
    await ctx.client.query<Movement>(
      `SELECT k.id, k.asset_id, k.dest_site, k.origin_site, k.status, a.plate FROM visible_consignments($2) k JOIN assets a ON a.id = k.asset_id WHERE k.reference = $1`,
      [reference, ctx.caller.district],
    )
  ).rows[0];
  if (!m) throw notFound(`Inspection.Reference: no movement ${reference} that you may report on`);
  return m;
}

async function timeline(ctx: ApplyContext, kind: string, time: number, siteId: number, m: Movement, seal: string | null, detail: Record<string, unknown>): Promise<void> {
  const ev = await ctx.client.query<{ id: string }>(
    `INSERT INTO events (time, kind, site_id, asset_id, consignment_id, plate, seal_id, detail, source, link_message)
     VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [time, kind, siteId, m.asset_id, m.id, m.plate, seal, JSON.stringify(detail), ctx.caller.source, ctx.messageRowId],
  );
  await appendRowEntry(ctx.client, 'event', 'events', ev.rows[0]!.id);
}

export async function applyFlag(ctx: ApplyContext, doc: InspectionFlagDoc, time: number): Promise<LinkOutcome> {
  const c = ctx.client;
  const m = await movementOf(ctx, doc.reference);
  if (m.status === 'closed' || m.status === 'cancelled') throw conflict(`Inspection.Reference: movement ${doc.reference} has ended (${m.status})`);
  // The site: the movement's own origin or destination, or a site of the sender's jurisdiction.
  const site = doc.site
    ? (
        await c.query<{ id: number; code: string }>(
          `SELECT id, code FROM sites WHERE code = $1 AND (id = ANY ($2::int[]) OR is_hq($3) OR district = ANY (visible_districts($3)))`,
          [doc.site, [m.origin_site, m.dest_site], ctx.caller.district],
        )
      ).rows[0]
    : (await c.query<{ id: number; code: string }>('SELECT id, code FROM sites WHERE id = $1', [m.dest_site])).rows[0];
  if (!site) throw invalid(`Inspection.Site: no site ${doc.site} that you may name`);
  const open = (await c.query<{ id: number }>('SELECT id FROM inspections WHERE consignment_id = $1 AND result IS NULL FOR UPDATE', [m.id])).rows[0];
  if (open) throw conflict(`Inspection.Reference: movement ${doc.reference} already has an open inspection (task ${open.id})`);
  const row = (
    await c.query<{ id: number }>(
      `INSERT INTO inspections (consignment_id, site_id, flagged_at, flagged_by, reason, note, message)
       VALUES ($1, $2, to_timestamp($3 / 1000.0), $4, $5, $6, $7) RETURNING id`,
      [m.id, site.id, time, ctx.caller.source, doc.reason, doc.note ?? null, ctx.messageRowId],
    )
  ).rows[0]!;
  await audit(c, {
    userId: ctx.actor.userId,
    username: ctx.actor.username,
    action: 'inspection_flag',
    entity: 'inspection',
    entityId: row.id,
    after: { consignment: m.id, reference: doc.reference, site: site.code, reason: doc.reason },
    ip: ctx.actor.ip,
  });
  await appendRowEntry(c, 'inspection', 'inspections', row.id);
  await timeline(ctx, 'inspection_flagged', time, site.id, m, null, { inspection: row.id, reason: doc.reason, site: site.code, flaggedBy: ctx.caller.source });
  return {
    movements: [m.id],
    summary: { status: 'flagged', inspection: row.id, reference: doc.reference, site: site.code, reason: doc.reason, flaggedBy: ctx.caller.source },
  };
}

export async function applyResult(ctx: ApplyContext, doc: InspectionResultDoc, time: number): Promise<LinkOutcome> {
  const c = ctx.client;
  const m = await movementOf(ctx, doc.reference);
  const task = (
    await c.query<{ id: number; site_id: number; code: string; reason: string }>(
      `SELECT i.id, i.site_id, s.code, i.reason FROM inspections i JOIN sites s ON s.id = i.site_id WHERE i.consignment_id = $1 AND i.result IS NULL FOR UPDATE OF i`,
      [m.id],
    )
  ).rows[0];
  if (!task) throw conflict(`Inspection.Reference: movement ${doc.reference} has no open inspection`);
  await c.query(
    `UPDATE inspections SET result = $2, new_seal = $3, result_at = to_timestamp($4 / 1000.0), result_by = $5, note = coalesce($6, note), result_message = $7 WHERE id = $1`,
    [task.id, doc.result, doc.newSeal ?? null, time, ctx.caller.source, doc.note ?? null, ctx.messageRowId],
  );
  await audit(c, {
    userId: ctx.actor.userId,
    username: ctx.actor.username,
    action: 'inspection_result',
    entity: 'inspection',
    entityId: task.id,
    after: { consignment: m.id, reference: doc.reference, result: doc.result, newSeal: doc.newSeal ?? null },
    ip: ctx.actor.ip,
  });
  await appendRowEntry(c, 'inspection', 'inspections', task.id);
  await timeline(ctx, 'inspection_result', time, task.site_id, m, doc.newSeal ?? null, {
    inspection: task.id,
    result: doc.result,
    ...(doc.newSeal && { newSeal: doc.newSeal }),
    ...(doc.note && { note: doc.note }),
  });
  return {
    movements: [m.id],
    clears: [{ episode: overdueEpisode(task.id), time, detail: { result: doc.result, inspection: task.id } }],
    summary: {
      status: 'done',
      inspection: task.id,
      reference: doc.reference,
      site: task.code,
      reason: task.reason,
      result: doc.result,
      ...(doc.newSeal && { newSeal: doc.newSeal }),
      ...(doc.note && { note: doc.note }),
    },
  };
}
