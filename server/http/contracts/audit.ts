// Contract of /api/audit: the audit log for supervisors, within their jurisdiction (server/queries/audit.ts).
import { z } from 'zod';
import { AuditQuery } from '../../queries/audit';
import { DistrictCode, Timestamp, defineRoute } from '../contract';

export const AuditRowOut = z
  .object({
    id: z.string().meta({ description: 'row id (a bigint, as text)' }),
    time: Timestamp,
    userId: z.number().int().nullable(),
    username: z.string().nullable().meta({ description: "who: a user's name, or system, link:<source>…" }),
    userDistrict: DistrictCode.nullable(),
    action: z.string(),
    entity: z.string().nullable(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditRow' });

export const listAudit = defineRoute({
  method: 'get',
  path: '/api/audit',
  tag: 'auth',
  summary: { zh: '审计日志', en: 'Audit log' },
  description:
    'Who changed what and when, newest first: HQ sees every row; anyone else the rows made by users of their districts and the rows about movements they may see. Filter by user, action (exact, or a prefix ending in *), object and time; page with `before` = the `next` of the page held. `format=csv` downloads the same rows (up to 5000) as CSV.',
  access: { session: 'supervisor' },
  query: AuditQuery,
  responses: {
    200: {
      content: {
        'application/json': z.object({ items: z.array(AuditRowOut), next: z.string().nullable().meta({ description: 'the `before` of the next page; null at the end' }) }),
        'text/csv': 'text',
      },
    },
  },
});
