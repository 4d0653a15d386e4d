// POST /api/federation/batches — a regional deployment's batch of ledger entries with the records
// they chain (server/federation/README.md). Signed by the region: no session. 401 unsigned, stale,
// unknown region or bad signature (one answer for the last two); 409 a replayed nonce, or a batch
// that does not start at this node's cursor (the answer names the cursor); 400 a malformed body.
import { getContext } from '@/server/context';
import { receiveBatch } from '@/server/federation/receiver';
import { handler } from '@/server/http/api';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request) => {
  const { pool, secrets, federation } = getContext();
  return receiveBatch({ pool, secrets, windowSeconds: federation?.windowSeconds ?? 300, count: federation?.count }, request);
});
