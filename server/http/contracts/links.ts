// Contracts of the customs links (/api/links/*) and what they feed: inspection tasks, port calls,
// a site's ledger.
import { z } from 'zod';
import { LINK_SYSTEMS } from '../../links/types';
import { TASK_STATES } from '../../links/inspection/tasks';
import { PortCallQuery } from '../../links/portcalls/query';
import { IdPath, TimeMs, Timestamp, defineRoute } from '../contract';

export const LinkSystemPath = z.object({ system: z.enum(LINK_SYSTEMS).meta({ description: 'the link system' }) });

export const ReceiptOut = z
  .object({
    status: z.enum(['applied', 'duplicate']),
    system: z.string(),
    messageId: z.string(),
    messageType: z.string(),
    id: z.number().int().meta({ description: 'the stored message (GET /api/links/messages/{id})' }),
    summary: z.record(z.string(), z.unknown()),
    reply: z.object({ messageType: z.string(), body: z.record(z.string(), z.unknown()) }).optional(),
  })
  .meta({ id: 'LinkReceipt' });

export const LinkDocumentOut = z
  .object({
    id: z.number().int(),
    system: z.string(),
    messageId: z.string(),
    messageType: z.string(),
    receivedAt: TimeMs,
    sentAt: TimeMs.nullable(),
    source: z.string(),
    summary: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'LinkDocument' });

export const receiveLinkMessage = defineRoute({
  method: 'post',
  path: '/api/links/{system}',
  tag: 'links',
  summary: { zh: '接收海关系统报文', en: 'Send a customs link message' },
  description:
    'One message (XML or JSON, as the body) from a customs or partner system: manifest, transit, inspection, gate, site-ledger, zone. Idempotent per sender and MessageID: a retry gets the first answer (200 duplicate); another message under the same id is a 409.',
  access: { ingest: 'links' },
  params: LinkSystemPath,
  body: z.string().meta({ description: 'the message text (XML or JSON)' }),
  bodyType: 'text',
  responses: { 201: ReceiptOut, 200: ReceiptOut },
  errors: { 404: 'no such link system', 409: 'another message under the same MessageID', 503: 'the link is not running' },
});

export const getLinkMessage = defineRoute({
  method: 'get',
  path: '/api/links/messages/{id}',
  tag: 'links',
  summary: { zh: '报文原文', en: 'One link message, whole' },
  access: { session: 'viewer' },
  params: IdPath,
  responses: {
    200: LinkDocumentOut.extend({ format: z.enum(['xml', 'json']), via: z.string(), district: z.string(), raw: z.string(), movements: z.array(z.number().int()) }).meta({
      id: 'LinkMessage',
    }),
  },
  errors: { 404: 'no such message (or not yours to see)' },
});

export const InspectionQuery = z.object({
  site: z.string().trim().min(1).max(32).optional(),
  state: z.enum(TASK_STATES).default('open'),
});

export const listInspections = defineRoute({
  method: 'get',
  path: '/api/inspections',
  tag: 'links',
  summary: { zh: '查验任务', en: 'Inspection tasks' },
  description: "The inspection tasks of the movements the user may see (a destination site's work list), newest first.",
  access: { session: 'viewer' },
  query: InspectionQuery,
  responses: {
    200: z.object({
      tasks: z.array(
        z.object({
          id: z.number().int(),
          consignmentId: z.number().int(),
          reference: z.string(),
          plate: z.string().nullable(),
          site: z.string(),
          siteName: z.string(),
          flaggedAt: Timestamp,
          flaggedBy: z.string(),
          reason: z.string(),
          arrivedAt: Timestamp.nullable(),
          result: z.string().nullable(),
          resultAt: Timestamp.nullable(),
          newSeal: z.string().nullable(),
        }),
      ),
    }),
  },
});

export const listPortCalls = defineRoute({
  method: 'get',
  path: '/api/port-calls',
  tag: 'links',
  summary: { zh: '船舶靠港记录', en: 'Port calls' },
  description: 'Vessel arrivals and departures at ports and anchorages (detected from AIS), newest first, within the user’s jurisdiction.',
  access: { session: 'viewer' },
  query: PortCallQuery,
  responses: {
    200: z.object({
      portCalls: z.array(
        z.object({
          id: z.number().int(),
          assetId: z.number().int(),
          vessel: z.string(),
          mmsi: z.string().nullable(),
          imo: z.string().nullable(),
          place: z.string(),
          placeName: z.string(),
          kind: z.enum(['port', 'anchorage']),
          arrivedAt: Timestamp,
          departedAt: Timestamp.nullable(),
          manifest: z.object({ id: z.number().int(), voyage: z.string() }).nullable(),
        }),
      ),
    }),
  },
});

/** A site code that cannot exist (too long, NUL) answers like an unknown one: 404. */
export const SiteCodePath = z.object({
  code: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[^\u0000]*$/),
});
export const SiteLedgerQuery = z.object({
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const Held = z.object({ container: z.string(), since: TimeMs, bill: z.string().nullable(), packages: z.number().nullable(), weightKg: z.number().nullable() });

export const siteLedger = defineRoute({
  method: 'get',
  path: '/api/sites/{code}/ledger',
  tag: 'links',
  summary: { zh: '监管场所底账', en: "A site's ledger" },
  description: 'Goods-in and goods-out entries, latest first (`before` = the `next` of the previous page), and the balance (containers in and not out).',
  access: { session: 'viewer' },
  params: SiteCodePath,
  query: SiteLedgerQuery,
  responses: {
    200: z.object({
      site: z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), district: z.string() }),
      balance: z.object({ containers: z.number().int(), held: z.array(Held) }),
      entries: z.array(
        z.object({
          id: z.number().int(),
          direction: z.enum(['in', 'out']),
          container: z.string().nullable(),
          bill: z.string().nullable(),
          reference: z.string().nullable(),
          packages: z.number().nullable(),
          weightKg: z.number().nullable(),
          time: TimeMs,
          consignmentId: z.number().int().nullable(),
          consignmentRef: z.string().nullable(),
          messageId: z.number().int(),
        }),
      ),
      next: z.number().int().nullable(),
    }),
  },
  errors: { 404: 'no such site (or not yours to see)' },
});
