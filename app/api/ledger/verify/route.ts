// GET /api/ledger/verify: walks the ledger (server/ledger/verify.ts) and returns the result as
// JSON, 200 whether it matches ({ ok: true, … }) or not ({ ok: false, firstBad, findings, … }).
// A full walk reads every stored position, so requests arriving while one runs share it. The
// chain is checked against the anchor log outside the database (server/ledger/anchor.ts).
import { getContext } from '../../../../server/context';
import { handler, requireSession } from '../../../../server/http/api';
import { loadAnchorPublicKey } from '../../../../server/ledger/anchorKey';
import { verifyLedger, type VerifyResult } from '../../../../server/ledger/verify';
import { send } from '@/server/http/contract';
import { verifyLedger as contract } from '@/server/http/contracts/admin';

export const dynamic = 'force-dynamic';

let running: Promise<VerifyResult> | undefined;

// Supervisors only: a walk reads every stored position.
export const GET = handler(async (request) => {
  await requireSession(request, 'supervisor');
  const { pool, ledgerAnchors } = getContext();
  const anchors = ledgerAnchors && { file: ledgerAnchors.anchorFile, key: loadAnchorPublicKey(ledgerAnchors.keyFile), graceMs: ledgerAnchors.graceMs };
  running ??= verifyLedger(pool, { anchors }).finally(() => (running = undefined));
  return send(contract, 200, await running);
});
