// GET /api/federation/cursor — the last seq of the signing region's ledger stored here: where its
// forwarder resumes after a (re)connect (server/federation/README.md). Signed by the region.
import { getContext } from '@/server/context';
import { answerCursor } from '@/server/federation/receiver';
import { handler } from '@/server/http/api';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request) => {
  const { pool, secrets, federation } = getContext();
  return answerCursor({ pool, secrets, windowSeconds: federation?.windowSeconds ?? 300, count: federation?.count }, request);
});
