// GET /api/federation/regions/{id}/verify — checks the region's forwarded ledger against the roots it
// received: chain, gaps, checkpoint roots, positions digests, movements and alerts
// (server/federation/verify.ts). HQ only. A finding names the entry's seq.
import { getContext } from '@/server/context';
import { requireHq } from '@/server/federation/access';
import { RegionIdPath } from '@/server/federation/receiver';
import { verifyRegion } from '@/server/federation/verify';
import { ApiError, handler, json } from '@/server/http/api';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  await requireHq(request);
  const p = RegionIdPath.safeParse(await params);
  if (!p.success) throw new ApiError(400, 'id: a positive integer');
  const result = await verifyRegion(getContext().pool, p.data.id);
  if (!result) throw new ApiError(404, 'no such region');
  return json(result);
});
