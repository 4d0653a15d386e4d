// GET /api/webhooks/{id} — one subscription with its state.
// PATCH /api/webhooks/{id} {enabled?, alertTypes?, eventKinds?, districts?, description?} — change it (audited).
// DELETE /api/webhooks/{id} — remove it and its undelivered outbox (audited).
import { z } from 'zod';
import { getContext } from '@/server/context';
import { counted } from '@/server/webhooks/apiMetrics';
import { ApiError, clientIp, handler, json, parseBody, requireSession } from '@/server/http/api';
import { SubscriptionPatch, deleteSubscription, getSubscription, updateSubscription } from '@/server/webhooks/subscriptions';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };
const Id = z.uuid();

async function idOf(p: Params): Promise<string> {
  const r = Id.safeParse((await p.params).id);
  if (!r.success) throw new ApiError(404, 'no such webhook subscription');
  return r.data;
}

export const GET = handler(
  counted(async (request: Request, p: Params) => {
    const { user } = await requireSession(request, 'supervisor');
    return json(await getSubscription(getContext().pool, user, await idOf(p)));
  }),
);

export const PATCH = handler(
  counted(async (request: Request, p: Params) => {
    const { user } = await requireSession(request, 'supervisor');
    const id = await idOf(p);
    const body = await parseBody(SubscriptionPatch, request);
    const after = await updateSubscription(getContext().pool, user, id, body, clientIp(request));
    if (after.enabled) getContext().webhooks?.dispatcher?.nudge();
    return json(after);
  }),
);

export const DELETE = handler(
  counted(async (request: Request, p: Params) => {
    const { user } = await requireSession(request, 'supervisor');
    await deleteSubscription(getContext().pool, user, await idOf(p), clientIp(request));
    return json({ ok: true });
  }),
);
