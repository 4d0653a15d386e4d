// POST /api/links/wms — one goods-in or goods-out event from a provisioned warehouse system
// (server/links/wms/). No session or token: each call is signed with the system's secret.
//   X-TW-System: <name>      X-TW-Timestamp: <Unix seconds>      X-TW-Nonce: <16–64 of A-Za-z0-9_->
//   X-TW-Signature: sha256=<hex HMAC-SHA256(secret, "POST\n/api/links/wms\n<timestamp>\n<nonce>\n<hex SHA-256 of the body>")>
// A timestamp more than WMS_WINDOW_SECONDS (300) from the server's clock, an unknown system or a
// signature that does not verify: 401 (the same answer for both). A nonce used before: 409. The
// sender's eventId makes it idempotent: the same event again gets the first receipt (200).
import { getContext } from '@/server/context';
import { ApiError, handler } from '@/server/http/api';
import { send } from '@/server/http/contract';
import { receiveWmsEvent as contract } from '@/server/http/contracts/wms';
import { linkMessages } from '@/server/links/metrics';
import { MAX_MESSAGE_BYTES } from '@/server/links/receiver';
import { WmsAuthError, verifyWmsCall } from '@/server/links/wms/systems';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request) => {
  const { pool, links, secrets, wmsWindowSeconds } = getContext();
  if (!links?.has('wms') || !secrets) throw new ApiError(503, 'the wms link is not running');
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > MAX_MESSAGE_BYTES) throw new ApiError(413, `body over ${MAX_MESSAGE_BYTES} bytes`);
  let caller;
  try {
    caller = await verifyWmsCall(
      pool,
      secrets,
      { method: request.method, path: new URL(request.url).pathname, headers: request.headers, body },
      { windowSeconds: wmsWindowSeconds ?? 300 },
    );
  } catch (err) {
    if (!(err instanceof WmsAuthError)) throw err;
    linkMessages.inc({ system: 'wms', via: 'http', outcome: 'refused', reason: err.reason });
    throw new ApiError(err.status, err.message);
  }
  const { systemId: _, ...linkCaller } = caller;
  const receipt = await links.receive('wms', body.toString('utf8'), linkCaller);
  return send(contract, receipt.status === 'applied' ? 201 : 200, receipt);
});
