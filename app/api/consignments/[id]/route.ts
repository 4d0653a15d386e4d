// GET /api/consignments/{id} — 404 both when it does not exist and when it is not the user's to see.
// PATCH /api/consignments/{id} {sealId?, goods?, carrier?, reason?} — a supervisor corrects an open
// movement (404 not theirs to see, 409 ended); audited and chained.
import { getContext } from '../../../../server/context';
import { ApiError, handler, requireSession } from '../../../../server/http/api';
import { parseId } from '@/server/http/ids';
import { getConsignment } from '../../../../server/queries/consignments';
import { send } from '@/server/http/contract';
import { getConsignment as contract } from '@/server/http/contracts/consignments';
import { editMovement } from '@/server/http/movementAction';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request);
  const id = parseId((await params).id);
  const c = await getConsignment(getContext().pool, user.district, id);
  if (!c) throw new ApiError(404, 'no such consignment');
  return send(contract, 200, c);
});

export const PATCH = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => editMovement(request, (await params).id));
