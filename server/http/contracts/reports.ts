// Contract of the reports: daily and monthly figures per district or route (server/queries/reports.ts),
// as JSON, CSV or XLSX.
import { z } from 'zod';
import { Timestamp, defineRoute } from '../contract';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** A real calendar day (no 2026-02-30) or month, years 2000–2099. */
function dateProblem(period: 'day' | 'month', date: string): string | null {
  const m = (period === 'day' ? DAY : MONTH).exec(date);
  if (!m) return period === 'day' ? 'a day is YYYY-MM-DD' : 'a month is YYYY-MM';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
  if (y < 2000 || y > 2099) return 'the year must be 2000–2099';
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return `${date} is not a calendar ${period}`;
  return null;
}

export const ReportQuery = z
  .strictObject({
    period: z.enum(['day', 'month']).default('day').meta({ description: 'a China Standard Time day or calendar month' }),
    date: z.string().meta({ description: 'YYYY-MM-DD for a day, YYYY-MM for a month', example: '2026-12-05' }),
    by: z.enum(['district', 'route']).default('district').meta({ description: 'rows per district (one level below yours) or per route' }),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  })
  .superRefine((q, ctx) => {
    const problem = dateProblem(q.period, q.date);
    if (problem) ctx.addIssue({ code: 'custom', path: ['date'], message: problem });
  });

const Figures = {
  movements: z.number().int().meta({ description: 'movements that departed in the period (cancelled ones left out)' }),
  arrived: z.number().int(),
  onTime: z.number().int().meta({ description: 'arrived by the deadline' }),
  onTimeRate: z.number().nullable().meta({ description: 'onTime / arrived; null when none arrived' }),
  meanTransitS: z.number().nullable().meta({ description: 'mean arrival − departure of the arrived ones, seconds' }),
  alerts: z.number().int().meta({ description: 'alerts raised in the period, information events left out' }),
  alertsByType: z.array(z.object({ type: z.string(), count: z.number().int() })),
};

export const ReportOut = z
  .object({
    period: z.enum(['day', 'month']),
    date: z.string(),
    by: z.enum(['district', 'route']),
    timeZone: z.literal('Asia/Shanghai'),
    from: Timestamp,
    to: Timestamp,
    rows: z.array(z.object({ key: z.string().meta({ description: "district or route code; '' for no route" }), nameZh: z.string(), nameEn: z.string(), ...Figures })),
    total: z.object(Figures),
    cellDeg: z.number().meta({ description: 'the deviation grid cell, degrees' }),
    spots: z.array(z.object({ lon: z.number(), lat: z.number(), count: z.number().int() })).meta({ description: 'the busiest route-deviation cells, centre and count' }),
  })
  .meta({ id: 'Report' });

export const getReport = defineRoute({
  method: 'get',
  path: '/api/reports',
  tag: 'consignments',
  summary: { zh: '统计报表', en: 'Daily and monthly report' },
  description:
    'Movements, on-time rate, alerts by type, mean transit time and the top route-deviation spots over a China Standard Time day or month, per district or route, within your jurisdiction. `format=csv` or `xlsx` downloads it (XLSX: a summary sheet, alerts by type, deviation spots).',
  access: { session: 'viewer' },
  query: ReportQuery,
  responses: {
    200: {
      content: {
        'application/json': ReportOut,
        'text/csv': 'text',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': z.string().meta({ format: 'binary' }),
      },
    },
  },
});
