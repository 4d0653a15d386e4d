// GET /api/openapi.json — the OpenAPI 3.1 document of this API (server/http/openapi.ts), built once
// per process from the route contracts. Public: it describes the API, not anyone's data.
import { openApiDocument } from '@/server/http/openapi';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
}
