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

/**
 * `scale` > 1 draws the map as if the screen were that many times smaller, then enlarges it
 * (sharp: both canvases render at the full resolution), so a 4K wall shows what a 1080p one does.
 */
export function createBaseMap(container: HTMLElement, view: View = DEFAULT_VIEW, scale = 1): { map: maplibregl.Map; overlay: MapboxOverlay } {
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
    pixelRatio: devicePixelRatio * scale,
  });
  map.touchZoomRotate.disableRotation();
  const overlay = new MapboxOverlay({ interleaved: false, layers: [], useDevicePixels: devicePixelRatio * scale });
  map.addControl(overlay);
  return { map, overlay };
}
