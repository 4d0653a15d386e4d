// POST /api/kiosk-tokens {username, label?, days?} — a supervisor issues a kiosk token for a
// viewer account in their jurisdiction (audited). The token is in the answer once, never again.
import { z } from 'zod';
import { getContext } from '../../../server/context';
import { issueKioskToken } from '../../../server/auth/kiosk';
import { clientIp, handler, json, parseBody, requireSession } from '@/server/http/api';

export const dynamic = 'force-dynamic';

const Body = z.object({
  username: z.string().trim().min(1).max(64),
  label: z.string().trim().max(100).optional(),
  days: z.number().int().min(1).max(3650).optional(),
});

export const POST = handler(async (request) => {
  const { user } = await requireSession(request, 'supervisor');
  const body = await parseBody(Body, request);
  const issued = await issueKioskToken(getContext().pool, { ...body, issuer: user, ip: clientIp(request) });
  return json(issued, 201);
});
