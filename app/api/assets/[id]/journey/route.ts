// GET /api/assets/{id}/journey?from=&to=&zoom= — the console's view of a carrier with no movement
// (a vessel under AIS): its track, alerts and events, the last 24 h by default. 404 when not the user's.
import { getContext } from '../../../../../server/context';
import { ApiError, handler, parseQuery, requireSession } from '../../../../../server/http/api';
import { parseId } from '@/server/http/ids';
import { loadAssetJourney } from '../../../../../server/queries/journey';
import { send } from '@/server/http/contract';
import { assetJourney as contract } from '@/server/http/contracts/assets';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request);
  const id = parseId((await params).id);
  const journey = await loadAssetJourney(getContext().pool, user.district, id, parseQuery(contract.query, request));
  if (!journey) throw new ApiError(404, 'no such asset');
  return send(contract, 200, journey);
});
