// deck.gl layers for the console's selection: corridors and sites, the track (red where it left
// the corridor), alert spots, and the replay (TripsLayer growing up to the replayed moment, with a
// marker there). Built once per journey set (`JourneyScene`); per frame only the moment changes.
import { GeoJsonLayer, IconLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import type { Layer } from '@deck.gl/core';
import type { Feature } from 'geojson';
import type { Journey } from '../../lib/journey';
import type { LiveStore } from '../map/liveStore';
import { RGB, type RGBA } from '../../lib/palette';
import { corridorRuns, positionAt, segments, type TrackRun } from '../../lib/replay';
import { ICON_MAPPING } from '../map/icons';

interface Trip {
  path: [number, number][];
  /** Seconds since the scene's time base: small numbers, exact in the GPU's 32-bit floats. */
  timestamps: number[];
}

interface AlertSpot {
  position: [number, number];
  color: RGBA;
}

export interface JourneyScene {
  timeBase: number;
  corridors: Feature[];
  focusCorridor: Feature[];
  sites: Feature[];
  runs: (TrackRun & { focus: boolean })[];
  trips: Trip[];
  alerts: AlertSpot[];
  journeys: Journey[];
}

const SEVERITY_COLOR: Record<string, RGBA> = { critical: RGB.critical, warning: RGB.warning, info: RGB.vessel };

export function buildScene(journeys: Journey[], focusAssetId: number | null): JourneyScene {
  const timeBase = Math.min(...journeys.map((j) => j.window.from), Date.now());
  const scene: JourneyScene = { timeBase, corridors: [], focusCorridor: [], sites: [], runs: [], trips: [], alerts: [], journeys };
  for (const j of journeys) {
    const focus = j.asset.id === focusAssetId;
    if (j.route) {
      const corridor: Feature = { type: 'Feature', geometry: j.route.corridor, properties: {} };
      (focus ? scene.focusCorridor : scene.corridors).push(corridor, { type: 'Feature', geometry: j.route.path, properties: { centre: true } });
    }
    if (j.sites) scene.sites.push(j.sites.origin, { ...j.sites.destination, properties: { ...j.sites.destination.properties, destination: true } });
    for (const r of corridorRuns(j.track.fixes, j.route?.corridorM ?? null)) scene.runs.push({ ...r, focus });
    for (const seg of segments(j.track.fixes)) {
      if (seg.length > 1) scene.trips.push({ path: seg.map((f) => [f[0], f[1]]), timestamps: seg.map((f) => (f[2] - timeBase) / 1000) });
    }
    for (const e of j.timeline) {
      if (e.kind === 'alert' && e.lon != null && e.lat != null) scene.alerts.push({ position: [e.lon, e.lat], color: SEVERITY_COLOR[e.severity ?? 'info']! });
    }
  }
  return scene;
}

/** The layers that do not change with the replayed moment. */
export function staticJourneyLayers(scene: JourneyScene, replaying: boolean): Layer[] {
  const trackAlpha = replaying ? 90 : 255; // while replaying the whole track steps back behind the replayed part
  return [
    corridorLayer('corridors', scene.corridors, RGB.corridorFill, RGB.corridorLine),
    corridorLayer('focus-corridor', scene.focusCorridor, [45, 212, 191, 64], [94, 234, 212, 230]),
    new GeoJsonLayer({
      id: 'journey-sites',
      data: scene.sites,
      filled: true,
      stroked: true,
      getFillColor: (f: Feature) => (f.properties?.destination ? [167, 139, 250, 110] : [167, 139, 250, 30]),
      getLineColor: RGB.site,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
    }),
    new PathLayer<TrackRun & { focus: boolean }>({
      id: 'track',
      data: scene.runs,
      getPath: (r) => r.path,
      getColor: (r) => {
        const c = r.outside ? RGB.critical : [204, 251, 241, 255];
        return [c[0]!, c[1]!, c[2]!, r.outside ? Math.max(trackAlpha, 160) : trackAlpha];
      },
      getWidth: (r) => (r.outside ? 4 : 3),
      widthUnits: 'pixels',
      capRounded: true,
      jointRounded: true,
      updateTriggers: { getColor: trackAlpha },
    }),
    new ScatterplotLayer<AlertSpot>({
      id: 'alert-spots',
      data: scene.alerts,
      getPosition: (a) => a.position,
      getFillColor: (a) => a.color,
      getLineColor: [11, 19, 32, 255],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      radiusUnits: 'pixels',
      getRadius: 7,
    }),
  ];
}

function corridorLayer(id: string, data: Feature[], fill: RGBA, line: RGBA): GeoJsonLayer {
  return new GeoJsonLayer({
    id,
    data,
    filled: true,
    stroked: true,
    getFillColor: (f: Feature) => (f.properties?.centre ? [0, 0, 0, 0] : fill),
    getLineColor: (f: Feature) => (f.properties?.centre ? [line[0], line[1], line[2], 140] : line),
    lineWidthUnits: 'pixels',
    getLineWidth: (f: Feature) => (f.properties?.centre ? 1 : 1.5),
    getDashArray: [4, 3],
  });
}

export interface ReplayMarker {
  assetId: number;
  icon: 'arrow' | 'hull';
  position: [number, number];
  angle: number;
  color?: RGBA;
}

/** Where each selected carrier was at `time`. */
export function replayMarkers(scene: JourneyScene, time: number): ReplayMarker[] {
  const out: ReplayMarker[] = [];
  for (const j of scene.journeys) {
    const p = positionAt(j.track.fixes, time);
    if (p) out.push({ assetId: j.asset.id, icon: j.asset.kind === 'vessel' ? 'hull' : 'arrow', position: [p.lon, p.lat], angle: -p.bearing });
  }
  return out;
}

/** The replayed part of each track, growing up to the moment, and the carriers there. */
export function replayLayers(scene: JourneyScene, time: number, markers: ReplayMarker[], atlas: string): Layer[] {
  return [
    new TripsLayer<Trip>({
      id: 'replay-trips',
      data: scene.trips,
      getPath: (t) => t.path,
      getTimestamps: (t) => t.timestamps,
      getColor: [94, 234, 212],
      widthUnits: 'pixels',
      getWidth: 4,
      capRounded: true,
      jointRounded: true,
      fadeTrail: false,
      trailLength: 8 * 86_400, // everything replayed so far
      currentTime: (time - scene.timeBase) / 1000,
    }),
    markerLayer('replay-markers', markers, atlas, 26),
  ];
}

/** Carrier markers: white unless a marker brings its own (status) colour. */
export function markerLayer(id: string, markers: ReplayMarker[], atlas: string, size: number): IconLayer<ReplayMarker> {
  return new IconLayer<ReplayMarker>({
    id,
    data: markers,
    getPosition: (m) => m.position,
    getAngle: (m) => m.angle,
    getIcon: (m) => m.icon,
    getColor: (m) => m.color ?? [255, 255, 255, 255],
    iconAtlas: atlas,
    iconMapping: ICON_MAPPING,
    getSize: size,
    sizeUnits: 'pixels',
    updateTriggers: { getPosition: markers, getAngle: markers, getColor: markers },
  });
}

/**
 * The track between the journey's last stored fix and where the carrier is drawn now, from the
 * live feed's trail, so the track keeps growing between refreshes. `now` holds the drawn position.
 */
export function liveTail(j: Journey, store: LiveStore, now: Float64Array): [number, number][] {
  const last = j.track.fixes[j.track.fixes.length - 1];
  const trail = store.trails.get(j.asset.id);
  const tail: [number, number][] = last ? [[last[0], last[1]]] : [];
  if (trail) {
    const after = last ? (last[2] - store.timeBase) / 1000 : -Infinity;
    trail.timestamps.forEach((t, i) => {
      if (t > after) tail.push(trail.path[i]!);
    });
  }
  tail.push([now[0]!, now[1]!]);
  return tail;
}

export function liveTailLayer(tails: [number, number][][]): PathLayer<[number, number][]> {
  return new PathLayer<[number, number][]>({
    id: 'live-tails',
    data: tails,
    getPath: (p) => p,
    getColor: [204, 251, 241, 200],
    getWidth: 2,
    widthUnits: 'pixels',
    updateTriggers: { getPath: tails },
  });
}
