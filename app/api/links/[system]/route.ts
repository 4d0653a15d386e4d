// POST /api/links/<system> — one customs or partner message (XML or JSON, as the body). A system
// with an ingest token for the link (kind `links` or `link:<system>`), or a signed-in supervisor.
// The answer is the receipt: applied or duplicate (the first answer again), with what it did and,
// for the gate, its decision. A bad message gets 400 with the reason; nothing of it is kept.
import { getContext } from '@/server/context';
import { ApiError, handler, requireIngest } from '@/server/http/api';
import { LINK_SYSTEMS } from '@/server/links/types';
import { parseParams, send } from '@/server/http/contract';
import { receiveLinkMessage as contract } from '@/server/http/contracts/links';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request, { params }: { params: Promise<{ system: string }> }) => {
  const { system } = await parseParams(contract, params, `no such link system (one of ${LINK_SYSTEMS.join(', ')})`);
  const caller = await requireIngest(request, `link:${system}`);
  const { links } = getContext();
  if (!links?.has(system)) throw new ApiError(503, `the ${system} link is not running`);
  const text = await request.text();
  const receipt = await links.receive(system, text, { source: caller.source, district: caller.district, userId: caller.userId, via: 'http' });
  return send(contract, receipt.status === 'applied' ? 201 : 200, receipt);
});
