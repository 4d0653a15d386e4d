// POST /api/ingest/events — gate in/out, warehouse goods in/out and seal events ({ events: [...] }
// or a bare array). The answer lists rejected items with the reason; the rest are stored.
import { z } from 'zod';
import { getContext } from '../../../../server/context';
import { ingestEvents } from '../../../../server/events/ingestEvents';
import { handler, json, parseBody, requireIngest } from '../../../../server/http/api';

export const dynamic = 'force-dynamic';

const Body = z.union([z.array(z.unknown()).max(1000), z.object({ events: z.array(z.unknown()).max(1000) })]);

export const POST = handler(async (request) => {
  const { source } = await requireIngest(request);
  const body = await parseBody(Body, request);
  const items = Array.isArray(body) ? body : body.events;
  const result = await ingestEvents(getContext().pool, items, source);
  getContext().onEvents?.(result.events);
  return json(result, result.stored === 0 && result.rejected.length > 0 ? 422 : 200);
});
