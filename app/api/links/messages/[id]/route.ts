// GET /api/links/messages/{id} — one link message whole (its raw XML or JSON and what it did).
// 404 both when it does not exist and when it is not the user's to see.
import { getContext } from '@/server/context';
import { ApiError, handler, requireSession } from '@/server/http/api';
import { parseId } from '@/server/http/ids';
import { linkMessage } from '@/server/queries/linkMessages';
import { send } from '@/server/http/contract';
import { getLinkMessage as contract } from '@/server/http/contracts/links';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request);
  const id = parseId((await params).id);
  const m = await linkMessage(getContext().pool, user.district, id);
  if (!m) throw new ApiError(404, 'no such message');
  return send(contract, 200, m);
});
