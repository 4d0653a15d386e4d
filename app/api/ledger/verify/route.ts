// GET /api/ledger/verify: walks the ledger (server/ledger/verify.ts) and returns the result as
// JSON, 200 whether it matches ({ ok: true, … }) or not ({ ok: false, firstBad, findings, … }).
// A full walk reads every stored position, so requests arriving while one runs share it.
import { getContext } from '../../../../server/context';
import { verifyLedger, type VerifyResult } from '../../../../server/ledger/verify';

export const dynamic = 'force-dynamic';

let running: Promise<VerifyResult> | undefined;

export async function GET() {
  const { pool } = getContext();
  running ??= verifyLedger(pool).finally(() => (running = undefined));
  const result = await running;
  return Response.json(result, { headers: { 'cache-control': 'no-store' } });
}
