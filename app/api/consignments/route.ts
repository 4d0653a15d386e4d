// GET /api/consignments?status=&district=&q=&limit=&offset= — only what the user may see.
import { getContext } from '../../../server/context';
import { handler, json, parseQuery, requireSession } from '../../../server/http/api';
import { ListQuery, listConsignments } from '../../../server/queries/consignments';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  const q = parseQuery(ListQuery, request);
  return json(await listConsignments(getContext().pool, user.district, q));
});
