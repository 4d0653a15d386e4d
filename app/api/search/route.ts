// GET /api/search?q=…&limit= — the console's search box (see server/queries/search.ts).
import { getContext } from '../../../server/context';
import { handler, json, parseQuery, requireSession } from '../../../server/http/api';
import { SearchQuery, search } from '../../../server/queries/search';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return json({ items: await search(getContext().pool, user.district, parseQuery(SearchQuery, request)) });
});
