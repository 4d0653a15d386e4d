// POST /api/consignments/{id}/handover {asset, reason} — trans-shipment (换车转运): a supervisor
// moves an open movement they may see onto another vehicle of their jurisdiction. 404 not theirs,
// 409 ended, 403 the vehicle is unknown or not theirs (alike). Audited, chained; the live scopes and
// the rules follow the new vehicle.
import { handler } from '../../../../../server/http/api';
import { handOverMovement } from '../../../../../server/http/movementAction';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => handOverMovement(request, (await params).id));
