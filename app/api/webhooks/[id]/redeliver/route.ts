// POST /api/webhooks/{id}/redeliver {outbox?: [id…]} — send its dead letters again, from the first
// attempt (all of them, or those listed). Audited. The receiver dedupes by X-TW-Event-Id.
import { z } from 'zod';
import { getContext } from '@/server/context';
import { counted } from '@/server/webhooks/apiMetrics';
import { ApiError, clientIp, handler, json, parseBody, requireSession } from '@/server/http/api';
import { redeliver } from '@/server/webhooks/subscriptions';

export const dynamic = 'force-dynamic';

const Body = z.object({ outbox: z.array(z.number().int().positive()).min(1).max(1000).optional() }).strict();

export const POST = handler(
  counted(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { user } = await requireSession(request, 'supervisor');
    const id = z.uuid().safeParse((await params).id);
    if (!id.success) throw new ApiError(404, 'no such webhook subscription');
    const body = await parseBody(Body, request);
    const n = await redeliver(getContext().pool, user, id.data, body.outbox, clientIp(request));
    getContext().webhooks?.dispatcher?.nudge();
    return json({ redelivered: n });
  }),
);
