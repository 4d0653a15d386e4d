// DELETE /api/zones/{code} — remove a zone (supervisor, within their jurisdiction; audited). Unknown
// and not-yours answer the same 404. The rules reload their fences after it.
import { getContext } from '../../../../server/context';
import { ApiError, clientIp, handler, json, requireSession } from '../../../../server/http/api';
import { deleteZone } from '../../../../server/queries/zones';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ code: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const code = (await params).code;
  if (code.length < 1 || code.length > 32 || code.includes('\u0000')) throw new ApiError(400, 'code: 1–32 characters');
  const deleted = await deleteZone(getContext().pool, user, code, clientIp(request));
  await getContext().onWorldChanged?.();
  return json({ ok: true, ...deleted });
});
