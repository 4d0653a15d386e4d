// Who may see and manage federation on the national node: HQ users only (the regions' records cross
// every jurisdiction below HQ, and provisioning trusts a whole deployment).
import { getContext } from '@/server/context';
import type { Role } from '@/server/auth/sessions';
import { ApiError, requireSession } from '@/server/http/api';

export async function requireHq(request: Request, role: Role = 'viewer') {
  const session = await requireSession(request, role);
  if (!getContext().districts.isHq(session.user.district)) throw new ApiError(403, 'federation is for HQ users only');
  return session;
}
