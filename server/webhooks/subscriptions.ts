// Webhook subscriptions: the one place that writes webhook_subscriptions. A supervisor subscribes a
// URL to alert types and movement event kinds in districts of their jurisdiction; HQ sees all, a
// direct customs its district and the offices under it, an office its own. Every change is audited.
// The secret that signs the deliveries is in the create answer once; it is kept sealed.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { ALERT_TYPES } from '@/lib/domain';
import { withTransaction } from '@/db/transaction';
import { audit } from '../audit';
import { forbidden, invalid, notFound } from '../errors';
import { newSharedSecret, type SecretBox } from '../secrets/sealed';
import { checkUrl, UrlRefused } from './ssrf';

/** The movement timeline events a subscription may ask for (the kinds the links and ingest write). */
export const MOVEMENT_EVENT_KINDS = [
  'gate_in',
  'gate_out',
  'goods_in',
  'goods_out',
  'seal_applied',
  'seal_opened',
  'seal_cut',
  'seal_checked',
  'seal_replaced',
  'trn_declared',
  'trn_released',
  'trn_departed',
  'trn_arrived',
  'trn_written_off',
  'inspection_flagged',
  'inspection_result',
] as const;

export interface Actor {
  id: number;
  username: string;
  district: string;
}

const District = z.string().regex(/^[0-9]{4}$/, 'a 4-digit district code');
const unique = <T>(a: T[]) => [...new Set(a)];

export const SubscriptionBody = z
  .object({
    url: z.string().trim().min(1).max(2000),
    alertTypes: z.array(z.enum(ALERT_TYPES)).max(ALERT_TYPES.length).default([]).transform(unique),
    eventKinds: z.array(z.enum(MOVEMENT_EVENT_KINDS)).max(MOVEMENT_EVENT_KINDS.length).default([]).transform(unique),
    /** Default: the supervisor's own district (and so all of their jurisdiction). */
    districts: z.array(District).min(1).max(100).transform(unique).optional(),
    description: z
      .string()
      .trim()
      .max(200)
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters')
      .optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((b) => b.alertTypes.length + b.eventKinds.length > 0, { message: 'subscribe to at least one alert type or movement event kind' });
export type SubscriptionBody = z.infer<typeof SubscriptionBody>;

export const SubscriptionPatch = z
  .object({
    enabled: z.boolean().optional(),
    alertTypes: z.array(z.enum(ALERT_TYPES)).max(ALERT_TYPES.length).transform(unique).optional(),
    eventKinds: z.array(z.enum(MOVEMENT_EVENT_KINDS)).max(MOVEMENT_EVENT_KINDS.length).transform(unique).optional(),
    districts: z.array(District).min(1).max(100).transform(unique).optional(),
    description: z
      .string()
      .trim()
      .max(200)
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters')
      .optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type SubscriptionPatch = z.infer<typeof SubscriptionPatch>;

export interface SubscriptionOut {
  id: string;
  url: string;
  alertTypes: string[];
  eventKinds: string[];
  districts: string[];
  ownerDistrict: string;
  createdBy: string;
  createdAt: string;
  enabled: boolean;
  description: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  delivered: number;
  pending: number;
  dead: number;
}

export const secretAad = (id: string) => `webhook:${id}`;

const OUT = `s.id, s.url, s.alert_types AS "alertTypes", s.event_kinds AS "eventKinds", s.districts, s.owner_district AS "ownerDistrict",
  s.created_by AS "createdBy", s.created_at AS "createdAt", s.enabled, s.description, s.last_success_at AS "lastSuccessAt",
  s.last_error AS "lastError", s.last_error_at AS "lastErrorAt", s.delivered_count::int AS delivered,
  (SELECT count(*)::int FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.state = 'pending') AS pending,
  (SELECT count(*)::int FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.state = 'dead') AS dead`;
const MINE = `(is_hq($1) OR s.owner_district = ANY (visible_districts($1)))`;

async function checkDistricts(c: pg.ClientBase, actor: Actor, districts: string[]): Promise<void> {
  const { rows } = await c.query<{ code: string; ok: boolean }>(`SELECT code, (is_hq($1) OR code = ANY (visible_districts($1))) AS ok FROM districts WHERE code = ANY ($2)`, [
    actor.district,
    districts,
  ]);
  const unknown = districts.filter((d) => !rows.some((r) => r.code === d));
  if (unknown.length) throw invalid(`districts: no district ${unknown.join(', ')}`);
  const outside = rows.filter((r) => !r.ok).map((r) => r.code);
  if (outside.length) throw forbidden(`districts: ${outside.join(', ')} outside your jurisdiction`);
}

async function checkedUrl(url: string, allowPrivate: boolean): Promise<string> {
  try {
    return (await checkUrl(url, allowPrivate)).toString();
  } catch (err) {
    if (err instanceof UrlRefused) throw invalid(err.message);
    throw err;
  }
}

export async function listSubscriptions(pool: pg.Pool, actor: Actor): Promise<SubscriptionOut[]> {
  return (await pool.query<SubscriptionOut>(`SELECT ${OUT} FROM webhook_subscriptions s WHERE ${MINE} ORDER BY s.created_at DESC`, [actor.district])).rows;
}

export async function getSubscription(pool: pg.ClientBase | pg.Pool, actor: Actor, id: string): Promise<SubscriptionOut> {
  const row = (await pool.query<SubscriptionOut>(`SELECT ${OUT} FROM webhook_subscriptions s WHERE ${MINE} AND s.id = $2`, [actor.district, id])).rows[0];
  if (!row) throw notFound('no such webhook subscription');
  return row;
}

/** Creates a subscription; the signing secret is in this answer only. */
export async function createSubscription(
  pool: pg.Pool,
  box: SecretBox,
  body: SubscriptionBody,
  actor: Actor,
  opts: { allowPrivate: boolean; ip: string | null },
): Promise<SubscriptionOut & { secret: string }> {
  const url = await checkedUrl(body.url, opts.allowPrivate);
  const districts = body.districts ?? [actor.district];
  return withTransaction(pool, async (c) => {
    await checkDistricts(c, actor, districts);
    const id = randomUUID();
    const secret = newSharedSecret();
    await c.query(
      `INSERT INTO webhook_subscriptions (id, url, secret, alert_types, districts, event_kinds, owner_district, created_by, enabled, description)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, url, box.seal(secret, secretAad(id)), body.alertTypes, districts, body.eventKinds, actor.district, actor.username, body.enabled, body.description ?? null],
    );
    const after = await getSubscription(c, actor, id);
    await audit(c, { userId: actor.id, username: actor.username, action: 'webhook_create', entity: 'webhook_subscription', entityId: id, after, ip: opts.ip });
    return { ...after, secret };
  });
}

export async function updateSubscription(pool: pg.Pool, actor: Actor, id: string, patch: SubscriptionPatch, ip: string | null): Promise<SubscriptionOut> {
  return withTransaction(pool, async (c) => {
    await c.query('SELECT 1 FROM webhook_subscriptions WHERE id = $1 FOR UPDATE', [id]);
    const before = await getSubscription(c, actor, id);
    if (patch.districts) await checkDistricts(c, actor, patch.districts);
    const alertTypes = patch.alertTypes ?? before.alertTypes;
    const eventKinds = patch.eventKinds ?? before.eventKinds;
    if (alertTypes.length + eventKinds.length === 0) throw invalid('subscribe to at least one alert type or movement event kind');
    await c.query(`UPDATE webhook_subscriptions SET enabled = $2, alert_types = $3, event_kinds = $4, districts = $5, description = $6 WHERE id = $1`, [
      id,
      patch.enabled ?? before.enabled,
      alertTypes,
      eventKinds,
      patch.districts ?? before.districts,
      patch.description ?? before.description,
    ]);
    const after = await getSubscription(c, actor, id);
    await audit(c, { userId: actor.id, username: actor.username, action: 'webhook_update', entity: 'webhook_subscription', entityId: id, before, after, ip });
    return after;
  });
}

/** Deletes a subscription and its outbox (what was not delivered is not sent). */
export async function deleteSubscription(pool: pg.Pool, actor: Actor, id: string, ip: string | null): Promise<void> {
  await withTransaction(pool, async (c) => {
    const before = await getSubscription(c, actor, id);
    await c.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
    await audit(c, { userId: actor.id, username: actor.username, action: 'webhook_delete', entity: 'webhook_subscription', entityId: id, before, ip });
  });
}

export const DeliveriesQuery = z
  .object({
    state: z.enum(['pending', 'delivered', 'dead']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export interface DeliveryOut {
  id: number;
  eventId: string;
  kind: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  lastStatus: number | null;
  createdAt: string;
  deliveredAt: string | null;
  data: unknown;
}

export async function listDeliveries(pool: pg.Pool, actor: Actor, id: string, q: z.infer<typeof DeliveriesQuery>): Promise<DeliveryOut[]> {
  await getSubscription(pool, actor, id);
  const { rows } = await pool.query<DeliveryOut>(
    `SELECT id::int, event_id AS "eventId", kind, state, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError", last_status AS "lastStatus",
            created_at AS "createdAt", delivered_at AS "deliveredAt", payload AS data
     FROM webhook_outbox WHERE subscription_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY id DESC LIMIT $3`,
    [id, q.state ?? null, q.limit],
  );
  return rows;
}

/** Sends the dead letters again (from attempt 1); `outbox` limits it to some. Audited. */
export async function redeliver(pool: pg.Pool, actor: Actor, id: string, outbox: number[] | undefined, ip: string | null): Promise<number> {
  return withTransaction(pool, async (c) => {
    await getSubscription(c, actor, id);
    const { rowCount } = await c.query(
      `UPDATE webhook_outbox SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL
       WHERE subscription_id = $1 AND state = 'dead' AND ($2::bigint[] IS NULL OR id = ANY ($2))`,
      [id, outbox ?? null],
    );
    await audit(c, {
      userId: actor.id,
      username: actor.username,
      action: 'webhook_redeliver',
      entity: 'webhook_subscription',
      entityId: id,
      after: { redelivered: rowCount, outbox },
      ip,
    });
    return rowCount ?? 0;
  });
}
