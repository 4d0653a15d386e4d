// GET /api/sites/{code}/ledger — a supervised site's ledger (监管场所底账): goods-in and goods-out
// entries, latest first (`before` = the `next` of the previous page, `limit` ≤ 500), and its balance
// (containers in and not out). Any signed-in user who may see the site (HQ, or its district theirs);
// another district's site and an unknown one answer alike (404).
import { z } from 'zod';
import { getContext } from '@/server/context';
import { ApiError, handler, json, parseQuery, requireSession } from '@/server/http/api';
import { siteLedgerView } from '@/server/links/site-ledger/query';

export const dynamic = 'force-dynamic';

const Query = z.object({
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const GET = handler(async (request: Request, { params }: { params: Promise<{ code: string }> }) => {
  const { user } = await requireSession(request);
  const code = (await params).code;
  if (code.length > 32 || code.includes('\u0000')) throw new ApiError(404, 'no such site');
  const page = parseQuery(Query, request);
  const view = await siteLedgerView(getContext().pool, user.district, code, page);
  if (!view) throw new ApiError(404, 'no such site');
  return json(view);
});
