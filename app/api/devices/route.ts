// GET /api/devices[?revoked=1] — the terminals on assets the supervisor administers, with their
// authentication state and last contact (never a secret).
// POST /api/devices {asset, jt808: PHONE} | {asset, osmand: ID} — register a terminal to an asset
// in the supervisor's jurisdiction (audited). An OsmAnd secret is in the answer once, never again.
import { getContext } from '../../../server/context';
import { listDevices, registerDevice } from '../../../server/devices/admin';
import { clientIp, handler, parseBody, parseQuery, requireSession } from '../../../server/http/api';

import { listDevices as listDevicesContract, registerDevice as registerDeviceContract } from '@/server/http/contracts/assets';
import { send } from '@/server/http/contract';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const q = parseQuery(listDevicesContract.query, request);
  return send(listDevicesContract, 200, await listDevices(getContext().pool, user.district, { revoked: q.revoked === '1' }));
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(registerDeviceContract.body, request);
  return send(registerDeviceContract, 201, await registerDevice(getContext().pool, body, user, clientIp(request)));
});
