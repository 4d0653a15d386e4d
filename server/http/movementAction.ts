// The movement endpoints' common edge: the movement service from the context (its refusals are
// DomainErrors, which handler() answers as 4xx with the reason), and POST /api/consignments/{id}/close|cancel.
import { getContext } from '../context';
import { EndMovementBody } from '../movements/bodies';
import type { EndAction, MovementService } from '../movements/movementService';
import { ApiError, clientIp, json, parseBody, requireSession } from './api';
import { parseId } from './ids';

/** Runs a movement service call. */
export async function movements<T>(work: (service: MovementService) => Promise<T>): Promise<T> {
  const service = getContext().movements;
  if (!service) throw new ApiError(503, 'the movement service is not running');
  return work(service);
}

export async function endMovement(request: Request, rawId: string, action: EndAction): Promise<Response> {
  const { user } = await requireSession(request, 'supervisor');
  const id = parseId(rawId);
  const { reason } = await parseBody(EndMovementBody, request);
  return json(await movements((s) => s.end(user, id, action, reason, clientIp(request))));
}
