// GET /api/inspections?site=CODE&state=open|done|all — the inspection tasks of the movements the
// user may see (a destination site's work list), newest first.
import { z } from 'zod';
import { getContext } from '@/server/context';
import { handler, json, parseQuery, requireSession } from '@/server/http/api';
import { TASK_STATES, inspectionTasks } from '@/server/links/inspection/tasks';

export const dynamic = 'force-dynamic';

const Query = z.object({
  site: z.string().trim().min(1).max(32).optional(),
  state: z.enum(TASK_STATES).default('open'),
});

export const GET = handler(async (request: Request) => {
  const { user } = await requireSession(request);
  const q = parseQuery(Query, request);
  return json({ tasks: await inspectionTasks(getContext().pool, user.district, q) });
});
