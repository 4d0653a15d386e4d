// The warehouse (WMS) link: one goods-in or goods-out event per call, as JSON, from a provisioned
// WMS system (systems.ts) whose signature the route checked. It goes through the links receiver
// like every other link (one transaction, idempotent per system and event id: the sender's retry
// gets the first receipt) and feeds the site ledger exactly as a site-ledger message does
// (applySiteLedger: ties to the movement, NOT_RECEIVED cleared, UNDECLARED_OUT raised), and puts
// every event on the events table, tied or not, with its order and seal.
//
//   { "eventId": "WMS-20261205-000123",            the sender's id of this event (idempotency key)
//     "type": "GOODS_IN" | "GOODS_OUT",
//     "site": "WGQ-BZ",                            one of the system's sites
//     "time": "2026-12-05T10:00:00+08:00",         ISO 8601 with an offset, or yyyyMMddHHmmss (Beijing)
//     "order": "SO-1", "container": "MSKU1234565", "bill": "COSU…", "reference": "TRN…",
//     "seal": "SEAL-1", "packages": 120, "grossWeightKg": 18250.5, "netWeightKg": 17100,
//     "sentAt": "…" }                              container or bill at least; the rest optional
import { z } from 'zod';
import { invalid } from '@/server/errors';
import { customsTime, decimal, optText, text } from '../fields';
import { applySiteLedger } from '../site-ledger/site-ledger';
import type { SiteLedgerDoc } from '../site-ledger/schema';
import type { LinkSystem, ParsedMessage } from '../types';
import { describeIssues } from '../xml';

const number = (max: number, integer: boolean) => decimal.pipe(integer ? z.number().int().min(0).max(max) : z.number().min(0).max(max)).optional();

export const WmsEventSchema = z
  .object({
    eventId: text(64).pipe(z.string().regex(/^[\x21-\x7e]+$/, { message: 'printable ASCII without spaces' })),
    type: z.enum(['GOODS_IN', 'GOODS_OUT'], { message: 'GOODS_IN or GOODS_OUT' }),
    site: text(32),
    time: customsTime,
    order: optText(64),
    container: optText(20)
      .transform((v) => v?.replace(/[\s-]/g, '').toUpperCase() || undefined)
      .refine((v) => v === undefined || /^[A-Z0-9]{4,15}$/.test(v), { message: 'a container number: 4 to 15 letters and digits' }),
    bill: optText(64),
    reference: optText(40),
    seal: optText(64),
    packages: number(10_000_000, true),
    grossWeightKg: number(1_000_000, false),
    netWeightKg: number(1_000_000, false),
    sentAt: customsTime.optional(),
  })
  .strict()
  .refine((e) => e.container !== undefined || e.bill !== undefined, { message: 'name the container or the bill' })
  .refine((e) => e.netWeightKg === undefined || e.grossWeightKg === undefined || e.netWeightKg <= e.grossWeightKg, {
    message: 'netWeightKg must not exceed grossWeightKg',
    path: ['netWeightKg'],
  });

export function parseWmsEvent(text: string, format: 'xml' | 'json'): ParsedMessage<SiteLedgerDoc> {
  if (format !== 'json') throw invalid('the WMS link takes one JSON event (see server/links/wms/README.md)');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid('the body is not valid JSON');
  }
  const r = WmsEventSchema.safeParse(body);
  if (!r.success) throw invalid(describeIssues(r.error.issues));
  const e = r.data;
  return {
    messageId: e.eventId,
    messageType: e.type,
    ...(e.sentAt !== undefined && { sentAt: e.sentAt }),
    doc: {
      site: e.site,
      records: [
        {
          direction: e.type === 'GOODS_IN' ? 'in' : 'out',
          container: e.container,
          bill: e.bill,
          reference: e.reference,
          packages: e.packages,
          weightKg: e.grossWeightKg,
          time: e.time,
          order: e.order,
          seal: e.seal,
          netWeightKg: e.netWeightKg,
        },
      ],
    },
  };
}

export const wmsLink: LinkSystem<SiteLedgerDoc> = {
  name: 'wms',
  parse: parseWmsEvent,
  apply: async (ctx, msg) => {
    const outcome = await applySiteLedger(ctx, msg, { untiedEvents: true });
    outcome.summary = { eventId: msg.messageId, ...outcome.summary };
    return outcome;
  },
};
