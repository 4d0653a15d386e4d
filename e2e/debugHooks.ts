// What the app puts on `window` for end-to-end tests, benchmarks and people debugging in the
// browser console (LiveMap and ConsoleMap set `__tw`, WallPage `__twWall`). Tests read these
// inside page.evaluate; this declaration types them there. Type-only: nothing here runs.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { LiveStore } from '../components/map/liveStore';
import type { MarkerBuffers } from '../components/map/layers';
import type { Highlight } from '../components/map/LiveMap';
import type { JourneyScene, ReplayMarker } from '../components/console/journeyLayers';
import type { Focus } from '../components/wall/useFlyToQueue';

/** `__tw`: the fields of both maps; on a page only those of the map it shows are there. */
export interface MapDebugHook {
  map: MapLibreMap;
  overlay: MapboxOverlay;
  store: LiveStore;
  frames: number;
  // LiveMap (the live map and the wall)
  vehicles: MarkerBuffers;
  vessels: MarkerBuffers;
  worldLoaded: boolean;
  lodMode: 'detail' | 'aggregate';
  trailCount: number;
  highlight: Highlight | null;
  // ConsoleMap
  scene: JourneyScene;
  replayMarkers: ReplayMarker[];
}

/** `__twWall`: the wall's fetch counters and its camera focus. */
export interface WallDebugHook {
  kpiFetches: number;
  tickerFetches: number;
  snapshots: number;
  focus: Focus | null;
}

declare global {
  interface Window {
    // Absent until the page's map (or wall) has started: tests that may run earlier read them with `?.`.
    __tw: MapDebugHook;
    __twWall: WallDebugHook;
    /** A test's marker that the page was not reloaded. */
    __sameDocument?: boolean;
  }
}
