// The transit declaration link (H2018 转关): the declaration creates the movement (declare.ts);
// release (放行, with the transit number TurnNo), write-off (核销) and cancel (撤销) move it through
// advanceDeclaration (progress.ts). Departed and arrived come from the gate link, not from here.
// Steps touch only declarations whose movement the sender may see; an unknown declaration and
// another district's get the same answer.
import { conflict, invalid, notFound } from '@/server/errors';
import { MAX_FUTURE_SKEW_MS } from '@/lib/domain';
import type { ApplyContext, LinkOutcome, LinkSystem, MessageFormat, ParsedMessage } from '../types';
import { describeIssues, readMessage } from '../xml';
import { applyDeclaration } from './declare';
import { advanceDeclaration, type DeclarationStatus } from './progress';
import { DeclarationMessage, Head, StepMessage, TRANSIT_ARRAYS, TRANSIT_ROOT, type TransitDoc, type TransitStepDoc } from './schema';

const STEP_OF: Record<string, TransitStepDoc['kind']> = { TrnRelease: 'release', TrnWriteOff: 'writeoff', TrnCancel: 'cancel' };
const STATUS_OF: Record<TransitStepDoc['kind'], DeclarationStatus> = { release: 'released', writeoff: 'written_off', cancel: 'cancelled' };

export function parseTransit(text: string, format: MessageFormat): ParsedMessage<TransitDoc> {
  const raw = readMessage(text, format, TRANSIT_ROOT, TRANSIT_ARRAYS);
  const head = Head.safeParse(raw.Head);
  if (!head.success) throw invalid(describeIssues(head.error.issues.map((i) => ({ ...i, path: ['Head', ...i.path] }))));
  const { MessageID, MessageType, SendTime } = head.data;
  const base = { messageId: MessageID, messageType: MessageType, ...(SendTime !== undefined && { sentAt: SendTime }) };
  if (MessageType === 'TrnDeclaration') {
    const r = DeclarationMessage.safeParse(raw);
    if (!r.success) throw invalid(describeIssues(r.error.issues));
    return { ...base, doc: { kind: 'declaration', head: r.data.TrnHead, bills: r.data.TrnList, containers: r.data.TrnContainers?.TrnContainer ?? [] } };
  }
  const r = StepMessage.safeParse(raw);
  if (!r.success) throw invalid(describeIssues(r.error.issues));
  const kind = STEP_OF[MessageType]!;
  if (kind === 'release' && !r.data.TrnHead.TurnNo) throw invalid('TrnHead.TurnNo: a release carries the transit number');
  return {
    ...base,
    doc: { kind, preId: r.data.TrnHead.TrnPreId, ...(r.data.TrnHead.TurnNo && { turnNo: r.data.TrnHead.TurnNo }), ...(r.data.TrnHead.Notes && { notes: r.data.TrnHead.Notes }) },
  };
}

/** When the step happened: the envelope's send time, never in the future. */
function timeOf(ctx: ApplyContext, msg: ParsedMessage<TransitDoc>): number {
  if (msg.sentAt === undefined) return ctx.now;
  if (msg.sentAt > ctx.now + MAX_FUTURE_SKEW_MS) throw invalid('Head.SendTime: in the future');
  return msg.sentAt;
}

async function applyStep(ctx: ApplyContext, doc: TransitStepDoc, time: number): Promise<LinkOutcome> {
  const c = ctx.client;
  const d = (
    await c.query<{ id: number; consignment_id: number; turn_no: string | null }>(
      `SELECT t.id, t.consignment_id, t.turn_no FROM transit_declarations t JOIN visible_consignments($2) k ON k.id = t.consignment_id WHERE t.pre_id = $1`,
      [doc.preId, ctx.caller.district],
    )
  ).rows[0];
  if (!d) throw notFound(`TrnHead.TrnPreId: no transit declaration ${doc.preId} that you may report on`);
  if (doc.kind === 'release') {
    if (d.turn_no && d.turn_no !== doc.turnNo) throw conflict(`TrnHead.TurnNo: declaration ${doc.preId} was released as ${d.turn_no}`);
    // Chained with the status by advanceDeclaration, in this transaction.
    await c.query('UPDATE transit_declarations SET turn_no = $2 WHERE id = $1', [d.id, doc.turnNo]);
  }
  const detail = { ...(doc.turnNo && { turnNo: doc.turnNo }), ...(doc.notes && { notes: doc.notes }) };
  const step = await advanceDeclaration(ctx, d.consignment_id, STATUS_OF[doc.kind], time, detail);
  const now = (await c.query<{ status: string; turn_no: string | null }>('SELECT status, turn_no FROM transit_declarations WHERE id = $1', [d.id])).rows[0]!;
  return {
    movements: [d.consignment_id],
    summary: {
      status: now.status,
      declaration: doc.preId,
      ...(now.turn_no && { turnNo: now.turn_no }),
      ...(step ? { from: step.from } : { unchanged: true }),
      ...(doc.notes && { note: doc.notes }),
    },
  };
}

export const transitLink: LinkSystem<TransitDoc> = {
  name: 'transit',
  parse: parseTransit,
  async apply(ctx, msg) {
    const time = timeOf(ctx, msg);
    return msg.doc.kind === 'declaration' ? applyDeclaration(ctx, msg.doc, time) : applyStep(ctx, msg.doc, time);
  },
};
