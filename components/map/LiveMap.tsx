'use client';
// The live map: maplibre-gl draws the offline basemap, deck.gl (as a maplibre overlay) draws
// corridors, sites, trails and the live markers from the LiveStore.
import { useEffect, useRef, useState } from 'react';
import type * as maplibregl from 'maplibre-gl';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Feature } from 'geojson';
import { createBaseMap, type View } from './baseMap';
import { drawIconAtlas } from './icons';
import { highlightLayers, MarkerBuffers, markerLayers, packMarkers, staticLayers, trailLayer, type WorldLayersData } from './layers';
import type { LiveStore, Trail } from './liveStore';
import { aggregate, cellLayers, Cells, LOD_AGGREGATE_BELOW_ZOOM, LOD_MAX_TRAILS, LOD_MIN_ASSETS, trailsInView } from './lod';
import { HoverCard, type Hovered } from './HoverCard';

const FRAME_MS = 33; // ~30 fps is plenty for markers gliding over a second
const FLY_MS = 2500;
const FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';

/** Where the camera should be; the map animates there whenever this changes. */
export type ViewTarget = { kind: 'bounds'; bounds: [number, number, number, number] } | { kind: 'point'; center: [number, number]; zoom: number };

/** An asset to draw attention to, with its movement's route (its corridor is brightened). */
export interface Highlight {
  assetId: number;
  routeCode: string | null;
}

export interface LiveMapProps {
  store: LiveStore;
  tickMs: number;
  trailSeconds: number;
  initialView?: View;
  /** When set, the view drives the camera (the wall); otherwise people do. */
  view?: ViewTarget | null;
  highlight?: Highlight | null;
  /** Level of detail (aggregate and thin trails at high counts). */
  lod?: boolean;
  onWorld?: (world: WorldLayersData) => void;
  /**
   * Draws the map as if the screen were `scale` times smaller, then enlarges it (sharp: both
   * canvases render at the full resolution), so a 4K wall shows what a 1080p one does.
   */
  scale?: number;
}

export default function LiveMap({ store, tickMs, trailSeconds, initialView, view, highlight, lod = false, onWorld, scale = 1 }: LiveMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const tickRef = useRef(tickMs);
  tickRef.current = tickMs;
  const mapRef = useRef<maplibregl.Map | null>(null);
  const lodRef = useRef(lod);
  lodRef.current = lod;
  const onWorldRef = useRef(onWorld);
  onWorldRef.current = onWorld;
  const highlightRef = useRef<{ h: Highlight; corridor: Feature[] } | null>(null);
  const worldRef = useRef<WorldLayersData | null>(null);
  const [hovered, setHovered] = useState<Hovered | null>(null);

  useEffect(() => {
    const { map, overlay } = createBaseMap(container.current!, initialView, scale);
    mapRef.current = map;

    const atlas = drawIconAtlas();
    const vehicles = new MarkerBuffers();
    const vessels = new MarkerBuffers();
    let statics = staticLayers(null);
    let trails: Trail[] = [];
    let trailsVersion = -1;
    let trailsView = '';
    const cells = new Cells();
    const alerting: number[] = [];
    let mode: 'detail' | 'aggregate' = 'detail';
    let drawnStatics: Layer[] | null = null;
    let drawnHighlight = false;
    let raf = 0;
    let last = 0;
    let frames = 0;

    fetch('/api/world')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`world: HTTP ${r.status}`))))
      .then((w: WorldLayersData) => {
        worldRef.current = w;
        statics = staticLayers(w);
        onWorldRef.current?.(w);
      })
      .catch((err) => console.error(err));

    const onHover = (info: PickingInfo) => {
      if (info.index < 0 || (info.layer?.id !== 'vehicles' && info.layer?.id !== 'vessels')) return setHovered(null);
      const b = info.layer.id === 'vehicles' ? vehicles : vessels;
      setHovered({ x: info.x, y: info.y, slot: b.slots[info.index]! });
    };
    overlay.setProps({ onHover });

    const draw = (t: number) => {
      raf = requestAnimationFrame(draw);
      if (t - last < FRAME_MS) return;
      last = t;
      const zoom = map.getZoom();
      const many = lodRef.current && store.count > LOD_MIN_ASSETS;
      const was = mode;
      mode = many && zoom < LOD_AGGREGATE_BELOW_ZOOM ? 'aggregate' : 'detail';
      const live: Layer[] = [];
      if (mode === 'aggregate') {
        // Cells change once a tick (or per whole zoom level); only alerting assets glide on their own,
        // so with none of those nothing needs drawing between ticks.
        const stale = cells.version !== store.version || cells.zoom !== Math.floor(zoom);
        if (stale) aggregate(store, zoom, cells, alerting);
        else if (was === 'aggregate' && drawnStatics === statics && alerting.length === 0 && !drawnHighlight && !highlightRef.current) return;
        packMarkers(store, t, tickRef.current, vehicles, vessels, alerting);
        live.push(...cellLayers(cells, FONT));
      } else {
        packMarkers(store, t, tickRef.current, vehicles, vessels);
        const b = map.getBounds();
        const viewKey = many ? `${b.getWest().toFixed(1)},${b.getSouth().toFixed(1)},${b.getEast().toFixed(1)},${b.getNorth().toFixed(1)}` : '';
        if (trailsVersion !== store.version || trailsView !== viewKey) {
          trails = many ? trailsInView(store, [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], LOD_MAX_TRAILS) : [...store.trails.values()];
          trailsVersion = store.version;
          trailsView = viewKey;
        }
        live.push(trailLayer(trails, trailsVersion, (Date.now() - store.timeBase) / 1000, trailSeconds));
      }
      live.push(...markerLayers(vehicles, vessels, atlas));
      const hl = highlightRef.current;
      if (hl) {
        const slot = store.slotFor(hl.h.assetId);
        let at: [number, number] | null = null;
        if (slot !== undefined) {
          store.positionAt(slot, t, ringPos, 0, tickRef.current);
          at = [ringPos[0]!, ringPos[1]!];
        }
        live.push(...highlightLayers(hl.corridor, at, t));
      }
      overlay.setProps({ layers: [...statics, ...live] });
      drawnStatics = statics;
      drawnHighlight = hl !== null;
      frames++;
    };
    const ringPos = new Float64Array(2);
    raf = requestAnimationFrame(draw);

    // For end-to-end tests and people debugging in the console.
    (window as unknown as Record<string, unknown>).__tw = {
      map,
      overlay,
      store,
      vehicles,
      vessels,
      get frames() {
        return frames;
      },
      get worldLoaded() {
        return worldRef.current !== null;
      },
      get lodMode() {
        return mode;
      },
      get trailCount() {
        return mode === 'aggregate' ? 0 : trails.length;
      },
      get highlight() {
        return highlightRef.current?.h ?? null;
      },
    };

    return () => {
      cancelAnimationFrame(raf);
      mapRef.current = null;
      map.remove();
    };
  }, [store, trailSeconds, initialView, scale]);

  // The camera follows `view` when one is given (the wall); a change animates there.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !view) return;
    if (view.kind === 'bounds') {
      const [w, s, e, n] = view.bounds;
      map.fitBounds(
        [
          [w, s],
          [e, n],
        ],
        { padding: 40, duration: FLY_MS, essential: true },
      );
    } else {
      map.flyTo({ center: view.center, zoom: view.zoom, duration: FLY_MS, essential: true });
    }
  }, [view]);

  useEffect(() => {
    if (!highlight) {
      highlightRef.current = null;
      return;
    }
    const corridors = worldRef.current?.corridors.features ?? [];
    highlightRef.current = { h: highlight, corridor: highlight.routeCode ? corridors.filter((f) => f.properties?.code === highlight.routeCode) : [] };
  }, [highlight]);

  return (
    <div className="map-fill">
      <div
        ref={container}
        className="map-canvas"
        data-testid="map"
        style={scale === 1 ? undefined : { width: `${100 / scale}%`, height: `${100 / scale}%`, transform: `scale(${scale})`, transformOrigin: '0 0' }}
      />
      {hovered && <HoverCard store={store} hovered={hovered} />}
    </div>
  );
}
