// GET /api/federation/records?table=consignments|alerts[&region=CODE][&limit=N] — the regions'
// forwarded movements or alerts, each with its source region (来源关区). HQ only.
import { getContext } from '@/server/context';
import { requireHq } from '@/server/federation/access';
import { RecordsQuery, listFederatedRecords } from '@/server/federation/records';
import { handler, json, parseQuery } from '@/server/http/api';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request) => {
  await requireHq(request);
  return json(await listFederatedRecords(getContext().pool, parseQuery(RecordsQuery, request)));
});
