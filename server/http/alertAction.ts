// POST /api/alerts/{id}/ack and /resolve share this: officer role, a visible alert, a note.
import { z } from 'zod';
import { getContext } from '../context';
import { ApiError, clientIp, json, parseBody, requireSession } from './api';
import { parseId } from './ids';

const AckBody = z.object({ note: z.string().trim().max(2000).optional() }).optional();
const ResolveBody = z.object({ note: z.string().trim().min(1, 'a note is required to resolve').max(2000) });

export async function alertAction(request: Request, rawId: string, action: 'acknowledge' | 'resolve'): Promise<Response> {
  const { user } = await requireSession(request, 'officer');
  const id = parseId(rawId);
  const hasBody = (request.headers.get('content-length') ?? '0') !== '0';
  const note = action === 'resolve' ? (await parseBody(ResolveBody, request)).note : hasBody ? (await parseBody(AckBody, request))?.note : undefined;
  const alerts = getContext().alerts;
  if (!alerts) throw new ApiError(503, 'the alert service is not running');
  const r = await alerts.transition(id, user, action, note, clientIp(request));
  if (r === 'not_found') throw new ApiError(404, 'no such alert');
  if (r === 'conflict') throw new ApiError(409, action === 'acknowledge' ? 'the alert is not open' : 'the alert is already resolved');
  return json(r);
}
