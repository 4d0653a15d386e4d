// Contracts of /api/assets (vehicles, vessels) and /api/devices (their terminals), and of tracks.
import { z } from 'zod';
import { AssetBody, AssetListQuery, DeviceBody } from '../../devices/admin';
import { DEVICE_PROTOCOLS, DEVICE_STATES } from '../../devices/idents';
import { JourneyQuery } from '../../queries/journey';
import { TrackQuery } from '../../queries/track';
import { FeatureOut, LineStringOut } from '../geojson';
import { IdPath, Timestamp, defineRoute } from '../contract';
import { JourneyOut } from './consignments';

export const AssetOut = z
  .object({
    id: z.number().int(),
    key: z.string(),
    kind: z.enum(['vehicle', 'vessel']),
    label: z.string().nullable(),
    plate: z.string().nullable(),
    plateColor: z.number().int().nullable(),
    mmsi: z.string().nullable(),
    district: z.string().nullable(),
  })
  .meta({ id: 'Asset' });

export const DeviceOut = z
  .object({
    id: z.number().int(),
    protocol: z.enum(DEVICE_PROTOCOLS),
    ident: z.string(),
    asset: z.object({ id: z.number().int(), key: z.string(), label: z.string().nullable(), district: z.string().nullable() }),
    state: z.enum(DEVICE_STATES),
    stateAt: Timestamp.nullable(),
    lastContact: Timestamp.nullable(),
    lastAddress: z.string().nullable(),
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
    reportIntervalS: z.number().int().nullable().meta({ description: 'expected reporting interval (s) for SIGNAL_LOST; null: the rules’ threshold' }),
    changedBy: z.string().nullable().meta({ description: 'who made the last audited change (register, interval, reset, revoke)' }),
    changedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Device' });

const OsmAndSecret = {
  secret: z.string().optional().meta({ description: 'OsmAnd: the device secret, shown this once' }),
  urlQuery: z.string().optional().meta({ description: 'OsmAnd: the query to add to the server URL' }),
};

export const listAssets = defineRoute({
  method: 'get',
  path: '/api/assets',
  tag: 'assets',
  summary: { zh: '车辆与船舶', en: 'List vehicles and vessels' },
  access: { session: 'viewer' },
  query: AssetListQuery,
  responses: { 200: z.array(AssetOut) },
});

export const registerAsset = defineRoute({
  method: 'post',
  path: '/api/assets',
  tag: 'assets',
  summary: { zh: '登记车辆或船舶', en: 'Register a vehicle or vessel' },
  description: 'A supervisor registers one with a home district in their jurisdiction (audited).',
  access: { session: 'supervisor' },
  body: AssetBody,
  responses: { 201: AssetOut },
  errors: { 409: 'the plate or MMSI is already registered' },
});

export const assetJourney = defineRoute({
  method: 'get',
  path: '/api/assets/{id}/journey',
  tag: 'assets',
  summary: { zh: '载具轨迹（无运输）', en: "A carrier's journey with no movement" },
  description: 'Track, alerts and events of a carrier with no movement (a vessel under AIS), the last 24 h by default.',
  access: { session: 'viewer' },
  params: IdPath,
  query: JourneyQuery,
  responses: { 200: JourneyOut },
  errors: { 404: 'no such asset (or not yours to see)' },
});

export const TrackFeature = FeatureOut(
  LineStringOut,
  z.object({
    assetId: z.number().int(),
    label: z.string().nullable(),
    times: z.array(z.number()),
    speeds: z.array(z.number().nullable()),
    simplified: z.boolean(),
    total: z.number().int(),
  }),
);

export const assetTrack = defineRoute({
  method: 'get',
  path: '/api/assets/{id}/track',
  tag: 'assets',
  summary: { zh: '轨迹导出', en: "An asset's track" },
  description: 'Over a window (ms; at most 7 days), simplified for `zoom` when long; GeoJSON, GPX 1.1 or KML 2.2 by `format`.',
  access: { session: 'viewer' },
  params: IdPath,
  query: TrackQuery,
  responses: {
    200: { content: { 'application/json': TrackFeature, 'application/gpx+xml': 'text', 'application/vnd.google-earth.kml+xml': 'text' } },
  },
  errors: { 404: 'no such asset (or not yours to see)' },
});

export const DeviceListQuery = z.object({ revoked: z.enum(['0', '1']).optional() }).strict();

export const listDevices = defineRoute({
  method: 'get',
  path: '/api/devices',
  tag: 'assets',
  summary: { zh: '终端列表', en: 'List terminals' },
  description: 'Terminals on assets the supervisor administers, with their authentication state and last contact (never a secret); `revoked=1` includes revoked ones.',
  access: { session: 'supervisor' },
  query: DeviceListQuery,
  responses: { 200: z.array(DeviceOut) },
});

export const registerDevice = defineRoute({
  method: 'post',
  path: '/api/devices',
  tag: 'assets',
  summary: { zh: '登记终端', en: 'Register a terminal' },
  description:
    'A JT/T 808 terminal (phone number) or an OsmAnd device to an asset in the supervisor’s jurisdiction (audited). An OsmAnd secret is in the answer once, never again.',
  access: { session: 'supervisor' },
  body: DeviceBody,
  responses: { 201: DeviceOut.extend(OsmAndSecret).meta({ id: 'RegisteredDevice' }) },
  errors: { 404: 'no such asset (in your jurisdiction)', 409: 'the terminal is already registered' },
});

export const revokeDevice = defineRoute({
  method: 'delete',
  path: '/api/devices/{id}',
  tag: 'assets',
  summary: { zh: '注销终端', en: 'Revoke a terminal' },
  description: 'Its open connections close; its logins and reports are refused from then on (audited).',
  access: { session: 'supervisor' },
  params: IdPath,
  responses: { 200: z.object({ ok: z.literal(true) }) },
  errors: { 404: 'no such device' },
});

export const DevicePatchBody = z.strictObject({
  reportIntervalS: z.number().int('whole seconds').min(1, '1–86400 s').max(86_400, '1–86400 s').nullable(),
});

export const patchDevice = defineRoute({
  method: 'patch',
  path: '/api/devices/{id}',
  tag: 'assets',
  summary: { zh: '设置终端上报间隔', en: 'Set a terminal’s reporting interval' },
  description:
    'The expected reporting interval for SIGNAL_LOST on its asset (the longest of its live devices’), in place of the route’s or the global one; null unsets it. Applied by the running rules engine at once (supervisor, within their jurisdiction; audited).',
  access: { session: 'supervisor' },
  params: IdPath,
  body: DevicePatchBody,
  responses: { 200: DeviceOut },
  errors: { 404: 'no such device' },
});

export const resetDevice = defineRoute({
  method: 'post',
  path: '/api/devices/{id}/reset',
  tag: 'assets',
  summary: { zh: '重置终端', en: 'Reset a terminal' },
  description: 'A JT/T 808 terminal may register again for a new code; an OsmAnd device gets a new secret, in the answer once. Open connections close (audited).',
  access: { session: 'supervisor' },
  params: IdPath,
  responses: { 200: z.object({ ok: z.literal(true), ...OsmAndSecret }) },
  errors: { 404: 'no such device' },
});
