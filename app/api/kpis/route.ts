// GET /api/kpis — the video wall's figures for the signed-in user (server/queries/kpis.ts).
import { getContext } from '../../../server/context';
import { handler, requireSession } from '../../../server/http/api';
import { wallKpis } from '../../../server/queries/kpis';
import { send } from '@/server/http/contract';
import { kpis as contract } from '@/server/http/contracts/admin';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return send(contract, 200, await wallKpis(getContext().pool, user.district));
});
