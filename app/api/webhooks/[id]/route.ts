// GET /api/webhooks/{id} — one subscription with its state.
// PATCH /api/webhooks/{id} {enabled?, alertTypes?, eventKinds?, districts?, description?} — change it (audited).
// DELETE /api/webhooks/{id} — remove it and its undelivered outbox (audited).
import { getContext } from '@/server/context';
import { counted } from '@/server/webhooks/apiMetrics';
import { clientIp, handler, parseBody, requireSession } from '@/server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { deleteWebhook, getWebhook, updateWebhook } from '@/server/http/contracts/webhooks';
import { deleteSubscription, getSubscription, updateSubscription } from '@/server/webhooks/subscriptions';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };
// An id that is no uuid names no subscription: 404, as for one that does not exist.
const idOf = async (p: Params) => (await parseParams(getWebhook, p.params, 'no such webhook subscription')).id;

export const GET = handler(
  counted(async (request: Request, p: Params) => {
    const { user } = await requireSession(request, 'supervisor');
    return send(getWebhook, 200, await getSubscription(getContext().pool, user, await idOf(p)));
  }),
);

export const PATCH = handler(
  counted(async (request: Request, p: Params) => {
    const { user } = await requireSession(request, 'supervisor');
    const id = await idOf(p);
    const body = await parseBody(updateWebhook.body, request);
    const after = await updateSubscription(getContext().pool, user, id, body, clientIp(request));
    if (after.enabled) getContext().webhooks?.dispatcher?.nudge();
    return send(updateWebhook, 200, after);
  }),
);

export const DELETE = handler(
  counted(async (request: Request, p: Params) => {
    const { user } = await requireSession(request, 'supervisor');
    await deleteSubscription(getContext().pool, user, await idOf(p), clientIp(request));
    return send(deleteWebhook, 200, { ok: true });
  }),
);
