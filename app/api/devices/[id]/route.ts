// DELETE /api/devices/{id} — revoke a terminal (audited): its open connections close, and its
// logins and reports are refused from then on. PATCH — set its expected reporting interval
// (SIGNAL_LOST), which the running rules engine applies to its asset at once.
import { getContext } from '../../../../server/context';
import { assetReportInterval, revokeDevice, setReportInterval } from '../../../../server/devices/admin';
import { parseId } from '@/server/http/ids';
import { ApiError, clientIp, handler, requireSession } from '../../../../server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { patchDevice as patchContract, revokeDevice as contract } from '@/server/http/contracts/assets';
import { parseBody } from '../../../../server/http/api';

export const dynamic = 'force-dynamic';

export const DELETE = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const id = parseId((await params).id);
  const { pool, rules } = getContext();
  const assetId = (await pool.query<{ asset_id: number }>('SELECT asset_id FROM devices WHERE id = $1', [id])).rows[0]?.asset_id;
  if (!(await revokeDevice(pool, id, user, clientIp(request)))) throw new ApiError(404, 'no such device');
  // A revoked device's interval no longer counts for its asset.
  if (assetId !== undefined) rules?.setReportInterval(assetId, await assetReportInterval(pool, assetId));
  return send(contract, 200, { ok: true });
});

export const PATCH = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'supervisor');
  const { id } = await parseParams(patchContract, params);
  const { reportIntervalS } = await parseBody(patchContract.body, request);
  const { pool, rules } = getContext();
  const set = await setReportInterval(pool, id, reportIntervalS, user, clientIp(request));
  if (!set) throw new ApiError(404, 'no such device');
  rules?.setReportInterval(set.device.asset.id, set.assetIntervalS);
  return send(patchContract, 200, set.device);
});
