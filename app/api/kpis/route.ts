// GET /api/kpis — the video wall's figures for the signed-in user (server/queries/kpis.ts).
import { getContext } from '../../../server/context';
import { handler, json, requireSession } from '../../../server/http/api';
import { wallKpis } from '../../../server/queries/kpis';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return json(await wallKpis(getContext().pool, user.district));
});
