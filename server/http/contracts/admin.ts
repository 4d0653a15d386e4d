// Contracts of the map's picture and the supervisors' administration: routes, sites, zones, the
// world, wall KPIs, search, kiosk tokens, the ledger check.
import { z } from 'zod';
import { ALERT_TYPES, SITE_KINDS } from '@/lib/domain';
import { ZONE_KINDS } from '../../geofence/index';
import { SearchQuery } from '../../queries/search';
import { RouteBody, SiteBody, ZoneBody } from '../adminBodies';
import { RouteRulesOverrides } from '../../rules/routeRules';
import { FeatureCollectionOut, FeatureOut, GeometryOut, LineStringOut, PolygonOut } from '../geojson';
import { DistrictCode, Ok, TimeMs, Timestamp, defineRoute } from '../contract';

const Saved = z.object({ id: z.number().int(), code: z.string(), created: z.boolean() });
const saved = { 200: Saved.meta({ description: 'updated' }), 201: Saved.meta({ description: 'created' }) };

export const RoutesOut = FeatureCollectionOut(
  FeatureOut(
    LineStringOut,
    z.object({
      code: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      corridorM: z.number(),
      from: z.string(),
      to: z.string(),
      validFrom: Timestamp.nullable().meta({ description: 'approved from (null: open)' }),
      validUntil: Timestamp.nullable().meta({ description: 'approved until, exclusive (null: open)' }),
      changedBy: z.string().nullable().meta({ description: 'who made the last audited change' }),
      changedAt: Timestamp.nullable(),
    }),
  ),
);
export const SitesOut = FeatureCollectionOut(
  FeatureOut(
    PolygonOut,
    z.object({
      code: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      kind: z.enum(SITE_KINDS),
      district: DistrictCode,
      changedBy: z.string().nullable(),
      changedAt: Timestamp.nullable(),
    }),
  ),
);
export const ZonesOut = FeatureCollectionOut(
  FeatureOut(
    PolygonOut,
    z.object({
      code: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      kind: z.enum(ZONE_KINDS),
      district: z.string().nullable(),
      areaCode: z.string().nullable(),
      changedBy: z.string().nullable(),
      changedAt: Timestamp.nullable(),
    }),
  ),
);

export const listRoutes = defineRoute({
  method: 'get',
  path: '/api/routes',
  tag: 'map',
  summary: { zh: '批准路线', en: 'Approved routes' },
  description: 'The routes the user may see, as a GeoJSON FeatureCollection by code.',
  access: { session: 'viewer' },
  responses: { 200: RoutesOut },
});

export const saveRoute = defineRoute({
  method: 'post',
  path: '/api/routes',
  tag: 'map',
  summary: { zh: '新建或修改路线', en: 'Create or update a route' },
  description: 'A supervisor, within their jurisdiction as stored and as written (audited). At most 5,000 positions and a corridor of at most 50,000 km².',
  access: { session: 'supervisor' },
  body: RouteBody,
  responses: saved,
});

export const RouteCodePath = z.object({ code: z.string().trim().min(1, '1–32 characters').max(32, '1–32 characters') });

const StoredRouteRulesOut = z.object({
  code: z.string(),
  routeId: z.number().int(),
  rules: RouteRulesOverrides.meta({ description: 'the stored overrides ({} when none: the config file’s entry and the defaults apply)' }),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

export const getRouteRules = defineRoute({
  method: 'get',
  path: '/api/routes/{code}/rules',
  tag: 'map',
  summary: { zh: '路线规则阈值', en: 'A route’s rules thresholds' },
  description: 'The thresholds stored for the route (supervisor, within their jurisdiction). Unknown and not-yours answer the same 404.',
  access: { session: 'supervisor' },
  params: RouteCodePath,
  responses: { 200: StoredRouteRulesOut },
  errors: { 404: 'no such route in your jurisdiction' },
});

export const putRouteRules = defineRoute({
  method: 'put',
  path: '/api/routes/{code}/rules',
  tag: 'map',
  summary: { zh: '设置路线规则阈值', en: 'Set a route’s rules thresholds' },
  description:
    'Replaces the stored overrides (any subset of the per-route settings; {} removes them). The running rules engine applies them at once, in place of the config file’s entry for the route (supervisor, within their jurisdiction; audited).',
  access: { session: 'supervisor' },
  params: RouteCodePath,
  body: RouteRulesOverrides,
  responses: { 200: StoredRouteRulesOut },
  errors: { 404: 'no such route in your jurisdiction' },
});

export const listSites = defineRoute({
  method: 'get',
  path: '/api/sites',
  tag: 'map',
  summary: { zh: '监管场所', en: 'Designated sites' },
  description: 'The sites of the districts the user sees, as a GeoJSON FeatureCollection by code.',
  access: { session: 'viewer' },
  responses: { 200: SitesOut },
});

export const saveSite = defineRoute({
  method: 'post',
  path: '/api/sites',
  tag: 'map',
  summary: { zh: '新建或修改监管场所', en: 'Create or update a site' },
  description: 'A supervisor, within their jurisdiction as stored and as written; a valid, closed, simple polygon (audited).',
  access: { session: 'supervisor' },
  body: SiteBody,
  responses: saved,
});

export const listZones = defineRoute({
  method: 'get',
  path: '/api/zones',
  tag: 'map',
  summary: { zh: '区域（禁区、锚地、保税区）', en: 'Zones' },
  description: 'Restricted, anchorage and bonded zones in the user’s districts, as GeoJSON (a feature posts back as is).',
  access: { session: 'viewer' },
  responses: { 200: ZonesOut },
});

export const saveZone = defineRoute({
  method: 'post',
  path: '/api/zones',
  tag: 'map',
  summary: { zh: '新建或修改区域', en: 'Create or update a zone' },
  description: 'A GeoJSON Feature; a supervisor, within their jurisdiction (audited). The rules reload their fences.',
  access: { session: 'supervisor' },
  body: ZoneBody,
  responses: saved,
  errors: { 409: 'the areaCode is another zone’s' },
});

export const ZoneCodePath = z.object({
  code: z
    .string()
    .min(1, '1–32 characters')
    .max(32, '1–32 characters')
    .regex(/^[^\u0000]*$/, 'no NUL'),
});

export const deleteZone = defineRoute({
  method: 'delete',
  path: '/api/zones/{code}',
  tag: 'map',
  summary: { zh: '删除区域', en: 'Delete a zone' },
  description: 'A supervisor, within their jurisdiction (audited); unknown and not-yours answer the same 404.',
  access: { session: 'supervisor' },
  params: ZoneCodePath,
  responses: { 200: z.object({ ok: z.literal(true), id: z.number().int(), code: z.string() }) },
  errors: { 404: 'no such zone in your jurisdiction' },
});

const AnyFeatures = FeatureCollectionOut(FeatureOut(GeometryOut, z.record(z.string(), z.unknown())));

export const world = defineRoute({
  method: 'get',
  path: '/api/world',
  tag: 'map',
  summary: { zh: '地图静态图层', en: "The map's static picture" },
  description: 'Corridors, route centre lines and sites the user may see, as GeoJSON; cached privately for 60 s.',
  access: { session: 'viewer' },
  responses: { 200: z.object({ corridors: AnyFeatures, routes: AnyFeatures, sites: AnyFeatures }) },
});

export const kpis = defineRoute({
  method: 'get',
  path: '/api/kpis',
  tag: 'map',
  summary: { zh: '大屏指标', en: "The wall's figures" },
  access: { session: 'viewer' },
  responses: {
    200: z.object({
      at: TimeMs,
      assetsLive: z.number().int(),
      inTransit: z.number().int(),
      arrivedToday: z.number().int(),
      onTimeToday: z.number().int(),
      onTimeRate: z.number().nullable(),
      openAlerts: z.number().int(),
      openByType: z.array(z.object({ type: z.enum(ALERT_TYPES), count: z.number().int(), severity: z.enum(['critical', 'warning']) })),
      alertsPerHour: z.array(z.object({ hour: TimeMs, count: z.number().int() })),
      districts: z.array(
        z.object({
          code: DistrictCode,
          name: z.string(),
          nameEn: z.string(),
          inTransit: z.number().int(),
          openAlerts: z.number().int(),
          bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
        }),
      ),
    }),
  },
});

export const search = defineRoute({
  method: 'get',
  path: '/api/search',
  tag: 'map',
  summary: { zh: '搜索', en: 'Search' },
  description: 'The console’s search box: a consignment, plate, seal, MMSI or vessel.',
  access: { session: 'viewer' },
  query: SearchQuery,
  responses: {
    200: z.object({
      items: z.array(
        z.object({
          kind: z.enum(['consignment', 'asset']),
          id: z.number().int(),
          title: z.string(),
          subtitle: z.string().nullable(),
          status: z.string().nullable(),
          assetId: z.number().int(),
          assetKind: z.enum(['vehicle', 'vessel']),
        }),
      ),
    }),
  },
});

export const KioskBody = z.object({
  username: z.string().trim().min(1).max(64),
  label: z.string().trim().max(100).optional(),
  days: z.number().int().min(1).max(3650).optional(),
});

export const issueKioskToken = defineRoute({
  method: 'post',
  path: '/api/kiosk-tokens',
  tag: 'auth',
  summary: { zh: '签发大屏令牌', en: 'Issue a kiosk token' },
  description: 'For a viewer account in the supervisor’s jurisdiction (audited). The token is in the answer once; open `path` on the wall.',
  access: { session: 'supervisor' },
  body: KioskBody,
  responses: { 201: z.object({ id: z.string(), token: z.string(), username: z.string(), expiresAt: TimeMs.nullable(), path: z.string() }) },
  errors: { 404: 'no such viewer account in your jurisdiction' },
});

export const KioskIdPath = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, '16 hex digits') });

export const revokeKioskToken = defineRoute({
  method: 'delete',
  path: '/api/kiosk-tokens/{id}',
  tag: 'auth',
  summary: { zh: '吊销大屏令牌', en: 'Revoke a kiosk token' },
  description: 'The walls signed in with it lose their sessions (audited).',
  access: { session: 'supervisor' },
  params: KioskIdPath,
  responses: { 200: Ok },
  errors: { 404: 'no such kiosk token' },
});

const Finding = z.object({ seq: z.number().int(), kind: z.string(), reason: z.string(), check: z.string() });

export const verifyLedger = defineRoute({
  method: 'get',
  path: '/api/ledger/verify',
  tag: 'ledger',
  summary: { zh: '核验账本', en: 'Verify the ledger' },
  description:
    'Walks the hash chain, checkpoints and anchor log; 200 whether it matches (`ok: true`) or not (`ok: false`, `firstBad`, `findings`). Concurrent calls share one walk.',
  access: { session: 'supervisor' },
  responses: {
    200: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      checkpoints: z.number().int(),
      positionBatches: z.number().int(),
      positionRows: z.number().int(),
      expiredBatches: z.number().int(),
      rows: z.number().int(),
      firstBad: Finding.optional(),
      findings: z.array(Finding),
      findingsTotal: z.number().int(),
      lastEntry: z.object({ seq: z.number().int(), time: Timestamp }).optional(),
      anchors: z
        .object({
          file: z.string(),
          lines: z.number().int(),
          anchored: z.number().int(),
          lastCheckpoint: z.number().int().optional(),
          lastTime: z.string().optional(),
          key: z.string().optional(),
        })
        .optional(),
      unanchored: z.object({ entries: z.number().int(), since: z.string().optional() }).optional(),
      ms: z.number(),
    }),
  },
});
