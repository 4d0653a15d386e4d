// The inspection (查验) messages as zod schemas. No public schema of the inspection management
// system exists, so this link takes an envelope like the manifest's: root <InspectionMessage> with
// Head{MessageID, MessageType, SenderID, ReceiverID, SendTime} and one <Inspection> body.
// MessageType InspFlag flags a movement for inspection (布控查验): Inspection{Reference (the
// movement's reference, for a transit the TrnPreId; TrnPreId is taken as a synonym), Reason, Site
// (the inspecting site's code; default the movement's destination)}. MessageType InspResult closes
// the task: Inspection{Reference, Result (passed | issue | seal_replaced), NewSealNo (with
// seal_replaced), Note}.
import { z } from 'zod';
import { customsTime, optText, text } from '../fields';

export const INSPECTION_ROOT = 'InspectionMessage';
export const INSPECTION_MESSAGE_TYPES = ['InspFlag', 'InspResult'] as const;
export const INSPECTION_RESULTS = ['passed', 'issue', 'seal_replaced'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export const Head = z.object({
  MessageID: text(64),
  MessageType: z.enum(INSPECTION_MESSAGE_TYPES, { message: `one of ${INSPECTION_MESSAGE_TYPES.join(', ')}` }),
  SenderID: optText(64),
  ReceiverID: optText(64),
  SendTime: customsTime.optional(),
});

const reference = text(40);

const Body = z
  .object({
    Reference: optText(40),
    TrnPreId: optText(40),
    Reason: optText(500),
    Site: optText(32),
    Result: optText(16).pipe(z.enum(INSPECTION_RESULTS, { message: `one of ${INSPECTION_RESULTS.join(', ')}` }).optional()),
    NewSealNo: optText(32),
    Note: optText(1000),
  })
  .transform((b, ctx) => {
    const ref = b.Reference ?? b.TrnPreId;
    if (!ref || !reference.safeParse(ref).success) {
      ctx.addIssue({ code: 'custom', path: ['Reference'], message: 'the movement (Reference or TrnPreId) is required' });
      return z.NEVER;
    }
    return { ...b, reference: ref };
  });

export const InspectionMessage = z.object({ Head, Inspection: Body });

export interface InspectionFlagDoc {
  kind: 'flag';
  reference: string;
  reason: string;
  site?: string;
  note?: string;
}

export interface InspectionResultDoc {
  kind: 'result';
  reference: string;
  result: InspectionResult;
  newSeal?: string;
  note?: string;
}

export type InspectionDoc = InspectionFlagDoc | InspectionResultDoc;
