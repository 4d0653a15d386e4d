// GET /api/alerts?state=&type=&severity=&since=&until=&consignment=&district=&limit=&offset=
import { getContext } from '../../../server/context';
import { handler, json, parseQuery, requireSession } from '../../../server/http/api';
import { AlertQuery, listAlerts } from '../../../server/queries/alerts';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return json(await listAlerts(getContext().pool, user.district, parseQuery(AlertQuery, request)));
});
