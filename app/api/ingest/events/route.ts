// POST /api/ingest/events — gate in/out, warehouse goods in/out and seal events ({ events: [...] }
// or a bare array). The answer lists rejected items with the reason; the rest are stored with the
// caller's source, for movements and assets within the caller's scope. Every call is audited once.
import { z } from 'zod';
import { getContext } from '../../../../server/context';
import { ingestEvents } from '../../../../server/events/ingestEvents';
import { ApiError, clientIp, handler, parseBody, requireIngest } from '../../../../server/http/api';
import { send } from '@/server/http/contract';
import { auditIngestCall } from '../../../../server/ingest/ingestAudit';

export const dynamic = 'force-dynamic';

import { ingestEvents as contract } from '@/server/http/contracts/ingest';

export const POST = handler(async (request) => {
  const caller = await requireIngest(request, 'events');
  const { pool } = getContext();
  let body: z.infer<typeof contract.body>;
  try {
    body = await parseBody(contract.body, request);
  } catch (err) {
    if (err instanceof ApiError) await auditIngestCall(pool, caller, 'events', { accepted: 0, rejected: [{ reason: `body: ${err.message}` }] }, clientIp(request));
    throw err;
  }
  const items = Array.isArray(body) ? body : body.events;
  const result = await ingestEvents(pool, items, caller);
  await auditIngestCall(pool, caller, 'events', { accepted: result.stored, rejected: result.rejected }, clientIp(request));
  getContext().onEvents?.(result.events);
  // The stored ids, not what they were tied to: the sender learns nothing it did not name.
  return send(contract, result.stored === 0 && result.rejected.length > 0 ? 422 : 200, { stored: result.stored, rejected: result.rejected, ids: result.ids });
});
