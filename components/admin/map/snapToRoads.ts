// Snapping a clicked point to a road: the basemap's road lines drawn within a few pixels of the click
// (maplibre's rendered features of the road layers) and the approved routes already drawn (they
// follow the roads the trucks use; the offline basemap has no roads yet: geo/SOURCES.md), the
// nearest point on them. The line and segment index come back too, so two points on the same line
// make the path follow it (lib/drawing.ts). With nothing near the click, the point stays where it was.
import type * as maplibregl from 'maplibre-gl';
import nearestPointOnLine from '@turf/nearest-point-on-line';
import { lineString, point } from '@turf/helpers';
import type { ControlPoint, Pos } from '../../../lib/drawing';
import { ROAD_LAYER_IDS } from '../../map/basemapStyle';

const SNAP_PX = 14;

function linesOf(g: GeoJSON.Geometry): Pos[][] {
  if (g.type === 'LineString') return [g.coordinates as Pos[]];
  if (g.type === 'MultiLineString') return g.coordinates as Pos[][];
  return [];
}

/** Whether a line passes within `px` pixels of the box around a screen point (a cheap first cut). */
function near(map: maplibregl.Map, line: Pos[], x: number, y: number, px: number): boolean {
  const b = map.unproject([x - px, y + px]);
  const t = map.unproject([x + px, y - px]);
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of line) [w, s, e, n] = [Math.min(w, lon), Math.min(s, lat), Math.max(e, lon), Math.max(n, lat)];
  return !(e < b.lng || w > t.lng || n < b.lat || s > t.lat);
}

export function snapToRoads(map: maplibregl.Map, at: Pos, routes: Pos[][] = []): ControlPoint {
  const p = map.project(at);
  const roads = ROAD_LAYER_IDS.length
    ? map.queryRenderedFeatures(
        [
          [p.x - SNAP_PX, p.y - SNAP_PX],
          [p.x + SNAP_PX, p.y + SNAP_PX],
        ],
        { layers: [...ROAD_LAYER_IDS] },
      )
    : [];
  const candidates = [...roads.flatMap((f) => linesOf(f.geometry)), ...routes.filter((l) => near(map, l, p.x, p.y, SNAP_PX))];
  let best: ControlPoint | null = null;
  let bestPx = SNAP_PX;
  for (const line of candidates) {
    if (line.length < 2) continue;
    const nearest = nearestPointOnLine(lineString(line), point(at));
    const pos = nearest.geometry.coordinates as Pos;
    const q = map.project(pos);
    const px = Math.hypot(q.x - p.x, q.y - p.y);
    if (px <= bestPx) {
      bestPx = px;
      best = { pos, road: { line, index: nearest.properties.index ?? 0 } };
    }
  }
  return best ?? { pos: at };
}
