// GET /api/world — the static picture for the map, scoped to the user (server/queries/world.ts).
import { getContext } from '../../../server/context';
import { handler, json, requireSession } from '../../../server/http/api';
import { loadWorld } from '../../../server/queries/world';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return json(await loadWorld(getContext().pool, user.district), 200, { 'cache-control': 'private, max-age=60' });
});
