// POST /api/ingest/positions — a JSON batch of position reports ({ reports: [...] } or a bare
// array). Each item is validated on its own: the answer lists the rejected ones with the reason,
// and the rest are stored with the caller's source (the body's `source` is ignored), for assets
// within the caller's scope. Every call is audited once, with its counts.
import { z } from 'zod';
import { getContext } from '../../../../server/context';
import { ApiError, clientIp, handler, json, parseBody, requireIngest } from '../../../../server/http/api';
import { ingestHttpPositions } from '../../../../server/ingest/httpPositions';
import { auditIngestCall } from '../../../../server/ingest/ingestAudit';

export const dynamic = 'force-dynamic';

import { ingestPositions as contract } from '@/server/http/contracts/ingest';
import { send } from '@/server/http/contract';

export const POST = handler(async (request) => {
  const caller = await requireIngest(request, 'positions');
  const { pool, pipeline, ingestGate } = getContext();
  if (ingestGate?.held) return json({ error: contract.errors[503] }, 503, { 'retry-after': '5' });
  let body: z.infer<typeof contract.body>;
  try {
    body = await parseBody(contract.body, request);
  } catch (err) {
    if (err instanceof ApiError) await auditIngestCall(pool, caller, 'positions', { accepted: 0, rejected: [{ reason: `body: ${err.message}` }] }, clientIp(request));
    throw err;
  }
  const items = Array.isArray(body) ? body : body.reports;
  const result = await ingestHttpPositions(pool, pipeline, caller, items);
  await auditIngestCall(pool, caller, 'positions', result, clientIp(request));
  return send(contract, result.accepted === 0 && result.rejected.length > 0 ? 422 : 200, result);
});
