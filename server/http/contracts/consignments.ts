// Contracts of /api/consignments (movements, 监管运输) and their journeys, documents, inspection flag.
import { z } from 'zod';
import { CONSIGNMENT_STATUSES } from '@/lib/domain';
import { ConsignmentBody, EditMovementBody, EndMovementBody, ExtendDeadlineBody, HandOverBody } from '../../movements/bodies';
import { ListQuery } from '../../queries/consignments';
import { JourneyQuery } from '../../queries/journey';
import { FeatureOut, GeometryOut, LineStringOut, PolygonOut } from '../geojson';
import { DistrictCode, IdPath, TimeMs, Timestamp, defineRoute } from '../contract';
import { LinkDocumentOut, ReceiptOut } from './links';

const AssetRef = z.object({
  id: z.number().int(),
  key: z.string(),
  kind: z.enum(['vehicle', 'vessel']),
  label: z.string().nullable(),
  plate: z.string().nullable(),
  mmsi: z.string().nullable(),
});
const SiteRef = z.object({ code: z.string(), name: z.string(), nameEn: z.string() });

export const ConsignmentOut = z
  .object({
    id: z.number().int(),
    reference: z.string(),
    sealId: z.string().nullable(),
    status: z.enum(CONSIGNMENT_STATUSES),
    goods: z.string().nullable(),
    carrier: z.string().nullable(),
    districts: z.array(DistrictCode),
    departure: Timestamp,
    deadline: Timestamp,
    arrivedAt: Timestamp.nullable(),
    asset: AssetRef,
    origin: SiteRef,
    destination: SiteRef,
    route: z.string().nullable(),
  })
  .meta({ id: 'Consignment' });

const SiteFeature = FeatureOut(PolygonOut, z.record(z.string(), z.unknown()).nullable());

export const JourneyOut = z
  .object({
    asset: AssetRef,
    consignment: ConsignmentOut.nullable(),
    route: z.object({ code: z.string(), name: z.string(), nameEn: z.string(), corridorM: z.number(), lengthM: z.number(), path: LineStringOut, corridor: GeometryOut }).nullable(),
    sites: z.object({ origin: SiteFeature, destination: SiteFeature }).nullable(),
    window: z.object({ from: TimeMs, to: TimeMs }),
    track: z.object({
      fixes: z
        .array(z.tuple([z.number(), z.number(), z.number(), z.number().nullable(), z.number().nullable()]))
        .meta({ description: '[lon, lat, time ms, speed km/h (null unknown), metres off route (null without a route)]' }),
      simplified: z.boolean(),
      total: z.number().int(),
    }),
    timeline: z.array(
      z.object({
        time: TimeMs,
        kind: z.enum(['departure', 'arrived', 'deadline', 'event', 'alert', 'action']),
        code: z.string().optional(),
        severity: z.enum(['info', 'warning', 'critical']).optional(),
        state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
        alertId: z.number().int().optional(),
        site: z.string().nullish(),
        siteEn: z.string().nullish(),
        lon: z.number().nullish(),
        lat: z.number().nullish(),
        by: z.string().nullish().meta({ description: 'an action: who (username, or system)' }),
        reason: z.string().nullish().meta({ description: 'an action: why' }),
        from: z.string().nullish().meta({ description: 'an action: what it was (the old deadline as ISO 8601, the old vehicle, the edited fields)' }),
        to: z.string().nullish().meta({ description: 'an action: what it became' }),
      }),
    ),
    progress: z
      .object({
        at: TimeMs,
        lon: z.number(),
        lat: z.number(),
        offRouteM: z.number().nullable(),
        remainingM: z.number().nullable(),
        recentSpeedKmh: z.number().nullable(),
        eta: TimeMs.nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'Journey' });

const mine = { 404: 'no such consignment (or not yours to see)' };

export const listConsignments = defineRoute({
  method: 'get',
  path: '/api/consignments',
  tag: 'consignments',
  summary: { zh: '监管运输列表', en: 'List movements' },
  description: 'Movements the user may see, latest departure first; `q` matches reference, seal or carrier label.',
  access: { session: 'viewer' },
  query: ListQuery,
  responses: { 200: z.object({ total: z.number().int(), items: z.array(ConsignmentOut) }) },
});

export const createConsignment = defineRoute({
  method: 'post',
  path: '/api/consignments',
  tag: 'consignments',
  summary: { zh: '登记监管运输', en: 'Register a movement' },
  description: 'A supervisor registers a movement that touches their jurisdiction, on an asset whose home district is in it (audited, chained).',
  access: { session: 'supervisor' },
  body: ConsignmentBody,
  responses: { 201: z.object({ id: z.number().int(), reference: z.string(), districts: z.array(DistrictCode), status: z.enum(CONSIGNMENT_STATUSES) }) },
  errors: { 404: 'no such asset or route (in your jurisdiction)', 409: 'the reference or the asset is already in use', 503: 'the movement service is not running' },
});

export const getConsignment = defineRoute({
  method: 'get',
  path: '/api/consignments/{id}',
  tag: 'consignments',
  summary: { zh: '监管运输详情', en: 'One movement' },
  access: { session: 'viewer' },
  params: IdPath,
  responses: { 200: ConsignmentOut },
  errors: mine,
});

const end = (action: 'close' | 'cancel') =>
  ({
    method: 'post',
    path: `/api/consignments/{id}/${action}`,
    tag: 'consignments',
    access: { session: 'supervisor' },
    params: IdPath,
    body: EndMovementBody,
    responses: { 200: z.object({ id: z.number().int(), status: z.enum(CONSIGNMENT_STATUSES) }) },
    errors: { ...mine, 409: 'the movement has already ended', 503: 'the movement service is not running' },
  }) as const;

export const closeConsignment = defineRoute({
  ...end('close'),
  summary: { zh: '结束监管运输', en: 'Close a movement' },
  description: 'A supervisor closes an open movement they may see, with a reason (audited, chained).',
});
export const cancelConsignment = defineRoute({
  ...end('cancel'),
  summary: { zh: '撤销监管运输', en: 'Cancel a movement' },
  description: 'A supervisor cancels an open movement they may see, with a reason (audited, chained).',
});

const lifecycle = { ...mine, 409: 'the movement has already ended', 503: 'the movement service is not running' };

export const editConsignment = defineRoute({
  method: 'patch',
  path: '/api/consignments/{id}',
  tag: 'consignments',
  summary: { zh: '修改监管运输', en: 'Edit a movement' },
  description:
    "A supervisor corrects an open movement's seal number, goods or carrier name (an empty text clears one), with an optional reason. The route, sites and departure decide who sees it and are not edited; the deadline and the vehicle have their own actions. Only the fields that differ are written (audited, chained).",
  access: { session: 'supervisor' },
  params: IdPath,
  body: EditMovementBody,
  responses: { 200: z.object({ id: z.number().int(), changed: z.array(z.enum(['sealId', 'goods', 'carrier'])) }) },
  errors: lifecycle,
});

export const extendConsignment = defineRoute({
  method: 'post',
  path: '/api/consignments/{id}/extend',
  tag: 'consignments',
  summary: { zh: '延长监管时限', en: "Extend a movement's deadline" },
  description:
    'A supervisor gives an open movement a later deadline, with a reason (400 when it is not later than the current one). The rules take the new deadline at once: an OVERDUE raised by the old one ends (audited, chained).',
  access: { session: 'supervisor' },
  params: IdPath,
  body: ExtendDeadlineBody,
  responses: { 200: z.object({ id: z.number().int(), deadline: Timestamp }) },
  errors: lifecycle,
});

export const handOverConsignment = defineRoute({
  method: 'post',
  path: '/api/consignments/{id}/handover',
  tag: 'consignments',
  summary: { zh: '换车转运', en: 'Hand a movement over to another vehicle' },
  description:
    "Trans-shipment: a supervisor moves an open movement onto another vehicle (asset key) of their jurisdiction, of the same kind, with a reason. The movement's track is the old vehicle's until the hand-over and the new one's after it; live scopes and rules follow the new vehicle (audited, chained).",
  access: { session: 'supervisor' },
  params: IdPath,
  body: HandOverBody,
  responses: { 200: z.object({ id: z.number().int(), asset: z.string(), at: Timestamp }) },
  errors: { ...lifecycle, 403: 'the vehicle is unknown or not of your jurisdiction (the same answer for both)' },
});

export const consignmentJourney = defineRoute({
  method: 'get',
  path: '/api/consignments/{id}/journey',
  tag: 'consignments',
  summary: { zh: '运输轨迹与时间线', en: "A movement's journey" },
  description: 'Route, sites, track with distance off route, timeline and ETA; `from`/`to` in ms (at most 7 days), `zoom` simplifies a long track.',
  access: { session: 'viewer' },
  params: IdPath,
  query: JourneyQuery,
  responses: { 200: JourneyOut },
  errors: mine,
});

export const consignmentDocuments = defineRoute({
  method: 'get',
  path: '/api/consignments/{id}/documents',
  tag: 'consignments',
  summary: { zh: '运输单证', en: "A movement's documents" },
  description: 'The link messages of a movement (declaration, bills, gate passes, inspection, goods in/out, zone passes), oldest first, each with its summary.',
  access: { session: 'viewer' },
  params: IdPath,
  responses: { 200: z.object({ documents: z.array(LinkDocumentOut) }) },
  errors: mine,
});

export const FlagBody = z.object({
  reason: z.string().trim().min(1).max(500),
  site: z.string().trim().min(1).max(32).optional(),
});

export const flagInspection = defineRoute({
  method: 'post',
  path: '/api/consignments/{id}/inspection',
  tag: 'consignments',
  summary: { zh: '布控查验', en: 'Flag a movement for inspection' },
  description:
    'An officer flags a movement for inspection (at its destination unless a site is named); it goes through the inspection link as an InspFlag message from `user:<username>`.',
  access: { session: 'officer' },
  params: IdPath,
  body: FlagBody,
  responses: { 201: ReceiptOut },
  errors: { ...mine, 409: 'an inspection is already open, or the movement has ended', 503: 'the inspection link is not running' },
});
