// Builds inspection messages (schema.ts) from plain objects, as XML (the demo generator) or as the
// same object in JSON (the console's flag goes through the link this way).
import { buildXml } from '../buildXml';
import { customsTimeString } from '../fields';
import { INSPECTION_ROOT, type InspectionResult } from './schema';

export const INSPECTION_NAMESPACE = 'urn:transitwatch:inspection';

export interface InspectionEnvelope {
  messageId: string;
  /** ms; written as yyyyMMddHHmmssSSS Beijing time. Default: now. */
  sentAt?: number;
  senderId?: string;
  receiverId?: string;
}

export interface InspectionFlagInput extends InspectionEnvelope {
  /** The movement's reference (a transit declaration's TrnPreId). */
  reference: string;
  reason: string;
  /** The inspecting site's code; default the movement's destination. */
  site?: string;
  note?: string;
}

export interface InspectionResultInput extends InspectionEnvelope {
  reference: string;
  result: InspectionResult;
  /** With result seal_replaced. */
  newSeal?: string;
  note?: string;
}

const head = (e: InspectionEnvelope, type: 'InspFlag' | 'InspResult') => ({
  MessageID: e.messageId,
  MessageType: type,
  SenderID: e.senderId,
  ReceiverID: e.receiverId,
  SendTime: customsTimeString(e.sentAt ?? Date.now()),
});

/** The message as the object both formats carry (`{ InspectionMessage: { Head, Inspection } }`). */
export function inspectionFlagObject(f: InspectionFlagInput) {
  return { [INSPECTION_ROOT]: { Head: head(f, 'InspFlag'), Inspection: { Reference: f.reference, Reason: f.reason, Site: f.site, Note: f.note } } };
}

export function inspectionResultObject(r: InspectionResultInput) {
  return { [INSPECTION_ROOT]: { Head: head(r, 'InspResult'), Inspection: { Reference: r.reference, Result: r.result, NewSealNo: r.newSeal, Note: r.note } } };
}

export function buildInspectionFlag(f: InspectionFlagInput): string {
  return buildXml(INSPECTION_ROOT, INSPECTION_NAMESPACE, inspectionFlagObject(f)[INSPECTION_ROOT]!);
}

export function buildInspectionResult(r: InspectionResultInput): string {
  return buildXml(INSPECTION_ROOT, INSPECTION_NAMESPACE, inspectionResultObject(r)[INSPECTION_ROOT]!);
}
