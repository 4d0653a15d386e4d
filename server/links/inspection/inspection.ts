// The inspection link (查验): flag a movement for inspection (InspFlag), and the result that closes
// the task (InspResult); the reconciliation raises INSPECTION_OVERDUE for a flagged movement that
// arrived more than `overdueMinutes` ago without a result. An officer's flag in the console comes
// through this same link (app/api/consignments/[id]/inspection/route.ts).
import { MAX_FUTURE_SKEW_MS } from '@/lib/domain';
import { invalid } from '@/server/errors';
import type { LinkSystem, MessageFormat, ParsedMessage } from '../types';
import { describeIssues, readMessage } from '../xml';
import { overdueInspections } from './overdue';
import { INSPECTION_ROOT, InspectionMessage, type InspectionDoc } from './schema';
import { applyFlag, applyResult } from './task';

export function parseInspection(text: string, format: MessageFormat): ParsedMessage<InspectionDoc> {
  const r = InspectionMessage.safeParse(readMessage(text, format, INSPECTION_ROOT, []));
  if (!r.success) throw invalid(describeIssues(r.error.issues));
  const { Head: h, Inspection: b } = r.data;
  const base = { messageId: h.MessageID, messageType: h.MessageType, ...(h.SendTime !== undefined && { sentAt: h.SendTime }) };
  if (h.MessageType === 'InspFlag') {
    if (!b.Reason) throw invalid('Inspection.Reason: a flag says why');
    if (b.Result || b.NewSealNo) throw invalid('Inspection.Result: a flag carries no result (send InspResult)');
    return { ...base, doc: { kind: 'flag', reference: b.reference, reason: b.Reason, ...(b.Site && { site: b.Site }), ...(b.Note && { note: b.Note }) } };
  }
  if (!b.Result) throw invalid('Inspection.Result: one of passed, issue, seal_replaced');
  if (b.Result === 'seal_replaced' && !b.NewSealNo) throw invalid('Inspection.NewSealNo: a replaced seal needs the new seal number');
  if (b.Result !== 'seal_replaced' && b.NewSealNo) throw invalid('Inspection.NewSealNo: only with Result seal_replaced');
  return { ...base, doc: { kind: 'result', reference: b.reference, result: b.Result, ...(b.NewSealNo && { newSeal: b.NewSealNo }), ...(b.Note && { note: b.Note }) } };
}

export function inspectionLink(opts: { overdueMinutes: number }): LinkSystem<InspectionDoc> {
  return {
    name: 'inspection',
    parse: parseInspection,
    async apply(ctx, msg) {
      if (msg.sentAt !== undefined && msg.sentAt > ctx.now + MAX_FUTURE_SKEW_MS) throw invalid('Head.SendTime: in the future');
      const time = msg.sentAt ?? ctx.now;
      return msg.doc.kind === 'flag' ? applyFlag(ctx, msg.doc, time) : applyResult(ctx, msg.doc, time);
    },
    sweep: (pool, now) => overdueInspections(pool, now, opts.overdueMinutes),
  };
}
