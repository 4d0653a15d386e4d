// POST /api/webhooks/{id}/redeliver {outbox?: [id…]} — send its dead letters again, from the first
// attempt (all of them, or those listed). Audited. The receiver dedupes by X-TW-Event-Id.
import { getContext } from '@/server/context';
import { counted } from '@/server/webhooks/apiMetrics';
import { clientIp, handler, parseBody, requireSession } from '@/server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { redeliverWebhook as contract } from '@/server/http/contracts/webhooks';
import { redeliver } from '@/server/webhooks/subscriptions';

export const dynamic = 'force-dynamic';

export const POST = handler(
  counted(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { user } = await requireSession(request, 'supervisor');
    const { id } = await parseParams(contract, params, 'no such webhook subscription');
    const body = await parseBody(contract.body, request);
    const n = await redeliver(getContext().pool, user, id, body.outbox, clientIp(request));
    getContext().webhooks?.dispatcher?.nudge();
    return send(contract, 200, { redelivered: n });
  }),
);
