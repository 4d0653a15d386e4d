// Contracts of /api/alerts: the list and the officer's acknowledge / resolve.
import { z } from 'zod';
import { ALERT_TYPES } from '@/lib/domain';
import { AlertQuery } from '../../queries/alerts';
import { IdPath, TimeMs, defineRoute } from '../contract';

export const AckBody = z.object({ note: z.string().trim().max(2000).optional() }).optional();
export const ResolveBody = z.object({ note: z.string().trim().min(1, 'a note is required to resolve').max(2000) });

export const AlertOut = z
  .object({
    id: z.number().int(),
    episode: z.string().nullable(),
    type: z.enum(ALERT_TYPES),
    severity: z.enum(['info', 'warning', 'critical']),
    assetId: z.number().int().nullable(),
    consignmentId: z.number().int().nullable(),
    time: TimeMs,
    lon: z.number().nullable(),
    lat: z.number().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    state: z.enum(['open', 'acknowledged', 'resolved']),
    ackedBy: z.string().nullable(),
    ackedAt: TimeMs.nullable(),
    resolvedBy: z.string().nullable(),
    resolvedAt: TimeMs.nullable(),
    note: z.string().nullable(),
    clearedAt: TimeMs.nullable(),
    districts: z.array(z.string()),
    assetLabel: z.string().nullable(),
    assetKind: z.enum(['vehicle', 'vessel']).nullable(),
    consignmentRef: z.string().nullable(),
  })
  .meta({ id: 'Alert' });

export const listAlerts = defineRoute({
  method: 'get',
  path: '/api/alerts',
  tag: 'alerts',
  summary: { zh: '告警列表', en: 'List alerts' },
  description: 'Alerts the user may see, newest first, filtered; `total` counts all that match.',
  access: { session: 'viewer' },
  query: AlertQuery,
  responses: { 200: z.object({ total: z.number().int(), items: z.array(AlertOut) }) },
});

const action = (verb: 'ack' | 'resolve') =>
  ({
    method: 'post',
    path: `/api/alerts/{id}/${verb}`,
    tag: 'alerts',
    access: { session: 'officer' },
    params: IdPath,
    responses: { 200: AlertOut },
    errors: {
      404: 'no such alert (or not yours to see)',
      409: verb === 'ack' ? 'the alert is not open' : 'the alert is already resolved',
      503: 'the alert service is not running',
    },
  }) as const;

export const ackAlert = defineRoute({
  ...action('ack'),
  summary: { zh: '确认告警', en: 'Acknowledge an alert' },
  description: 'An officer acknowledges an open alert, with an optional note (audited). The body may be empty.',
  body: AckBody,
});

export const resolveAlert = defineRoute({
  ...action('resolve'),
  summary: { zh: '处置告警', en: 'Resolve an alert' },
  description: 'An officer resolves an alert with a note (audited).',
  body: ResolveBody,
});
