// Contracts of the signed warehouse link (POST /api/links/wms) and of the warehouse systems that
// may call it (/api/links/wms/systems). See server/links/wms/README.md.
import { z } from 'zod';
import { WmsEventSchema } from '../../links/wms/wms';
import { WmsSystemBody } from '../../links/wms/systems';
import { IdPath, Timestamp, defineRoute } from '../contract';
import { ReceiptOut } from './links';

export const receiveWmsEvent = defineRoute({
  method: 'post',
  path: '/api/links/wms',
  tag: 'links',
  summary: { zh: '接收仓储系统进出库事件', en: 'Send a warehouse goods-in or goods-out event' },
  description:
    'One event from a provisioned warehouse system, signed: `X-TW-System`, `X-TW-Timestamp` (Unix seconds), `X-TW-Nonce`, `X-TW-Signature: sha256=<hex HMAC-SHA256(secret, "POST\\n/api/links/wms\\n<timestamp>\\n<nonce>\\n<hex SHA-256 of the raw body>")>`. Idempotent by `eventId`: the same event again gets the first receipt (200). Feeds the site ledger and the events table.',
  access: { signed: 'wms' },
  body: WmsEventSchema,
  responses: { 201: ReceiptOut, 200: ReceiptOut.meta({ description: 'the same event again: the first receipt' }) },
  errors: {
    401: 'unsigned, a stale timestamp (over WMS_WINDOW_SECONDS off), an unknown system or a bad signature (one answer for the last two)',
    403: 'a site that is not one of the system’s',
    409: 'a nonce used before, or another body under the same eventId',
    503: 'the wms link is not running',
  },
});

export const WmsSystemOut = z
  .object({
    id: z.number().int(),
    name: z.string(),
    district: z.string(),
    sites: z.array(z.string()),
    createdBy: z.string(),
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
  })
  .meta({ id: 'WmsSystem' });

export const listWmsSystems = defineRoute({
  method: 'get',
  path: '/api/links/wms/systems',
  tag: 'links',
  summary: { zh: '仓储系统列表', en: 'List warehouse systems' },
  description: 'The warehouse systems of the supervisor’s jurisdiction (never a secret).',
  access: { session: 'supervisor' },
  responses: { 200: z.array(WmsSystemOut) },
});

export const issueWmsSystem = defineRoute({
  method: 'post',
  path: '/api/links/wms/systems',
  tag: 'links',
  summary: { zh: '接入仓储系统', en: 'Provision a warehouse system' },
  description: 'Its sites must lie in its district, the district in your jurisdiction (audited). The signing secret is in this answer once and never again.',
  access: { session: 'supervisor' },
  body: WmsSystemBody,
  responses: { 201: WmsSystemOut.extend({ secret: z.string().meta({ description: 'the HMAC secret, shown this once' }) }) },
  errors: { 409: 'a system of that name exists', 503: 'secrets are not available' },
});

export const revokeWmsSystem = defineRoute({
  method: 'delete',
  path: '/api/links/wms/systems/{id}',
  tag: 'links',
  summary: { zh: '注销仓储系统', en: 'Revoke a warehouse system' },
  description: 'Its calls are refused from then on (audited).',
  access: { session: 'supervisor' },
  params: IdPath,
  responses: { 200: WmsSystemOut },
  errors: { 404: 'no such WMS system' },
});
