// The movement endpoints' common edge: the movement service from the context (its refusals are
// DomainErrors, which handler() answers as 4xx with the reason), and the lifecycle actions:
// POST /api/consignments/{id}/close|cancel|extend|handover and PATCH /api/consignments/{id}.
import { getContext } from '../context';
import { EditMovementBody, EndMovementBody, ExtendDeadlineBody, HandOverBody } from '../movements/bodies';
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

export async function editMovement(request: Request, rawId: string): Promise<Response> {
  const { user } = await requireSession(request, 'supervisor');
  const id = parseId(rawId);
  const body = await parseBody(EditMovementBody, request);
  return json(await movements((s) => s.edit(user, id, body, clientIp(request))));
}

export async function extendMovement(request: Request, rawId: string): Promise<Response> {
  const { user } = await requireSession(request, 'supervisor');
  const id = parseId(rawId);
  const { deadline, reason } = await parseBody(ExtendDeadlineBody, request);
  return json(await movements((s) => s.extendDeadline(user, id, deadline, reason, clientIp(request))));
}

export async function handOverMovement(request: Request, rawId: string): Promise<Response> {
  const { user } = await requireSession(request, 'supervisor');
  const id = parseId(rawId);
  const { asset, reason } = await parseBody(HandOverBody, request);
  return json(await movements((s) => s.handOver(user, id, asset, reason, clientIp(request))));
}
