// The maplibre map every view draws on: the offline PMTiles basemap, no rotation, and a deck.gl
// overlay for our own layers.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { basemapStyle, registerPmtilesProtocol } from './basemapStyle';

export interface View {
  center: [number, number];
  zoom: number;
}

export const DEFAULT_VIEW: View = { center: [121.35, 30.85], zoom: 7.6 };

export function createBaseMap(container: HTMLElement, view: View = DEFAULT_VIEW): { map: maplibregl.Map; overlay: MapboxOverlay } {
  maplibregl.setWorkerUrl('/maplibre-gl-worker.mjs');
  registerPmtilesProtocol(maplibregl);
  const map = new maplibregl.Map({
    container,
    style: basemapStyle(`${location.origin}/basemap.pmtiles`),
    center: view.center,
    zoom: view.zoom,
    minZoom: 2,
    maxZoom: 16,
    dragRotate: false,
    pitchWithRotate: false,
    attributionControl: { compact: true },
  });
  map.touchZoomRotate.disableRotation();
  const overlay = new MapboxOverlay({ interleaved: false, layers: [] });
  map.addControl(overlay);
  return { map, overlay };
}
