// GET /api/consignments/{id}/journey?from=&to=&zoom= — the console's view of one movement: route,
// sites, track with distance off route, timeline and ETA (lib/journey.ts). 404 when not the user's.
import { getContext } from '../../../../../server/context';
import { ApiError, handler, json, parseQuery, requireSession } from '../../../../../server/http/api';
import { parseId } from '@/server/http/ids';
import { JourneyQuery, loadJourney } from '../../../../../server/queries/journey';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request);
  const id = parseId((await params).id);
  const journey = await loadJourney(getContext().pool, user.district, id, parseQuery(JourneyQuery, request));
  if (!journey) throw new ApiError(404, 'no such consignment');
  return json(journey);
});
