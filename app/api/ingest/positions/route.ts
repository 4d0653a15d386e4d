// POST /api/ingest/positions — a JSON batch of position reports ({ reports: [...] } or a bare
// array). Each item is validated on its own: the answer lists the rejected ones with the reason,
// and the rest are stored.
import { z } from 'zod';
import { getContext } from '../../../../server/context';
import { handler, json, parseBody, requireIngest } from '../../../../server/http/api';
import { framesDecoded, framesRejected } from '../../../../server/ingest/metrics';

export const dynamic = 'force-dynamic';

const MAX_ITEMS = 5000;
const Body = z.union([
  z.array(z.unknown()).max(MAX_ITEMS, `at most ${MAX_ITEMS} reports per request`),
  z.object({ reports: z.array(z.unknown()).max(MAX_ITEMS, `at most ${MAX_ITEMS} reports per request`) }),
]);

export const POST = handler(async (request) => {
  await requireIngest(request);
  const body = await parseBody(Body, request);
  const items = Array.isArray(body) ? body : body.reports;
  const result = getContext().pipeline.ingestMany(items);
  framesDecoded.inc({ protocol: 'http' }, result.accepted);
  for (const r of result.rejected) framesRejected.inc({ protocol: 'http', reason: r.reason.split(':')[0]!.slice(0, 32) });
  return json(result, result.accepted === 0 && result.rejected.length > 0 ? 422 : 200);
});
