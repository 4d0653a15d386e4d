// GET /api/federation/regions — the regions forwarding to this national node, with their link state
// (cursor, lag, last batch); never a secret. POST {code, name} — provision one (audited); its secret
// is in this answer once. HQ only. server/federation/README.md.
import { getContext } from '@/server/context';
import { requireHq } from '@/server/federation/access';
import { RegionBody, issueRegion, listRegions } from '@/server/federation/regions';
import { ApiError, clientIp, handler, json, parseBody } from '@/server/http/api';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  await requireHq(request);
  return json(await listRegions(getContext().pool));
});

export const POST = handler(async (request) => {
  const { user } = await requireHq(request, 'supervisor');
  const body = await parseBody(RegionBody, request);
  const { pool, secrets } = getContext();
  if (!secrets) throw new ApiError(503, 'secrets are not available');
  return json(await issueRegion(pool, secrets, body, user, clientIp(request)), 201);
});
