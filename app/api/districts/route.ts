// GET /api/districts — the customs district tree the user sees; POST — a supervisor adds an office
// (隶属海关) under a direct customs of their jurisdiction (audited). The live hub's tree is reloaded.
import { getContext } from '../../../server/context';
import { clientIp, handler, parseBody, requireSession } from '../../../server/http/api';
import { addOffice, listDistricts } from '../../../server/queries/districts';
import { send } from '@/server/http/contract';
import { addOffice as addContract, listDistricts as listContract } from '@/server/http/contracts/districts';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  return send(listContract, 200, { districts: await listDistricts(getContext().pool, user.district) });
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(addContract.body, request);
  const { pool, districts, bus } = getContext();
  const added = await addOffice(pool, user, body, clientIp(request));
  await districts.load(pool);
  bus?.publish('districts');
  return send(addContract, 201, added);
});
