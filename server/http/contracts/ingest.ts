// Contracts of /api/ingest/*: position reports and gate/warehouse/seal events from outside systems.
import { z } from 'zod';
import { defineRoute } from '../contract';

export const MAX_POSITION_ITEMS = 5000;
export const PositionsBody = z.union([
  z.array(z.unknown()).max(MAX_POSITION_ITEMS, `at most ${MAX_POSITION_ITEMS} reports per request`),
  z.object({ reports: z.array(z.unknown()).max(MAX_POSITION_ITEMS, `at most ${MAX_POSITION_ITEMS} reports per request`) }),
]);
export const EventsBody = z.union([z.array(z.unknown()).max(1000), z.object({ events: z.array(z.unknown()).max(1000) })]);

const Rejected = z.array(z.object({ index: z.number().int(), reason: z.string() }));
const PositionsResult = z.object({ accepted: z.number().int(), rejected: Rejected });
const EventsResult = z.object({
  stored: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), id: z.number().int().optional(), reason: z.string().optional() })),
  ids: z.array(z.number().int()),
});

export const ingestPositions = defineRoute({
  method: 'post',
  path: '/api/ingest/positions',
  tag: 'ingest',
  summary: { zh: '上报定位', en: 'Post position reports' },
  description:
    'A JSON batch (`{reports: [...]}` or a bare array). Each item is validated on its own; the rest are stored with the caller’s source (the body’s `source` is ignored), for assets within its scope. Audited once per call. 422 when none was accepted.',
  access: { ingest: 'positions' },
  body: PositionsBody,
  responses: { 200: PositionsResult, 422: PositionsResult },
  errors: { 503: 'the store is behind (the database is slow or restarting): nothing was taken; send the batch again after Retry-After seconds' },
});

export const ingestEvents = defineRoute({
  method: 'post',
  path: '/api/ingest/events',
  tag: 'ingest',
  summary: { zh: '上报卡口、仓库与关锁事件', en: 'Post gate, warehouse and seal events' },
  description: '`{events: [...]}` or a bare array; stored with the caller’s source for movements and assets within its scope. Audited once per call. 422 when none was stored.',
  access: { ingest: 'events' },
  body: EventsBody,
  responses: { 200: EventsResult, 422: EventsResult },
});
