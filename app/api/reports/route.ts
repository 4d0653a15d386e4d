// GET /api/reports?period=day|month&date=YYYY-MM-DD|YYYY-MM&by=district|route&format=json|csv|xlsx —
// the report over what the signed-in user may see (server/queries/reports.ts); csv and xlsx download.
import { getContext } from '../../../server/context';
import { handler, parseQuery, requireSession } from '../../../server/http/api';
import { buildReport } from '../../../server/queries/reports';
import { reportCsv, reportFileName, reportXlsx } from '../../../server/reports/reportFiles';
import { send } from '@/server/http/contract';
import { getReport as contract } from '@/server/http/contracts/reports';

export const dynamic = 'force-dynamic';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const download = (name: string) => ({ 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });

export const GET = handler(async (request) => {
  const { user } = await requireSession(request);
  const q = parseQuery(contract.query, request);
  const report = await buildReport(getContext().pool, user.district, q);
  if (q.format === 'csv') return new Response(reportCsv(report), { headers: { 'content-type': 'text/csv; charset=utf-8', ...download(reportFileName(report, 'csv')) } });
  if (q.format === 'xlsx') return new Response(new Uint8Array(await reportXlsx(report)), { headers: { 'content-type': XLSX, ...download(reportFileName(report, 'xlsx')) } });
  return send(contract, 200, report);
});
