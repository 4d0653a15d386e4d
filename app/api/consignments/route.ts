// GET /api/consignments?status=&district=&q=&limit=&offset= — only what the user may see.
import { getContext } from '../../../server/context';
import { clientIp, handler, parseBody, parseQuery, requireSession } from '../../../server/http/api';
import { movements } from '../../../server/http/movementAction';
import { listConsignments } from '../../../server/queries/consignments';
import { send } from '@/server/http/contract';
import { listConsignments as contract, createConsignment } from '@/server/http/contracts/consignments';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  const q = parseQuery(contract.query, request);
  return send(contract, 200, await listConsignments(getContext().pool, user.district, q));
});

// POST /api/consignments — a supervisor registers a movement that touches their jurisdiction, on an
// asset whose home district is in it. The movement service stores it and tells the live hub,
// the rules and the alert districts.
export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(createConsignment.body, request);
  return send(createConsignment, 201, await movements((s) => s.create(user, body, clientIp(request))));
});
