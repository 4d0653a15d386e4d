// GET /api/port-calls?since=&until=&asset=&place=&limit= — vessel arrivals and departures at ports
// and anchorages (detected from AIS), newest first, within the user's jurisdiction.
import { getContext } from '@/server/context';
import { handler, json, parseQuery, requireSession } from '@/server/http/api';
import { listPortCalls, PortCallQuery } from '@/server/links/portcalls/query';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request) => {
  const { user } = await requireSession(request);
  return json(await listPortCalls(getContext().pool, user.district, parseQuery(PortCallQuery, request)));
});
