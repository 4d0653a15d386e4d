// GET /api/assets/{id}/track?from=&to=&format=geojson|gpx|kml&zoom= — an asset's track over a
// window (ms; at most 7 days), simplified for the zoom when long; 404 if the user may not see it.
import { getContext } from '../../../../../server/context';
import { ApiError, handler, parseQuery, requireSession } from '../../../../../server/http/api';
import { parseId } from '@/server/http/ids';
import { loadTrack, trackAsGeoJson, trackAsGpx, trackAsKml } from '../../../../../server/queries/track';
import { send } from '@/server/http/contract';
import { assetTrack as contract } from '@/server/http/contracts/assets';

export const dynamic = 'force-dynamic';

export const GET = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { user } = await requireSession(request);
  const id = parseId((await params).id);
  const q = parseQuery(contract.query, request);
  const track = await loadTrack(getContext().pool, user.district, id, q);
  if (!track) throw new ApiError(404, 'no such asset');
  const name = `track-${id}-${new Date(q.from).toISOString().slice(0, 10)}`;
  if (q.format === 'gpx')
    return new Response(trackAsGpx(track), { headers: { 'content-type': 'application/gpx+xml', 'content-disposition': `attachment; filename="${name}.gpx"` } });
  if (q.format === 'kml')
    return new Response(trackAsKml(track), { headers: { 'content-type': 'application/vnd.google-earth.kml+xml', 'content-disposition': `attachment; filename="${name}.kml"` } });
  return send(contract, 200, trackAsGeoJson(track));
});
