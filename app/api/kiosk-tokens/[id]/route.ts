// DELETE /api/kiosk-tokens/{id} — a supervisor revokes a kiosk token (the id issuing returned);
// the walls signed in with it lose their sessions (audited).
import { getContext } from '../../../../server/context';
import { revokeKioskToken } from '../../../../server/auth/kiosk';
import { ApiError, clientIp, handler, json, requireSession } from '../../../../server/http/api';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const id = (await params).id;
  if (!/^[0-9a-f]{16}$/.test(id)) throw new ApiError(400, 'id: 16 hex digits');
  if (!(await revokeKioskToken(getContext().pool, getContext().sessions, id, user, clientIp(request)))) throw new ApiError(404, 'no such kiosk token');
  return json({ ok: true });
});
