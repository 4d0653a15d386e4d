// GET /api/consignments?status=&district=&q=&limit=&offset= — only what the user may see.
import { getContext } from '../../../server/context';
import { clientIp, handler, json, parseBody, parseQuery, requireSession } from '../../../server/http/api';
import { movements } from '../../../server/http/movementAction';
import { ConsignmentBody } from '../../../server/movements/bodies';
import { ListQuery, listConsignments } from '../../../server/queries/consignments';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  const q = parseQuery(ListQuery, request);
  return json(await listConsignments(getContext().pool, user.district, q));
});

// POST /api/consignments — a supervisor registers a movement that touches their jurisdiction, on an
// asset whose home district is in it. The movement service stores it and tells the live hub,
// the rules and the alert districts.
export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(ConsignmentBody, request);
  return json(await movements((s) => s.create(user, body, clientIp(request))), 201);
});
