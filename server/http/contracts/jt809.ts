// Contracts of the JT/T 809 lower platforms (/api/jt809/platforms) and of an officer's position
// request to one (/api/assets/{id}/jt809-request). See server/ingest/jt809/README.md.
import { z } from 'zod';
import { PlatformBody } from '../../ingest/jt809/admin';
import { PositionRequestBody } from '../../ingest/jt809/requests';
import { IdPath, Timestamp, defineRoute } from '../contract';

export const PlatformOut = z
  .object({
    id: z.number().int(),
    accessCode: z.number().int().meta({ description: 'GNSSCENTERID: the access code in every frame header' }),
    userId: z.number().int(),
    name: z.string(),
    district: z.string(),
    plates: z.array(z.string()).nullable().meta({ description: 'the plates it may report (normalised); null: vehicles of its district and below' }),
    encrypted: z.boolean().meta({ description: 'whether M1/IA1/IC1 keys are provisioned' }),
    address: z.string().nullable().meta({ description: 'the only address it may log in from and the down-link is dialled at; null: any' }),
    state: z.enum(['never', 'logged_in', 'refused']),
    lastLogin: Timestamp.nullable(),
    lastContact: Timestamp.nullable(),
    lastAddress: z.string().nullable(),
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Jt809Platform' });

export const PlatformListQuery = z.object({ revoked: z.enum(['0', '1']).optional() }).strict();

export const listPlatforms = defineRoute({
  method: 'get',
  path: '/api/jt809/platforms',
  tag: 'assets',
  summary: { zh: '下级平台列表', en: 'List JT/T 809 lower platforms' },
  description: 'Lower platforms in the supervisor’s jurisdiction, with their login state and last contact (never a password or key); `revoked=1` includes revoked ones.',
  access: { session: 'supervisor' },
  query: PlatformListQuery,
  responses: { 200: z.array(PlatformOut) },
});

export const registerPlatform = defineRoute({
  method: 'post',
  path: '/api/jt809/platforms',
  tag: 'assets',
  summary: { zh: '接入下级平台', en: 'Provision a JT/T 809 lower platform' },
  description: 'Access code, credentials, optional M1/IA1/IC1 keys, district and optional plate list (audited). Only a hash of the password is kept.',
  access: { session: 'supervisor' },
  body: PlatformBody,
  responses: { 201: PlatformOut },
  errors: { 409: 'a live platform already has that access code' },
});

export const revokePlatform = defineRoute({
  method: 'delete',
  path: '/api/jt809/platforms/{id}',
  tag: 'assets',
  summary: { zh: '注销下级平台', en: 'Revoke a JT/T 809 lower platform' },
  description: 'Its links close at once and its logins are refused from then on (audited).',
  access: { session: 'supervisor' },
  params: IdPath,
  responses: { 200: z.object({ ok: z.literal(true) }) },
  errors: { 404: 'no such platform' },
});

export const PositionRequestOut = z
  .object({
    id: z.number().int(),
    platform: z.object({ id: z.number().int(), accessCode: z.number().int(), name: z.string() }),
    plate: z.string(),
    endsAt: Timestamp,
    via: z.enum(['down_link', 'main_link']),
  })
  .meta({ id: 'Jt809PositionRequest' });

export const requestPositions = defineRoute({
  method: 'post',
  path: '/api/assets/{id}/jt809-request',
  tag: 'assets',
  summary: { zh: '向运输平台请求车辆位置', en: 'Ask a transport platform for a vehicle’s positions' },
  description: 'Sends JT/T 809 0x9205 to the connected lower platform that carries the vehicle, and 0x9206 when `minutes` have passed (recorded and audited).',
  access: { session: 'officer' },
  params: IdPath,
  body: PositionRequestBody,
  responses: { 202: PositionRequestOut },
  errors: { 404: 'no such vehicle', 409: 'no connected platform carries this vehicle' },
});
