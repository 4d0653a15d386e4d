// GET /api/world — the static picture for the map, scoped to the user (server/queries/world.ts).
import { getContext } from '../../../server/context';
import { handler, requireSession } from '../../../server/http/api';
import { loadWorld } from '../../../server/queries/world';
import { send, type ResponseBody } from '@/server/http/contract';
import { world as contract } from '@/server/http/contracts/admin';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return send(contract, 200, (await loadWorld(getContext().pool, user.district)) as ResponseBody<typeof contract, 200>, { 'cache-control': 'private, max-age=60' });
});
