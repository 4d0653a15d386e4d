// Contracts of /api/auth/*: sign in, sign out, who am I.
import { z } from 'zod';
import { DISTRICT_LEVELS } from '@/lib/domain';
import { ROLES } from '../../auth/sessions';
import { DistrictCode, Ok, defineRoute } from '../contract';

export const LoginBody = z.object({
  username: z.string().trim().min(1, 'enter a username').max(64),
  password: z.string().min(1, 'enter a password').max(200),
});

export const SessionUserOut = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(ROLES),
    district: DistrictCode,
    districtName: z.string(),
    level: z.enum(DISTRICT_LEVELS),
  })
  .meta({ id: 'SessionUser' });

export const login = defineRoute({
  method: 'post',
  path: '/api/auth/login',
  tag: 'auth',
  summary: { zh: '登录', en: 'Sign in' },
  description: 'Sets the session cookie (`tw_session`) and the CSRF cookie; state-changing calls send the CSRF token in `x-csrf-token`. Failures back off per user and address.',
  access: 'public',
  body: LoginBody,
  responses: { 200: z.object({ ok: z.literal(true), csrf: z.string() }) },
  errors: { 401: 'wrong username or password', 429: 'too many failures: wait (Retry-After)' },
});

export const logout = defineRoute({
  method: 'post',
  path: '/api/auth/logout',
  tag: 'auth',
  summary: { zh: '退出登录', en: 'Sign out' },
  description: 'Ends the session and clears its cookies (audited).',
  access: { session: 'viewer' },
  responses: { 200: Ok },
});

export const me = defineRoute({
  method: 'get',
  path: '/api/auth/me',
  tag: 'auth',
  summary: { zh: '当前用户', en: 'Who is signed in' },
  description: 'The user, their jurisdiction, and the CSRF token for changes.',
  access: { session: 'viewer' },
  responses: { 200: z.object({ user: SessionUserOut, csrf: z.string() }) },
});
