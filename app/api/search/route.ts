// GET /api/search?q=…&limit= — the console's search box (see server/queries/search.ts).
import { getContext } from '../../../server/context';
import { handler, parseQuery, requireSession } from '../../../server/http/api';
import { search } from '../../../server/queries/search';
import { send } from '@/server/http/contract';
import { search as contract } from '@/server/http/contracts/admin';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return send(contract, 200, { items: await search(getContext().pool, user.district, parseQuery(contract.query, request)) });
});
