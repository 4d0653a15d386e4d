// DELETE /api/links/wms/systems/{id} — revoke a warehouse system (audited): its calls are refused from then on.
import { getContext } from '@/server/context';
import { clientIp, handler, json, requireSession } from '@/server/http/api';
import { parseId } from '@/server/http/ids';
import { revokeWmsSystem } from '@/server/links/wms/systems';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const id = parseId((await params).id);
  return json(await revokeWmsSystem(getContext().pool, id, user, clientIp(request)));
});
