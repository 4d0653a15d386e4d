// GET /api/sites/{code}/ledger — a supervised site's ledger (监管场所底账): goods-in and goods-out
// entries, latest first (`before` = the `next` of the previous page, `limit` ≤ 500), and its balance
// (containers in and not out). Any signed-in user who may see the site (HQ, or its district theirs);
// another district's site and an unknown one answer alike (404).
import { getContext } from '@/server/context';
import { ApiError, handler, parseQuery, requireSession } from '@/server/http/api';
import { parseParams, send } from '@/server/http/contract';
import { siteLedger } from '@/server/http/contracts/links';
import { siteLedgerView } from '@/server/links/site-ledger/query';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ code: string }> }) => {
  const { user } = await requireSession(request);
  const { code } = await parseParams(siteLedger, params, 'no such site');
  const page = parseQuery(siteLedger.query, request);
  const view = await siteLedgerView(getContext().pool, user.district, code, page);
  if (!view) throw new ApiError(404, 'no such site');
  return send(siteLedger, 200, view);
});
