// GET /api/alerts?state=&type=&severity=&since=&until=&consignment=&asset=&district=&limit=&offset=
import { getContext } from '../../../server/context';
import { handler, parseQuery, requireSession } from '../../../server/http/api';
import { listAlerts } from '../../../server/queries/alerts';
import { send } from '@/server/http/contract';
import { listAlerts as contract } from '@/server/http/contracts/alerts';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return send(contract, 200, await listAlerts(getContext().pool, user.district, parseQuery(contract.query, request)));
});
