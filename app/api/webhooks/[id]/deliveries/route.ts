// GET /api/webhooks/{id}/deliveries[?state=pending|delivered|dead&limit=100] — its recent outbox rows:
// event id, attempts, next attempt, last error and status, the data sent.
import { z } from 'zod';
import { getContext } from '@/server/context';
import { counted } from '@/server/webhooks/apiMetrics';
import { ApiError, handler, json, parseQuery, requireSession } from '@/server/http/api';
import { DeliveriesQuery, listDeliveries } from '@/server/webhooks/subscriptions';

export const dynamic = 'force-dynamic';

export const GET = handler(
  counted(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { user } = await requireSession(request, 'supervisor');
    const id = z.uuid().safeParse((await params).id);
    if (!id.success) throw new ApiError(404, 'no such webhook subscription');
    const q = parseQuery(DeliveriesQuery, request);
    return json(await listDeliveries(getContext().pool, user, id.data, q));
  }),
);
