// POST /api/consignments/{id}/cancel {reason} — a supervisor cancels an open movement they may see:
// 404 when it is not theirs to see, 409 when it has already ended. Audited and chained.
import { handler } from '../../../../../server/http/api';
import { endMovement } from '../../../../../server/http/movementAction';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => endMovement(request, (await params).id, 'cancel'));
