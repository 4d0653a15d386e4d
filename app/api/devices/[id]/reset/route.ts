// POST /api/devices/{id}/reset — a supervisor's reset (audited): a JT/T 808 terminal may register
// (0x0100) again for a new code; an OsmAnd device gets a new secret, in the answer once. Open
// connections close.
import { getContext } from '../../../../../server/context';
import { resetDevice } from '../../../../../server/devices/admin';
import { parseId } from '@/server/http/ids';
import { ApiError, clientIp, handler, requireSession } from '../../../../../server/http/api';
import { send } from '@/server/http/contract';
import { resetDevice as contract } from '@/server/http/contracts/assets';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const id = parseId((await params).id);
  const out = await resetDevice(getContext().pool, id, user, clientIp(request));
  if (!out) throw new ApiError(404, 'no such device');
  return send(contract, 200, { ok: true, ...out });
});
