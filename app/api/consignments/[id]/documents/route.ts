// GET /api/consignments/{id}/documents — the link messages of a movement (declaration, bills,
// gate passes, inspection, goods in/out, zone passes), oldest first, each with its summary.
import { getContext } from '@/server/context';
import { ApiError, handler, requireSession } from '@/server/http/api';
import { parseId } from '@/server/http/ids';
import { movementDocuments } from '@/server/queries/linkMessages';
import { send } from '@/server/http/contract';
import { consignmentDocuments as contract } from '@/server/http/contracts/consignments';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request);
  const id = parseId((await params).id);
  const docs = await movementDocuments(getContext().pool, user.district, id);
  if (!docs) throw new ApiError(404, 'no such consignment');
  return send(contract, 200, { documents: docs });
});
