'use client';
// The admin's drawing map: the offline basemap with the other routes and sites dimmed for
// reference, and the geometry being drawn. A click adds a point (snapped to a road when asked);
// a point's handle drags; the corridor (or polygon) being drawn is shown as it changes.
import { useEffect, useMemo, useRef } from 'react';
import * as maplibregl from 'maplibre-gl';
import { GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Feature } from 'geojson';
import { pathOf, ringOf, type ControlPoint, type Pos } from '../../../lib/drawing';
import { createBaseMap } from '../../map/baseMap';
import { snapToRoads } from './snapToRoads';

/** Above this many points the handles would crowd the map: the points are drawn, not dragged. */
const MAX_HANDLES = 300;

export interface EditMapProps {
  mode: 'line' | 'polygon';
  points: ControlPoint[];
  onChange(points: ControlPoint[]): void;
  /** Snap new line points to the basemap's roads and to the other routes (snapToRoads.ts). */
  snap: boolean;
  /** Other routes and sites, drawn dim. */
  context: Feature[];
  /** The corridor of the route being drawn. */
  preview: Feature | null;
  /** When this changes, the map fits the points (or the context). */
  fitKey: string;
}

const TEAL: [number, number, number] = [45, 212, 191];
const VIOLET: [number, number, number] = [167, 139, 250];

function bounds(coords: Pos[]): maplibregl.LngLatBoundsLike | null {
  if (!coords.length) return null;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of coords) [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
  return [
    [w, s],
    [e, n],
  ];
}

function coordsOf(f: Feature): Pos[] {
  const g = f.geometry;
  if (g.type === 'LineString') return g.coordinates as Pos[];
  if (g.type === 'Polygon') return g.coordinates[0] as Pos[];
  return [];
}

export default function EditMap({ mode, points, onChange, snap, context, preview, fitKey }: EditMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const base = useRef<ReturnType<typeof createBaseMap> | null>(null);
  const handles = useRef<maplibregl.Marker[]>([]);
  const snapLines = useMemo(() => context.flatMap((f) => (f.geometry.type === 'LineString' ? [f.geometry.coordinates as Pos[]] : [])), [context]);
  const latest = useRef({ points, onChange, snap, mode, snapLines });
  latest.current = { points, onChange, snap, mode, snapLines };

  const place = (at: Pos): ControlPoint => {
    const map = base.current!.map;
    if (!latest.current.snap || latest.current.mode !== 'line') return { pos: at };
    try {
      return snapToRoads(map, at, latest.current.snapLines);
    } catch {
      return { pos: at }; // a point is never lost to snapping
    }
  };

  useEffect(() => {
    const b = createBaseMap(container.current!);
    base.current = b;
    b.map.getCanvas().style.cursor = 'crosshair';
    b.map.on('click', (e) => {
      // A click on a point's handle is a drag that did not move, not a new point.
      if ((e.originalEvent.target as HTMLElement | null)?.closest?.('.edit-vertex')) return;
      const { points: ps, onChange: change } = latest.current;
      change([...ps, place([e.lngLat.lng, e.lngLat.lat])]);
    });
    (window as unknown as Record<string, unknown>).__twEdit = { map: b.map };
    return () => {
      handles.current.forEach((m) => m.remove());
      handles.current = [];
      b.map.remove();
      base.current = null;
    };
  }, []);

  // The handles: one draggable marker a point (the first and last marked).
  useEffect(() => {
    const b = base.current;
    if (!b) return;
    handles.current.forEach((m) => m.remove());
    handles.current = [];
    if (points.length > MAX_HANDLES) return;
    points.forEach((p, k) => {
      const el = document.createElement('div');
      el.className = `edit-vertex${k === 0 ? ' first' : ''}${k === points.length - 1 ? ' last' : ''}${p.road ? ' snapped' : ''}`;
      el.title = `${k + 1}`;
      const marker = new maplibregl.Marker({ element: el, draggable: true }).setLngLat(p.pos).addTo(b.map);
      marker.on('dragend', () => {
        const ll = marker.getLngLat();
        const next = [...latest.current.points];
        next[k] = place([ll.lng, ll.lat]);
        latest.current.onChange(next);
      });
      handles.current.push(marker);
    });
  }, [points]);

  // What is drawn: context, the corridor preview, the geometry, and the points when there are many.
  useEffect(() => {
    const b = base.current;
    if (!b) return;
    const path = mode === 'line' ? pathOf(points) : null;
    const ring = mode === 'polygon' ? ringOf(points) : null;
    b.overlay.setProps({
      layers: [
        new GeoJsonLayer({
          id: 'context',
          data: context,
          stroked: true,
          filled: true,
          getFillColor: (f: Feature) => (f.geometry.type === 'Polygon' ? [...VIOLET, 30] : [0, 0, 0, 0]),
          getLineColor: (f: Feature) => (f.geometry.type === 'Polygon' ? [...VIOLET, 160] : [...TEAL, 90]),
          getLineWidth: 1.5,
          lineWidthUnits: 'pixels',
        }),
        preview &&
          new GeoJsonLayer({
            id: 'preview',
            data: [preview],
            getFillColor: [...TEAL, 38],
            getLineColor: [...TEAL, 153],
            getLineWidth: 1,
            lineWidthUnits: 'pixels',
          }),
        path &&
          path.length > 1 &&
          new PathLayer({ id: 'path', data: [path], getPath: (d: Pos[]) => d, getColor: [...TEAL, 255], getWidth: 3, widthUnits: 'pixels', capRounded: true, jointRounded: true }),
        ring &&
          new GeoJsonLayer({
            id: 'ring',
            data: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }],
            getFillColor: [...VIOLET, 50],
            getLineColor: [...VIOLET, 255],
            getLineWidth: 2,
            lineWidthUnits: 'pixels',
          }),
        mode === 'polygon' &&
          !ring &&
          points.length === 2 &&
          new PathLayer({ id: 'edge', data: [points.map((p) => p.pos)], getPath: (d: Pos[]) => d, getColor: [...VIOLET, 255], getWidth: 2, widthUnits: 'pixels' }),
        points.length > MAX_HANDLES &&
          new ScatterplotLayer({ id: 'points', data: points, getPosition: (p: ControlPoint) => p.pos, getRadius: 3, radiusUnits: 'pixels', getFillColor: [230, 237, 246, 220] }),
      ].filter(Boolean),
    });
  }, [mode, points, context, preview]);

  // Fit the view to what is being edited (or to the context for something new).
  useEffect(() => {
    const b = base.current;
    if (!b) return;
    const own = points.map((p) => p.pos);
    const box = bounds(own.length ? own : context.flatMap(coordsOf));
    if (box) b.map.fitBounds(box, { padding: 60, maxZoom: 12, duration: 0 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fitKey]);

  return <div ref={container} className="edit-map" data-testid="edit-map" />;
}
