// Snapping a clicked point to the basemap's roads: the road lines drawn within a few pixels of the
// click (maplibre's rendered features of the road layers), the nearest point on them. The road line
// and segment index come back too, so two points on the same road make the path follow it
// (lib/drawing.ts). Where the basemap has no road near the click, the point stays where it was.
import type * as maplibregl from 'maplibre-gl';
import nearestPointOnLine from '@turf/nearest-point-on-line';
import { lineString, point } from '@turf/helpers';
import type { ControlPoint, Pos } from '../../../lib/drawing';

const SNAP_PX = 14;
/** The basemap's road tiles (scripts/build-basemap.ts). */
const ROAD_SOURCE_LAYER = 'roads';

/** The style layers that draw roads, whatever they are called. */
export function roadLayerIds(map: maplibregl.Map): string[] {
  return (map.getStyle()?.layers ?? []).filter((l) => 'source-layer' in l && l['source-layer'] === ROAD_SOURCE_LAYER).map((l) => l.id);
}

function linesOf(g: GeoJSON.Geometry): Pos[][] {
  if (g.type === 'LineString') return [g.coordinates as Pos[]];
  if (g.type === 'MultiLineString') return g.coordinates as Pos[][];
  return [];
}

export function snapToRoads(map: maplibregl.Map, at: Pos): ControlPoint {
  const layers = roadLayerIds(map);
  if (!layers.length) return { pos: at };
  const p = map.project(at);
  const features = map.queryRenderedFeatures(
    [
      [p.x - SNAP_PX, p.y - SNAP_PX],
      [p.x + SNAP_PX, p.y + SNAP_PX],
    ],
    { layers },
  );
  let best: ControlPoint | null = null;
  let bestPx = SNAP_PX;
  for (const f of features) {
    for (const line of linesOf(f.geometry)) {
      if (line.length < 2) continue;
      const near = nearestPointOnLine(lineString(line), point(at));
      const pos = near.geometry.coordinates as Pos;
      const q = map.project(pos);
      const px = Math.hypot(q.x - p.x, q.y - p.y);
      if (px <= bestPx) {
        bestPx = px;
        best = { pos, road: { line, index: near.properties.index ?? 0 } };
      }
    }
  }
  return best ?? { pos: at };
}
