// Contracts of the webhook subscriptions (/api/webhooks): alerts and movement events pushed to
// other systems, signed, at least once. See server/webhooks/README.md.
import { z } from 'zod';
import { DeliveriesQuery, SubscriptionBody, SubscriptionPatch } from '../../webhooks/subscriptions';
import { Ok, Timestamp, defineRoute } from '../contract';

export const WebhookIdPath = z.object({ id: z.uuid().meta({ description: 'subscription id' }) });
const NOT_FOUND = 'no such webhook subscription';

export const SubscriptionOut = z
  .object({
    id: z.string(),
    url: z.string(),
    alertTypes: z.array(z.string()),
    eventKinds: z.array(z.string()),
    districts: z.array(z.string()),
    ownerDistrict: z.string(),
    createdBy: z.string(),
    createdAt: Timestamp,
    enabled: z.boolean(),
    description: z.string().nullable(),
    lastSuccessAt: Timestamp.nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: Timestamp.nullable(),
    delivered: z.number().int(),
    pending: z.number().int(),
    dead: z.number().int().meta({ description: 'dead letters: given up after WEBHOOKS_MAX_ATTEMPTS tries' }),
  })
  .meta({ id: 'WebhookSubscription' });

export const DeliveryOut = z
  .object({
    id: z.number().int(),
    eventId: z.string().meta({ description: 'the same for every try of one event (X-TW-Event-Id)' }),
    kind: z.string(),
    state: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number().int(),
    nextAttemptAt: Timestamp,
    lastError: z.string().nullable(),
    lastStatus: z.number().int().nullable(),
    createdAt: Timestamp,
    deliveredAt: Timestamp.nullable(),
    data: z.unknown().meta({ description: 'the body sent' }),
  })
  .meta({ id: 'WebhookDelivery' });

export const listWebhooks = defineRoute({
  method: 'get',
  path: '/api/webhooks',
  tag: 'webhooks',
  summary: { zh: '推送订阅列表', en: 'List webhook subscriptions' },
  description: 'The subscriptions of the supervisor’s jurisdiction with their state: delivered, pending and dead counts, last success, last error (never a secret).',
  access: { session: 'supervisor' },
  responses: { 200: z.array(SubscriptionOut) },
});

export const createWebhook = defineRoute({
  method: 'post',
  path: '/api/webhooks',
  tag: 'webhooks',
  summary: { zh: '新建推送订阅', en: 'Subscribe a URL' },
  description:
    'Alert types and movement event kinds, in districts of your jurisdiction (audited). Only http(s) URLs on public addresses. The answer carries the signing secret once: each delivery has `Notification-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`.',
  access: { session: 'supervisor' },
  body: SubscriptionBody,
  responses: { 201: SubscriptionOut.extend({ secret: z.string().meta({ description: 'the signing secret, shown this once' }) }) },
  errors: { 503: 'secrets are not available' },
});

export const getWebhook = defineRoute({
  method: 'get',
  path: '/api/webhooks/{id}',
  tag: 'webhooks',
  summary: { zh: '推送订阅详情', en: 'A webhook subscription' },
  access: { session: 'supervisor' },
  params: WebhookIdPath,
  responses: { 200: SubscriptionOut },
  errors: { 404: NOT_FOUND },
});

export const updateWebhook = defineRoute({
  method: 'patch',
  path: '/api/webhooks/{id}',
  tag: 'webhooks',
  summary: { zh: '修改推送订阅', en: 'Change a webhook subscription' },
  description: 'Enable or disable it, or change what it subscribes to (audited).',
  access: { session: 'supervisor' },
  params: WebhookIdPath,
  body: SubscriptionPatch,
  responses: { 200: SubscriptionOut },
  errors: { 404: NOT_FOUND },
});

export const deleteWebhook = defineRoute({
  method: 'delete',
  path: '/api/webhooks/{id}',
  tag: 'webhooks',
  summary: { zh: '删除推送订阅', en: 'Remove a webhook subscription' },
  description: 'It and its undelivered outbox go (audited).',
  access: { session: 'supervisor' },
  params: WebhookIdPath,
  responses: { 200: Ok },
  errors: { 404: NOT_FOUND },
});

export const listWebhookDeliveries = defineRoute({
  method: 'get',
  path: '/api/webhooks/{id}/deliveries',
  tag: 'webhooks',
  summary: { zh: '推送记录', en: 'Recent deliveries of a subscription' },
  description: 'Its outbox rows, newest first: event id, attempts, next attempt, last error and status, the data sent.',
  access: { session: 'supervisor' },
  params: WebhookIdPath,
  query: DeliveriesQuery,
  responses: { 200: z.array(DeliveryOut) },
  errors: { 404: NOT_FOUND },
});

export const RedeliverBody = z.object({ outbox: z.array(z.number().int().positive()).min(1).max(1000).optional() }).strict();

export const redeliverWebhook = defineRoute({
  method: 'post',
  path: '/api/webhooks/{id}/redeliver',
  tag: 'webhooks',
  summary: { zh: '重新推送死信', en: 'Send dead letters again' },
  description: 'All of the subscription’s dead letters, or those listed, from the first attempt (audited). The receiver dedupes by X-TW-Event-Id.',
  access: { session: 'supervisor' },
  params: WebhookIdPath,
  body: RedeliverBody,
  responses: { 200: z.object({ redelivered: z.number().int() }) },
  errors: { 404: NOT_FOUND },
});
