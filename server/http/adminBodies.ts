// Request bodies of the supervisors' edits of routes and sites, validated at the HTTP edge. The
// query layer (server/queries/admin.ts) takes their shape as plain domain input, not these schemas.
import { z } from 'zod';
import { SITE_KINDS } from '@/lib/domain';
import { ZONE_KINDS } from '../geofence/index';
import { LineStringSchema, PolygonSchema } from './geojson';

export const RouteBody = z
  .object({
    code: z.string().trim().min(1).max(32),
    nameZh: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100),
    from: z.string().min(1).max(32),
    to: z.string().min(1).max(32),
    corridorM: z.number().positive('corridorM must be more than 0 m').max(20_000),
    path: LineStringSchema,
    /** The approval's period (有效期); absent or null: open at that end. */
    validFrom: z.string().datetime({ offset: true }).nullish(),
    validUntil: z.string().datetime({ offset: true }).nullish(),
  })
  .refine((r) => !r.validFrom || !r.validUntil || Date.parse(r.validUntil) > Date.parse(r.validFrom), {
    message: 'validUntil must be after validFrom',
    path: ['validUntil'],
  });

export const SiteBody = z.object({
  code: z.string().trim().min(1).max(32),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  kind: z.enum(SITE_KINDS),
  district: z.string().regex(/^[0-9]{4}$/),
  area: PolygonSchema,
});

/**
 * A zone as a GeoJSON Feature (what GET /api/zones lists, so an exported zone posts back as is):
 * a valid polygon; `areaCode` is the Golden Customs II area code (区域代码) its passports name.
 */
export const ZoneBody = z.object({
  type: z.literal('Feature'),
  geometry: PolygonSchema,
  properties: z.object({
    code: z.string().trim().min(1).max(32),
    nameZh: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100),
    kind: z.enum(ZONE_KINDS),
    district: z.string().regex(/^[0-9]{4}$/),
    areaCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,20}$/, 'areaCode: 1–20 letters or digits')
      .nullish()
      .transform((v) => v || null),
  }),
});
