'use client';
// The console's map: the selection's corridors, sites, tracks and alert spots; during replay the
// track grows up to the replayed moment with a marker there (the map following it if asked);
// the carriers' live positions keep moving from the live feed all along.
import { useEffect, useRef, type MutableRefObject } from 'react';
import type { Journey } from '../../lib/journey';
import { statusColor } from '../../lib/palette';
import { createBaseMap } from '../map/baseMap';
import { drawIconAtlas } from '../map/icons';
import type { LiveStore } from '../map/liveStore';
import { buildScene, liveTail, liveTailLayer, markerLayer, replayLayers, replayMarkers, staticJourneyLayers, type JourneyScene, type ReplayMarker } from './journeyLayers';
import type { ReplayClock } from './useReplayClock';

const FRAME_MS = 33;

export interface ConsoleMapProps {
  journeys: Journey[];
  focusAssetId: number | null;
  clock: MutableRefObject<ReplayClock>;
  store: LiveStore;
  tickMs: number;
  /** The moment the console was opened at (?at=, from an alert): the map looks closely there. */
  openedAt: number | null;
}

/** Bounds around every fix, corridor and site of the selection. */
function boundsOf(journeys: Journey[]): [[number, number], [number, number]] | null {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  const add = (lon: number, lat: number) => {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  };
  for (const j of journeys) {
    for (const f of j.track.fixes) add(f[0], f[1]);
    for (const c of j.route?.path.coordinates ?? []) add(c[0]!, c[1]!);
    if (j.progress) add(j.progress.lon, j.progress.lat);
  }
  return Number.isFinite(w)
    ? [
        [w, s],
        [e, n],
      ]
    : null;
}

export default function ConsoleMap({ journeys, focusAssetId, clock, store, tickMs, openedAt }: ConsoleMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const sceneRef = useRef<JourneyScene>(buildScene([], null));
  const mapRef = useRef<ReturnType<typeof createBaseMap> | null>(null);
  const fitted = useRef('');
  const tickRef = useRef(tickMs);
  tickRef.current = tickMs;
  const focusRef = useRef(focusAssetId);
  focusRef.current = focusAssetId;

  useEffect(() => {
    const base = createBaseMap(container.current!);
    mapRef.current = base;
    const { map, overlay } = base;
    const atlas = drawIconAtlas();
    const live = new Float64Array(2);
    let raf = 0;
    let last = 0;
    let frames = 0;
    let markers: ReplayMarker[] = [];
    let scene: JourneyScene | null = null;
    let statics = staticJourneyLayers(sceneRef.current, false);
    let staticsReplaying = false;
    let drawnScene: JourneyScene | null = null;
    // deck.gl has drawn a new selection's tracks: a mark for bench/track and anyone profiling.
    overlay.setProps({
      onAfterRender: () => {
        if (scene && scene !== drawnScene && scene.trips.length) {
          drawnScene = scene;
          performance.mark('tw:tracks-drawn');
        }
      },
    });

    const draw = (t: number) => {
      raf = requestAnimationFrame(draw);
      if (t - last < FRAME_MS) return;
      last = t;
      frames++;
      const c = clock.current;
      const replaying = c.time !== null;
      if (scene !== sceneRef.current || staticsReplaying !== replaying) {
        scene = sceneRef.current;
        staticsReplaying = replaying;
        statics = staticJourneyLayers(scene, replaying);
      }
      const liveMarkers: ReplayMarker[] = [];
      const tails: [number, number][][] = [];
      for (const j of scene.journeys) {
        const s = store.slotFor(j.asset.id);
        if (s === undefined) continue;
        store.positionAt(s, t, live, 0, tickRef.current);
        tails.push(liveTail(j, store, live));
        const course = store.course[s]!;
        liveMarkers.push({
          assetId: j.asset.id,
          icon: j.asset.kind === 'vessel' ? 'hull' : 'arrow',
          position: [live[0]!, live[1]!],
          angle: Number.isNaN(course) ? 0 : -course,
          color: statusColor(store.statusOf(s), j.asset.kind === 'vessel'),
        });
      }
      const layers = [...statics, liveTailLayer(tails), markerLayer('live-markers', liveMarkers, atlas, 20)];
      if (replaying) {
        markers = replayMarkers(scene, c.time!);
        layers.push(...replayLayers(scene, c.time!, markers, atlas));
        const followed = markers.find((m) => m.assetId === focusRef.current) ?? markers[0];
        if (c.follow && followed) map.jumpTo({ center: followed.position });
      } else markers = [];
      overlay.setProps({ layers });
    };
    raf = requestAnimationFrame(draw);

    // For end-to-end tests and people debugging in the browser console.
    (window as unknown as Record<string, unknown>).__tw = {
      map,
      overlay,
      store,
      get scene() {
        return sceneRef.current;
      },
      get replayMarkers() {
        return markers;
      },
      get frames() {
        return frames;
      },
    };
    return () => {
      cancelAnimationFrame(raf);
      map.remove();
      mapRef.current = null;
    };
  }, [clock, store]);

  useEffect(() => {
    sceneRef.current = buildScene(journeys, focusAssetId);
    // Frame the selection when what is selected changes (not on every refresh).
    const key = journeys
      .map((j) => j.asset.id)
      .sort()
      .join(',');
    const b = boundsOf(journeys);
    if (key !== fitted.current && b && mapRef.current) {
      fitted.current = key;
      const { map } = mapRef.current;
      map.fitBounds(b, { padding: 80, maxZoom: 13, duration: 0 });
      // Opened at a moment (from an alert): look closely at where the carrier was then.
      const there = openedAt === null ? null : replayMarkers(sceneRef.current, openedAt).find((m) => m.assetId === focusAssetId);
      if (there) map.jumpTo({ center: there.position, zoom: Math.max(map.getZoom(), 12) });
    }
  }, [journeys, focusAssetId, openedAt]);

  return <div ref={container} className="map-canvas" data-testid="map" />;
}
