// POST /api/consignments/{id}/inspection {reason, site?} — an officer flags a movement they may see
// for inspection (at its destination unless a site is named). The flag goes through the inspection
// link as a JSON InspFlag message from `user:<username>`, so that it is validated, stored, audited
// (with the user), chained and put on the timeline exactly as a flag from the inspection system,
// and shows on the movement's documents with its raw message. 404 when the movement is not the
// user's to see, 409 when it already has an open inspection or has ended.
import { randomUUID } from 'node:crypto';
import { getContext } from '@/server/context';
import { ApiError, handler, parseBody, requireSession } from '@/server/http/api';
import { send } from '@/server/http/contract';
import { flagInspection } from '@/server/http/contracts/consignments';
import { parseId } from '@/server/http/ids';
import { inspectionFlagObject } from '@/server/links/inspection/build';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request, 'officer');
  const id = parseId((await params).id);
  const body = await parseBody(flagInspection.body, request);
  const { pool, links } = getContext();
  if (!links?.has('inspection')) throw new ApiError(503, 'the inspection link is not running');
  const m = (await pool.query<{ reference: string }>('SELECT reference FROM visible_consignments($1) WHERE id = $2', [user.district, id])).rows[0];
  if (!m) throw new ApiError(404, 'no such consignment');
  const message = inspectionFlagObject({ messageId: `console-${randomUUID()}`, senderId: `user:${user.username}`, reference: m.reference, reason: body.reason, site: body.site });
  const receipt = await links.receive('inspection', JSON.stringify(message), { source: `user:${user.username}`, district: user.district, userId: user.id, via: 'http' });
  return send(flagInspection, 201, receipt);
});
