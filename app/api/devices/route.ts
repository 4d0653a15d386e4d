// GET /api/devices[?revoked=1] — the terminals on assets the supervisor administers, with their
// authentication state and last contact (never a secret).
// POST /api/devices {asset, jt808: PHONE} | {asset, osmand: ID} — register a terminal to an asset
// in the supervisor's jurisdiction (audited). An OsmAnd secret is in the answer once, never again.
import { z } from 'zod';
import { getContext } from '../../../server/context';
import { DeviceBody, listDevices, registerDevice } from '../../../server/devices/admin';
import { clientIp, handler, json, parseBody, parseQuery, requireSession } from '../../../server/http/api';

export const dynamic = 'force-dynamic';

const ListQuery = z.object({ revoked: z.enum(['0', '1']).optional() }).strict();

export const GET = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const q = parseQuery(ListQuery, request);
  return json(await listDevices(getContext().pool, user.district, { revoked: q.revoked === '1' }));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(DeviceBody, request);
  return json(await registerDevice(getContext().pool, body, user, clientIp(request)), 201);
});
