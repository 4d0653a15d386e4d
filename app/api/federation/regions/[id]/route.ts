// DELETE /api/federation/regions/{id} — revoke a region (HQ supervisor, audited): its calls are
// refused from then on; what it forwarded stays.
import { getContext } from '@/server/context';
import { requireHq } from '@/server/federation/access';
import { RegionIdPath } from '@/server/federation/receiver';
import { revokeRegion } from '@/server/federation/regions';
import { ApiError, clientIp, handler, json } from '@/server/http/api';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireHq(request, 'supervisor');
  const p = RegionIdPath.safeParse(await params);
  if (!p.success) throw new ApiError(400, 'id: a positive integer');
  return json(await revokeRegion(getContext().pool, p.data.id, user, clientIp(request)));
});
