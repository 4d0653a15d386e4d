'use client';
// The live map: maplibre-gl draws the offline basemap, deck.gl (as a maplibre overlay) draws
// corridors, sites, trails and the live markers from the LiveStore.
import { useEffect, useRef, useState } from 'react';
import type { PickingInfo } from '@deck.gl/core';
import { createBaseMap, type View } from './baseMap';
import { drawIconAtlas } from './icons';
import { MarkerBuffers, markerLayers, packMarkers, staticLayers, trailLayer, type WorldLayersData } from './layers';
import type { LiveStore, Trail } from './liveStore';
import { HoverCard, type Hovered } from './HoverCard';

const FRAME_MS = 33; // ~30 fps is plenty for markers gliding over a second

export interface LiveMapProps {
  store: LiveStore;
  tickMs: number;
  trailSeconds: number;
  initialView?: View;
}

export default function LiveMap({ store, tickMs, trailSeconds, initialView }: LiveMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const tickRef = useRef(tickMs);
  tickRef.current = tickMs;
  const [hovered, setHovered] = useState<Hovered | null>(null);

  useEffect(() => {
    const { map, overlay } = createBaseMap(container.current!, initialView);

    const atlas = drawIconAtlas();
    const vehicles = new MarkerBuffers();
    const vessels = new MarkerBuffers();
    let world: WorldLayersData | null = null;
    let statics = staticLayers(null);
    let trails: Trail[] = [];
    let trailsVersion = -1;
    let raf = 0;
    let last = 0;
    let frames = 0;

    fetch('/api/world')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`world: HTTP ${r.status}`))))
      .then((w: WorldLayersData) => { world = w; statics = staticLayers(world); })
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
      frames++;
      packMarkers(store, t, tickRef.current, vehicles, vessels);
      if (trailsVersion !== store.version) {
        trails = [...store.trails.values()];
        trailsVersion = store.version;
      }
      const currentTime = (Date.now() - store.timeBase) / 1000;
      overlay.setProps({
        layers: [...statics, trailLayer(trails, trailsVersion, currentTime, trailSeconds), ...markerLayers(vehicles, vessels, atlas)],
      });
    };
    raf = requestAnimationFrame(draw);

    // For end-to-end tests and people debugging in the console.
    (window as unknown as Record<string, unknown>).__tw = {
      map, overlay, store, vehicles, vessels,
      get frames() { return frames; },
      get worldLoaded() { return world !== null; },
    };

    return () => {
      cancelAnimationFrame(raf);
      map.remove();
    };
  }, [store, trailSeconds, initialView]);

  return (
    <div className="map-fill">
      <div ref={container} className="map-canvas" data-testid="map" />
      {hovered && <HoverCard store={store} hovered={hovered} />}
    </div>
  );
}
