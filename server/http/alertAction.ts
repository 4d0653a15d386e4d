// POST /api/alerts/{id}/ack and /resolve share this: officer role, a visible alert, a note.
import { getContext } from '../context';
import { ApiError, clientIp, parseBody, requireSession } from './api';
import { parseId } from './ids';
import { send } from './contract';
import { ackAlert, resolveAlert } from './contracts/alerts';

export async function alertAction(request: Request, rawId: string, action: 'acknowledge' | 'resolve'): Promise<Response> {
  const { user } = await requireSession(request, 'officer');
  const id = parseId(rawId);
  const hasBody = (request.headers.get('content-length') ?? '0') !== '0';
  const note = action === 'resolve' ? (await parseBody(resolveAlert.body, request)).note : hasBody ? (await parseBody(ackAlert.body, request))?.note : undefined;
  const alerts = getContext().alerts;
  if (!alerts) throw new ApiError(503, 'the alert service is not running');
  const r = await alerts.transition(id, user, action, note, clientIp(request));
  if (r === 'not_found') throw new ApiError(404, 'no such alert');
  if (r === 'conflict') throw new ApiError(409, action === 'acknowledge' ? 'the alert is not open' : 'the alert is already resolved');
  return send(action === 'acknowledge' ? ackAlert : resolveAlert, 200, r);
}
