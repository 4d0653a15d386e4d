// Contracts of the people a supervisor administers: user accounts (/api/users) and the list of kiosk
// tokens (GET /api/kiosk-tokens; issuing and revoking are in admin.ts).
import { z } from 'zod';
import { ROLES } from '../../auth/sessions';
import { CreateUserBody, PatchUserBody } from '../../users/users';
import { DistrictCode, IdPath, Timestamp, defineRoute } from '../contract';

const ChangedBy = {
  changedBy: z.string().nullable().meta({ description: 'who made the last audited change' }),
  changedAt: Timestamp.nullable(),
};

export const UserOut = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(ROLES),
    district: DistrictCode,
    districtName: z.string(),
    disabled: z.boolean(),
    createdAt: Timestamp,
    lastSignIn: Timestamp.nullable().meta({ description: 'the last sign-in (audit log or a session), null when none is known' }),
    ...ChangedBy,
  })
  .meta({ id: 'User' });

const ShownOnce = z.string().meta({ description: 'the generated password, shown this once (never stored in clear, never logged)' });

export const listUsers = defineRoute({
  method: 'get',
  path: '/api/users',
  tag: 'auth',
  summary: { zh: '用户列表', en: 'User accounts' },
  description: 'The accounts of the districts the supervisor sees (HQ all), with role, district, last sign-in and the last change.',
  access: { session: 'supervisor' },
  responses: { 200: z.array(UserOut) },
});

export const createUser = defineRoute({
  method: 'post',
  path: '/api/users',
  tag: 'auth',
  summary: { zh: '新建用户', en: 'Create a user' },
  description: 'In a district of the supervisor’s jurisdiction (audited, without the password). Without `password`, one is generated and is in the answer once.',
  access: { session: 'supervisor' },
  body: CreateUserBody,
  responses: { 201: UserOut.extend({ password: ShownOnce.optional() }).meta({ id: 'CreatedUser' }) },
  errors: { 409: 'the username is taken' },
});

export const patchUser = defineRoute({
  method: 'patch',
  path: '/api/users/{id}',
  tag: 'auth',
  summary: { zh: '修改用户', en: 'Change a user' },
  description:
    'Display name, role, district (within the jurisdiction as stored and as written) or disabled (audited). A change of rights ends the user’s sessions at once. A supervisor cannot disable, demote or move their own account. Unknown and not-yours answer the same 404.',
  access: { session: 'supervisor' },
  params: IdPath,
  body: PatchUserBody,
  responses: { 200: UserOut },
  errors: { 404: 'no such user in your jurisdiction' },
});

export const resetUserPassword = defineRoute({
  method: 'post',
  path: '/api/users/{id}/reset-password',
  tag: 'auth',
  summary: { zh: '重置密码', en: 'Reset a password' },
  description: 'A new generated password, in the answer once; the user’s sessions end (audited, without the password). Unknown and not-yours answer the same 404.',
  access: { session: 'supervisor' },
  params: IdPath,
  responses: { 200: z.object({ user: UserOut, password: ShownOnce }) },
  errors: { 404: 'no such user in your jurisdiction' },
});

export const listKioskTokens = defineRoute({
  method: 'get',
  path: '/api/kiosk-tokens',
  tag: 'auth',
  summary: { zh: '大屏令牌列表', en: 'Kiosk tokens' },
  description: 'The kiosk tokens of viewer accounts in the supervisor’s jurisdiction, live first (never the token itself: its id, which revoking takes).',
  access: { session: 'supervisor' },
  responses: {
    200: z.array(
      z.object({
        id: z.string(),
        username: z.string(),
        district: DistrictCode,
        label: z.string().nullable(),
        createdBy: z.string().nullable(),
        createdAt: Timestamp,
        expiresAt: Timestamp.nullable(),
        revokedAt: Timestamp.nullable(),
        lastUsedAt: Timestamp.nullable(),
        ...ChangedBy,
      }),
    ),
  },
});
