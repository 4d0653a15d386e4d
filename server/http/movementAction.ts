// The movement endpoints' common edge: the movement service from the context, its refusals as
// 4xx with the reason, and POST /api/consignments/{id}/close|cancel.
import { getContext } from '../context';
import { EndMovementBody } from '../movements/bodies';
import { MovementError, type MovementErrorKind } from '../movements/movementError';
import type { EndAction, MovementService } from '../movements/movementService';
import { ApiError, clientIp, json, parseBody, requireSession } from './api';

const STATUS: Record<MovementErrorKind, number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 };

/** Runs a movement service call; a refusal becomes an ApiError with its status and reason. */
export async function movements<T>(work: (service: MovementService) => Promise<T>): Promise<T> {
  const service = getContext().movements;
  if (!service) throw new ApiError(503, 'the movement service is not running');
  try {
    return await work(service);
  } catch (err) {
    if (MovementError.is(err)) throw new ApiError(STATUS[err.kind], err.message);
    throw err;
  }
}

export async function endMovement(request: Request, rawId: string, action: EndAction): Promise<Response> {
  const { user } = await requireSession(request, 'supervisor');
  if (!/^[0-9]{1,9}$/.test(rawId)) throw new ApiError(400, 'id: a positive integer');
  const { reason } = await parseBody(EndMovementBody, request);
  return json(await movements((s) => s.end(user, Number(rawId), action, reason, clientIp(request))));
}
