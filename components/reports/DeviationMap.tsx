'use client';
// The route-deviation spots of the period over the offline basemap: one disc per grid cell (sized in
// pixels, so a spot reads the same at any zoom), its size and colour by how many deviations fell in it (amber few → red many), a soft halo around the
// busiest so the picture reads as a heat map. Client only (maplibre, deck.gl).
import { useEffect, useRef } from 'react';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import { createBaseMap, DEFAULT_VIEW } from '../map/baseMap';
import type { Report } from './model';

type Spot = Report['spots'][number];

const AMBER = [245, 158, 11];
const RED = [239, 68, 68];
const mix = (t: number) => AMBER.map((a, i) => Math.round(a + (RED[i]! - a) * t)) as [number, number, number];

export default function DeviationMap({ spots, cellDeg }: { spots: Spot[]; cellDeg: number }) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<ReturnType<typeof createBaseMap> | null>(null);

  useEffect(() => {
    const made = createBaseMap(container.current!, DEFAULT_VIEW);
    mapRef.current = made;
    return () => {
      made.map.remove();
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const made = mapRef.current;
    if (!made) return;
    const max = Math.max(1, ...spots.map((s) => s.count));
    const share = (s: Spot) => s.count / max;
    made.overlay.setProps({
      layers: [
        new ScatterplotLayer<Spot>({
          id: 'deviation-halo',
          data: spots,
          getPosition: (s) => [s.lon, s.lat],
          radiusUnits: 'pixels',
          getRadius: (s) => 14 + 30 * Math.sqrt(share(s)),
          getFillColor: (s) => [...mix(share(s)), 50],
          stroked: false,
        }),
        new ScatterplotLayer<Spot>({
          id: 'deviation-spots',
          data: spots,
          getPosition: (s) => [s.lon, s.lat],
          radiusUnits: 'pixels',
          getRadius: (s) => 5 + 13 * Math.sqrt(share(s)),
          getFillColor: (s) => [...mix(share(s)), 210],
          getLineColor: [255, 255, 255, 160],
          lineWidthMinPixels: 1,
          stroked: true,
          pickable: true,
        }),
      ],
      getTooltip: ({ object }: PickingInfo<Spot>) =>
        object ? { text: `偏离 ${object.count} 次 · ${object.count} deviations\n${object.lon.toFixed(2)}°E ${object.lat.toFixed(2)}°N` } : null,
    });
    if (spots.length) {
      const lons = spots.map((s) => s.lon);
      const lats = spots.map((s) => s.lat);
      const pad = Math.max(cellDeg * 4, 0.3); // some land around a lone spot
      made.map.fitBounds(
        [
          [Math.min(...lons) - pad, Math.min(...lats) - pad],
          [Math.max(...lons) + pad, Math.max(...lats) + pad],
        ],
        { padding: 40, maxZoom: 8, duration: 0 },
      );
    }
  }, [spots, cellDeg]);

  return <div ref={container} className="report-map" data-testid="report-map" aria-label="偏离热点地图 · Deviation heat map" role="img" />;
}
