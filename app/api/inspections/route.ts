// GET /api/inspections?site=CODE&state=open|done|all — the inspection tasks of the movements the
// user may see (a destination site's work list), newest first.
import { getContext } from '@/server/context';
import { handler, parseQuery, requireSession } from '@/server/http/api';
import { inspectionTasks } from '@/server/links/inspection/tasks';
import { send } from '@/server/http/contract';
import { listInspections } from '@/server/http/contracts/links';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request) => {
  const { user } = await requireSession(request);
  const q = parseQuery(listInspections.query, request);
  return send(listInspections, 200, { tasks: await inspectionTasks(getContext().pool, user.district, q) });
});
