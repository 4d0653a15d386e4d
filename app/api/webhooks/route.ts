// GET /api/webhooks — the webhook subscriptions of the supervisor's jurisdiction, with their state:
// delivered, pending and dead counts, last success, last error (never a secret).
// POST /api/webhooks {url, alertTypes[], eventKinds[], districts[]?, description?, enabled?} —
// subscribe (audited). The answer carries the signing secret once: deliveries carry
// `Notification-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. Only http(s) URLs on public
// addresses (WEBHOOKS_ALLOW_PRIVATE=1 allows private ones); districts within your jurisdiction.
import { getContext } from '@/server/context';
import { counted } from '@/server/webhooks/apiMetrics';
import { ApiError, clientIp, handler, parseBody, requireSession } from '@/server/http/api';
import { send } from '@/server/http/contract';
import { createWebhook, listWebhooks } from '@/server/http/contracts/webhooks';
import { createSubscription, listSubscriptions } from '@/server/webhooks/subscriptions';

export const dynamic = 'force-dynamic';

export const GET = handler(
  counted(async (request) => {
    const { user } = await requireSession(request, 'supervisor');
    return send(listWebhooks, 200, await listSubscriptions(getContext().pool, user));
  }),
);

export const POST = handler(
  counted(async (request) => {
    const { user } = await requireSession(request, 'supervisor');
    const body = await parseBody(createWebhook.body, request);
    const { pool, secrets, webhooks } = getContext();
    if (!secrets) throw new ApiError(503, 'secrets are not available');
    return send(createWebhook, 201, await createSubscription(pool, secrets, body, user, { allowPrivate: webhooks?.allowPrivate ?? false, ip: clientIp(request) }));
  }),
);
