// GET /api/consignments/{id}/journey?from=&to=&zoom= — the console's view of one movement: route,
// sites, track with distance off route, timeline and ETA (lib/journey.ts). 404 when not the user's.
import { getContext } from '../../../../../server/context';
import { ApiError, handler, parseQuery, requireSession } from '../../../../../server/http/api';
import { parseId } from '@/server/http/ids';
import { loadJourney } from '../../../../../server/queries/journey';
import { send } from '@/server/http/contract';
import { consignmentJourney as contract } from '@/server/http/contracts/consignments';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request);
  const id = parseId((await params).id);
  const journey = await loadJourney(getContext().pool, user.district, id, parseQuery(contract.query, request));
  if (!journey) throw new ApiError(404, 'no such consignment');
  return send(contract, 200, journey);
});
