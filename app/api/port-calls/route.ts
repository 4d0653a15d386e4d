// GET /api/port-calls?since=&until=&asset=&place=&limit= — vessel arrivals and departures at ports
// and anchorages (detected from AIS), newest first, within the user's jurisdiction.
import { getContext } from '@/server/context';
import { handler, parseQuery, requireSession } from '@/server/http/api';
import { listPortCalls } from '@/server/links/portcalls/query';
import { send } from '@/server/http/contract';
import { listPortCalls as contract } from '@/server/http/contracts/links';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request) => {
  const { user } = await requireSession(request);
  return send(contract, 200, await listPortCalls(getContext().pool, user.district, parseQuery(contract.query, request)));
});
