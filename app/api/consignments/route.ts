// GET /api/consignments?status=&district=&q=&limit=&offset= — only what the user may see.
import { getContext } from '../../../server/context';
import { clientIp, handler, json, parseBody, parseQuery, requireSession } from '../../../server/http/api';
import { ConsignmentBody, createConsignment } from '../../../server/queries/admin';
import { ListQuery, listConsignments } from '../../../server/queries/consignments';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  const q = parseQuery(ListQuery, request);
  return json(await listConsignments(getContext().pool, user.district, q));
});

// POST /api/consignments — a supervisor registers a movement that touches their jurisdiction.
export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(ConsignmentBody, request);
  const saved = await createConsignment(getContext().pool, user, body, clientIp(request));
  await getContext().onConsignmentsChanged?.();
  return json(saved, 201);
});
