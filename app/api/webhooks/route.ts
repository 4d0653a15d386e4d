// GET /api/webhooks — the webhook subscriptions of the supervisor's jurisdiction, with their state:
// delivered, pending and dead counts, last success, last error (never a secret).
// POST /api/webhooks {url, alertTypes[], eventKinds[], districts[]?, description?, enabled?} —
// subscribe (audited). The answer carries the signing secret once: deliveries carry
// `Notification-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. Only http(s) URLs on public
// addresses (WEBHOOKS_ALLOW_PRIVATE=1 allows private ones); districts within your jurisdiction.
import { getContext } from '@/server/context';
import { counted } from '@/server/webhooks/apiMetrics';
import { ApiError, clientIp, handler, json, parseBody, requireSession } from '@/server/http/api';
import { SubscriptionBody, createSubscription, listSubscriptions } from '@/server/webhooks/subscriptions';

export const dynamic = 'force-dynamic';

export const GET = handler(
  counted(async (request) => {
    const { user } = await requireSession(request, 'supervisor');
    return json(await listSubscriptions(getContext().pool, user));
  }),
);

export const POST = handler(
  counted(async (request) => {
    const { user } = await requireSession(request, 'supervisor');
    const body = await parseBody(SubscriptionBody, request);
    const { pool, secrets, webhooks } = getContext();
    if (!secrets) throw new ApiError(503, 'secrets are not available');
    return json(await createSubscription(pool, secrets, body, user, { allowPrivate: webhooks?.allowPrivate ?? false, ip: clientIp(request) }), 201);
  }),
);
