// Builds the deck.gl layers from the live store and the static world (corridors, sites).
// Markers use binary attributes repacked per animation frame; trails change once per tick.
import { GeoJsonLayer, IconLayer, ScatterplotLayer } from '@deck.gl/layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, FeatureCollection } from 'geojson';
import { RGB, statusColor } from '../../lib/palette';
import { ICON_MAPPING } from './icons';
import type { LiveStore, Trail } from './liveStore';

export interface WorldLayersData {
  corridors: FeatureCollection;
  routes: FeatureCollection;
  sites: FeatureCollection;
}

/** Packed marker attributes of one kind, reused between frames. */
export class MarkerBuffers {
  n = 0;
  slots = new Uint32Array(0);
  positions = new Float64Array(0);
  angles = new Float32Array(0);
  colors = new Uint8Array(0);

  ensure(cap: number): void {
    if (this.slots.length >= cap) return;
    const c = Math.max(cap, this.slots.length * 2, 256);
    this.slots = new Uint32Array(c);
    this.positions = new Float64Array(c * 2);
    this.angles = new Float32Array(c);
    this.colors = new Uint8Array(c * 4);
  }
}

/** Packs the drawn position, heading and colour of every asset (or of `only` those slots), split by kind. */
export function packMarkers(store: LiveStore, now: number, glideMs: number, vehicles: MarkerBuffers, vessels: MarkerBuffers, only?: number[]): void {
  const n = only ? only.length : store.count;
  vehicles.ensure(n);
  vessels.ensure(n);
  vehicles.n = 0;
  vessels.n = 0;
  for (let k = 0; k < n; k++) {
    const s = only ? only[k]! : k;
    const isVessel = store.kindOf(s) === 'vessel';
    const b = isVessel ? vessels : vehicles;
    const i = b.n++;
    b.slots[i] = s;
    store.positionAt(s, now, b.positions, i, glideMs);
    const course = store.course[s]!;
    b.angles[i] = Number.isNaN(course) ? 0 : -course; // deck.gl angles turn counter-clockwise
    b.colors.set(statusColor(store.statusOf(s), isVessel), i * 4);
  }
}

function markerLayer(id: string, b: MarkerBuffers, icon: 'arrow' | 'hull', atlas: string, size: number): IconLayer {
  return new IconLayer({
    id,
    data: {
      length: b.n,
      attributes: {
        getPosition: { value: b.positions, size: 2 },
        getAngle: { value: b.angles, size: 1 },
        getColor: { value: b.colors, size: 4, normalized: true },
      },
    },
    iconAtlas: atlas,
    iconMapping: ICON_MAPPING,
    getIcon: () => icon,
    getSize: size,
    sizeUnits: 'pixels',
    sizeMinPixels: 8,
    sizeMaxPixels: 40,
    pickable: true,
    // Positions change every frame; nothing else needs recomputing.
    updateTriggers: { getIcon: icon },
  } as never);
}

export function staticLayers(world: WorldLayersData | null): Layer[] {
  if (!world) return [];
  return [
    new GeoJsonLayer({
      id: 'corridors',
      data: world.corridors,
      filled: true,
      stroked: true,
      getFillColor: RGB.corridorFill,
      getLineColor: RGB.corridorLine,
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
    }),
    new GeoJsonLayer({
      id: 'routes',
      data: world.routes,
      stroked: true,
      getLineColor: [45, 212, 191, 110],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      getDashArray: [4, 3],
    }),
    new GeoJsonLayer({
      id: 'sites',
      data: world.sites,
      filled: true,
      stroked: true,
      getFillColor: [167, 139, 250, 40],
      getLineColor: RGB.site,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      pickable: true,
    }),
  ];
}

export function trailLayer(trails: Trail[], version: number, currentTime: number, trailSeconds: number): TripsLayer<Trail> {
  return new TripsLayer<Trail>({
    id: 'trails',
    data: trails,
    getPath: (t) => t.path,
    getTimestamps: (t) => t.timestamps,
    // Lighter than the corridor teal so a trail reads on top of its corridor.
    getColor: [204, 251, 241],
    opacity: 0.7,
    widthUnits: 'pixels',
    getWidth: 2,
    capRounded: true,
    jointRounded: true,
    fadeTrail: true,
    trailLength: trailSeconds,
    currentTime,
    updateTriggers: { getPath: version, getTimestamps: version },
  });
}

export function markerLayers(vehicles: MarkerBuffers, vessels: MarkerBuffers, atlas: string): Layer[] {
  return [markerLayer('vessels', vessels, 'hull', atlas, 18), markerLayer('vehicles', vehicles, 'arrow', atlas, 16)];
}

/** The wall's highlight: the asset's corridor brighter and a pulsing ring where the asset is drawn. */
export function highlightLayers(corridor: Feature[], at: [number, number] | null, t: number): Layer[] {
  const layers: Layer[] = [];
  if (corridor.length) {
    layers.push(
      new GeoJsonLayer({
        id: 'highlight-corridor',
        data: corridor,
        filled: true,
        stroked: true,
        getFillColor: [45, 212, 191, 90],
        getLineColor: [204, 251, 241, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
      }),
    );
  }
  if (at) {
    const pulse = 0.5 + 0.5 * Math.sin(t / 180);
    layers.push(
      new ScatterplotLayer({
        id: 'highlight-ring',
        data: [at],
        getPosition: (d: [number, number]) => d,
        getRadius: 22 + 14 * pulse,
        radiusUnits: 'pixels',
        filled: true,
        getFillColor: [239, 68, 68, 40],
        stroked: true,
        getLineColor: [239, 68, 68, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
        updateTriggers: { getRadius: t },
      }),
    );
  }
  return layers;
}
