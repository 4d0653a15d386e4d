// POST /api/assets/{id}/jt809-request {minutes} — ask the lower platform that carries this vehicle
// for its positions for that long (JT/T 809 0x9205, then 0x9206). An officer, on a vehicle they
// may see; recorded and audited. 409 when no such platform is connected.
import { getContext } from '../../../../../server/context';
import { requestPositions } from '../../../../../server/ingest/jt809/requests';
import { parseId } from '@/server/http/ids';
import { clientIp, handler, parseBody, requireSession } from '../../../../../server/http/api';
import { send } from '@/server/http/contract';
import { requestPositions as contract } from '@/server/http/contracts/jt809';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'officer');
  const id = parseId((await params).id);
  const body = await parseBody(contract.body, request);
  return send(contract, 202, await requestPositions(getContext().pool, id, body, user, clientIp(request)));
});
