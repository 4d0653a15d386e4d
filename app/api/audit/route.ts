// GET /api/audit?user=&action=&entity=&entityId=&from=&to=&before=&limit=&format=json|csv — the
// audit log for supervisors, within their jurisdiction (server/queries/audit.ts says exactly what).
import { getContext } from '../../../server/context';
import { handler, parseQuery, requireSession } from '../../../server/http/api';
import { auditCsv, listAudit } from '../../../server/queries/audit';
import { send } from '@/server/http/contract';
import { listAudit as contract } from '@/server/http/contracts/audit';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const q = parseQuery(contract.query, request);
  const page = await listAudit(getContext().pool, user.district, q);
  if (q.format === 'csv') {
    const name = `audit-${new Date().toISOString().slice(0, 10)}.csv`;
    // A BOM so that a spreadsheet opens the Chinese text as UTF-8.
    return new Response('\ufeff' + auditCsv(page.items), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` } });
  }
  return send(contract, 200, page);
});
