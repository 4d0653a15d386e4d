// POST /api/consignments/{id}/extend {deadline, reason} — a supervisor gives an open movement they
// may see a later deadline: 400 when it is not later, 404 not theirs, 409 ended. Audited, chained;
// the rules watch it with the new deadline (an OVERDUE episode of the old one ends).
import { handler } from '../../../../../server/http/api';
import { extendMovement } from '../../../../../server/http/movementAction';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => extendMovement(request, (await params).id));
