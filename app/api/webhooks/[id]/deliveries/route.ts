// GET /api/webhooks/{id}/deliveries[?state=pending|delivered|dead&limit=100] — its recent outbox rows:
// event id, attempts, next attempt, last error and status, the data sent.
import { getContext } from '@/server/context';
import { counted } from '@/server/webhooks/apiMetrics';
import { handler, parseQuery, requireSession } from '@/server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { listWebhookDeliveries as contract } from '@/server/http/contracts/webhooks';
import { listDeliveries } from '@/server/webhooks/subscriptions';

export const dynamic = 'force-dynamic';

export const GET = handler(
  counted(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { user } = await requireSession(request, 'supervisor');
    const { id } = await parseParams(contract, params, 'no such webhook subscription');
    const q = parseQuery(contract.query, request);
    return send(contract, 200, await listDeliveries(getContext().pool, user, id, q));
  }),
);
