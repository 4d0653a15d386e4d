// GET /api/federation/status — on a regional deployment, its forwarder's state: link up or down,
// the last seq the national node stored, the lag, the last batch, the last error
// (server/federation/forwarder.ts). Supervisors. Answers on the rules node (where it runs).
import { getContext } from '@/server/context';
import { handler, json, requireSession } from '@/server/http/api';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  await requireSession(request, 'supervisor');
  const forwarder = getContext().federation?.forwarder;
  return json(forwarder ? { forwarding: true, ...forwarder.state() } : { forwarding: false });
});
