// Contracts of federation (server/federation/README.md): the signed link a regional deployment calls
// on the national node, and the national's regions, records and verification (HQ only).
import { z } from 'zod';
import { RecordsQuery } from '../../federation/records';
import { RegionBody } from '../../federation/regions';
import { WireBatch } from '../../federation/wire';
import { IdPath, Timestamp, defineRoute } from '../contract';

const Cursor = z.object({ region: z.string(), cursor: z.number().int().meta({ description: 'the last seq of the region’s ledger stored here' }) }).meta({ id: 'FederationCursor' });
const SIGNED =
  'Signed by the region as the WMS link is: `X-TW-System` (the region code), `X-TW-Timestamp`, `X-TW-Nonce`, `X-TW-Signature: sha256=<hex HMAC-SHA256(secret, "METHOD\\npath\\n<timestamp>\\n<nonce>\\n<hex SHA-256 of the raw body>")>`.';

export const receiveBatch = defineRoute({
  method: 'post',
  path: '/api/federation/batches',
  tag: 'federation',
  summary: { zh: '接收关区账本批次', en: 'Receive a region’s ledger batch' },
  description: `${SIGNED} Entries after the cursor, in seq order, with the positions and the movement and alert rows they chain. Idempotent by (region, seq).`,
  access: { signed: 'federation' },
  body: WireBatch,
  responses: { 200: Cursor.extend({ stored: z.number().int(), positions: z.number().int() }) },
  errors: {
    401: 'unsigned, a stale timestamp (over FEDERATION_WINDOW_SECONDS off), an unknown region or a bad signature (one answer for the last two)',
    409: 'a nonce used before; or the batch does not start at this node’s cursor (the answer names the cursor: resume there)',
  },
});

export const regionCursor = defineRoute({
  method: 'get',
  path: '/api/federation/cursor',
  tag: 'federation',
  summary: { zh: '关区转发游标', en: 'The region’s cursor' },
  description: `${SIGNED} Where the region’s forwarder resumes after a (re)connect.`,
  access: { signed: 'federation' },
  responses: { 200: Cursor },
  errors: { 409: 'a nonce used before' },
});

export const RegionOut = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    createdBy: z.string(),
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
    lastSeq: z.number(),
    headSeq: z.number(),
    lag: z.number(),
    lastBatchAt: Timestamp.nullable(),
  })
  .meta({ id: 'FederationRegion' });

export const listRegions = defineRoute({
  method: 'get',
  path: '/api/federation/regions',
  tag: 'federation',
  summary: { zh: '下级关区列表', en: 'List the regions' },
  description: 'The regional deployments forwarding here, with their link state (cursor, lag, last batch). HQ only; never a secret.',
  access: { session: 'viewer' },
  responses: { 200: z.array(RegionOut) },
});

export const issueRegion = defineRoute({
  method: 'post',
  path: '/api/federation/regions',
  tag: 'federation',
  summary: { zh: '接入下级关区', en: 'Provision a region' },
  description: 'HQ supervisors (audited). The signing secret is in this answer once; put it in the region’s FEDERATION_SECRET_FILE.',
  access: { session: 'supervisor' },
  body: RegionBody,
  responses: { 201: RegionOut.extend({ secret: z.string() }) },
  errors: { 409: 'a region with that code exists', 503: 'secrets are not available' },
});

export const revokeRegion = defineRoute({
  method: 'delete',
  path: '/api/federation/regions/{id}',
  tag: 'federation',
  summary: { zh: '注销下级关区', en: 'Revoke a region' },
  description: 'HQ supervisors (audited). Its calls are refused from then on; what it forwarded stays.',
  access: { session: 'supervisor' },
  params: IdPath,
  responses: { 200: RegionOut },
  errors: { 404: 'no such region' },
});

const Finding = z.object({ seq: z.number(), kind: z.string(), reason: z.string(), check: z.string() });

export const verifyRegion = defineRoute({
  method: 'get',
  path: '/api/federation/regions/{id}/verify',
  tag: 'federation',
  summary: { zh: '核验关区账本', en: 'Verify a region’s ledger' },
  description: 'The forwarded chain, its checkpoint roots, the positions digests and the movements and alerts, against what the region chained. HQ only.',
  access: { session: 'viewer' },
  params: IdPath,
  responses: {
    200: z.object({
      region: z.string(),
      ok: z.boolean(),
      entries: z.number(),
      checkpoints: z.number(),
      positionBatches: z.number(),
      positionRows: z.number(),
      rows: z.number(),
      lastSeq: z.number(),
      firstBad: Finding.optional(),
      findings: z.array(Finding),
      findingsTotal: z.number(),
      ms: z.number(),
    }),
  },
  errors: { 404: 'no such region' },
});

export const listRecords = defineRoute({
  method: 'get',
  path: '/api/federation/records',
  tag: 'federation',
  summary: { zh: '关区转发记录', en: 'The regions’ movements and alerts' },
  description: 'Forwarded movements or alerts, each with its source region (来源关区). HQ only.',
  access: { session: 'viewer' },
  query: RecordsQuery,
  responses: { 200: z.array(z.object({ region: z.string(), regionName: z.string(), id: z.string(), seq: z.number(), doc: z.record(z.string(), z.unknown()) })) },
});

export const forwarderStatus = defineRoute({
  method: 'get',
  path: '/api/federation/status',
  tag: 'federation',
  summary: { zh: '转发状态', en: 'The forwarder’s state' },
  description: 'On a regional deployment: link up or down, the last seq the national node stored, the lag, the last batch and error.',
  access: { session: 'supervisor' },
  responses: {
    200: z.object({
      forwarding: z.boolean(),
      region: z.string().optional(),
      upstream: z.string().optional(),
      link: z.enum(['up', 'down', 'starting']).optional(),
      lastSentSeq: z.number().nullable().optional(),
      head: z.number().optional(),
      lag: z.number().nullable().optional(),
      lastBatchAt: z.string().nullable().optional(),
      downSince: z.string().nullable().optional(),
      lastError: z.string().nullable().optional(),
      failures: z.number().optional(),
    }),
  },
});
