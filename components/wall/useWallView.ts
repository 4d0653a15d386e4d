'use client';
// Where the wall's camera rests: on the alert in focus; else, in tour mode, on each district in
// turn; else on the overview (every visible site and corridor).
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Position } from 'geojson';
import type { ViewTarget } from '../map/LiveMap';
import type { WorldLayersData } from '../map/layers';
import type { DistrictKpi } from './useKpis';
import type { Focus } from './useFlyToQueue';

const FOCUS_ZOOM = 11;
type Bbox = [number, number, number, number];

function bboxOf(world: WorldLayersData): Bbox | null {
  const b: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (typeof (c as Position)[0] === 'number') {
      const [x, y] = c as Position;
      b[0] = Math.min(b[0], x!);
      b[1] = Math.min(b[1], y!);
      b[2] = Math.max(b[2], x!);
      b[3] = Math.max(b[3], y!);
    } else (c as unknown[]).forEach(visit);
  };
  for (const f of [...world.sites.features, ...world.corridors.features]) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return b[0] <= b[2] ? b : null;
}

export function useWallView(focus: Focus | null, districts: DistrictKpi[], tourSeconds: number) {
  const [home, setHome] = useState<Bbox | null>(null);
  const [stop, setStop] = useState(-1); // tour position; -1 = overview
  const onWorld = useCallback((w: WorldLayersData) => setHome(bboxOf(w)), []);

  useEffect(() => {
    if (!tourSeconds || districts.length < 2) return;
    // The tour visits each district, then the overview, and again.
    const t = setInterval(() => setStop((s) => (s + 1 >= districts.length ? -1 : s + 1)), tourSeconds * 1000);
    return () => clearInterval(t);
  }, [tourSeconds, districts.length]);

  const tourDistrict = stop >= 0 ? (districts[stop] ?? null) : null;
  const lon = focus?.alert.lon;
  const lat = focus?.alert.lat;
  // Keyed by value: the figures refresh every few seconds and must not restart the camera.
  const rest = tourDistrict?.bbox ?? home;
  const restKey = rest?.join(',') ?? '';
  const view = useMemo<ViewTarget | null>(() => {
    if (lon != null && lat != null) return { kind: 'point', center: [lon, lat], zoom: FOCUS_ZOOM };
    return rest ? { kind: 'bounds', bounds: rest } : null;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lon, lat, restKey]);

  return { view, onWorld, tourDistrict };
}
