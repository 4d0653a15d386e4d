// DELETE /api/zones/{code} — remove a zone (supervisor, within their jurisdiction; audited). Unknown
// and not-yours answer the same 404. The rules reload their fences after it.
import { getContext } from '../../../../server/context';
import { clientIp, handler, requireSession } from '../../../../server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { deleteZone as contract } from '@/server/http/contracts/admin';
import { deleteZone } from '../../../../server/queries/zones';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ code: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const { code } = await parseParams(contract, params);
  const deleted = await deleteZone(getContext().pool, user, code, clientIp(request));
  await getContext().onWorldChanged?.();
  return send(contract, 200, { ok: true, ...deleted });
});
