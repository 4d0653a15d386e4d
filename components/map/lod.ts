// Level of detail for large fleets (the wall runs with tens of thousands of assets): zoomed out,
// assets aggregate into cells on a Web Mercator grid (stable while panning, rebuilt once per tick
// or per whole zoom level) and only assets in an alert state keep their own marker; zoomed in,
// trails are kept to those in view, alerting assets first, up to a cap.
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { ASSET_STATUSES } from '../../lib/domain';
import { statusColor } from '../../lib/palette';
import type { LiveStore, Trail } from './liveStore';

/** Below this many assets nothing is aggregated or thinned. */
export const LOD_MIN_ASSETS = 3000;
/** Aggregate below this zoom. */
export const LOD_AGGREGATE_BELOW_ZOOM = 9;
/** At most this many trails drawn. */
export const LOD_MAX_TRAILS = 1500;
const CELL_PX = 56;

// Status codes (lib/domain ASSET_STATUSES order): normal, stopped, warning, critical, stale.
const RANK = [0, 2, 2, 3, 1];
export const isAlerting = (status: number) => RANK[status]! >= 2;

export class Cells {
  n = 0;
  positions = new Float64Array(0);
  radii = new Float32Array(0);
  colors = new Uint8Array(0);
  /** Cells holding more than one asset, labelled with their count. */
  labels: { text: string; i: number }[] = [];
  version = -1;
  zoom = -1;
}

const mercY = (lat: number) => (1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2;

/** Bins every asset's latest fix into grid cells sized for whole zoom level `zoom`; returns the alerting slots. */
export function aggregate(store: LiveStore, zoom: number, cells: Cells, alerting: number[]): void {
  const cell = CELL_PX / (512 * 2 ** Math.floor(zoom));
  const bins = new Map<number, number>(); // key → cell index
  const sumLon: number[] = [];
  const sumLat: number[] = [];
  const count: number[] = [];
  const worst: number[] = [];
  const vessels: number[] = [];
  alerting.length = 0;
  for (let s = 0; s < store.count; s++) {
    const [lon, lat] = store.latest(s);
    const status = store.status[s]!;
    if (isAlerting(status)) alerting.push(s);
    const key = Math.floor((lon + 180) / 360 / cell) * 1_000_003 + Math.floor(mercY(lat) / cell);
    let i = bins.get(key);
    if (i === undefined) {
      i = count.length;
      bins.set(key, i);
      sumLon.push(0);
      sumLat.push(0);
      count.push(0);
      worst.push(0);
      vessels.push(0);
    }
    sumLon[i]! += lon;
    sumLat[i]! += lat;
    count[i]!++;
    if (RANK[status]! > RANK[worst[i]!]!) worst[i] = status;
    if (store.kind[s] === 1) vessels[i]!++;
  }
  const n = count.length;
  if (cells.positions.length < n * 2) {
    const cap = Math.max(n, 64) * 2;
    cells.positions = new Float64Array(cap * 2);
    cells.radii = new Float32Array(cap);
    cells.colors = new Uint8Array(cap * 4);
  }
  cells.n = n;
  cells.labels = [];
  for (let i = 0; i < n; i++) if (count[i]! > 1) cells.labels.push({ text: String(count[i]), i });
  for (let i = 0; i < n; i++) {
    cells.positions[2 * i] = sumLon[i]! / count[i]!;
    cells.positions[2 * i + 1] = sumLat[i]! / count[i]!;
    cells.radii[i] = Math.min(26, 5 + Math.sqrt(count[i]!) * 1.6);
    const c = statusColor(ASSET_STATUSES[worst[i]!]!, vessels[i]! * 2 > count[i]!);
    cells.colors.set([c[0], c[1], c[2], 170], i * 4);
  }
  cells.version = store.version;
  cells.zoom = Math.floor(zoom);
}

export function cellLayers(cells: Cells, font: string): Layer[] {
  const data = { length: cells.n };
  return [
    new ScatterplotLayer({
      id: 'lod-cells',
      data: {
        ...data,
        attributes: {
          getPosition: { value: cells.positions, size: 2 },
          getRadius: { value: cells.radii, size: 1 },
          getFillColor: { value: cells.colors, size: 4, normalized: true },
        },
      },
      radiusUnits: 'pixels',
      stroked: true,
      getLineColor: [11, 19, 32, 200],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      updateTriggers: { getPosition: cells.version, getRadius: cells.version, getFillColor: cells.version },
    } as never),
    new TextLayer({
      id: 'lod-counts',
      data: cells.labels,
      getPosition: (d: { i: number }) => [cells.positions[2 * d.i]!, cells.positions[2 * d.i + 1]!],
      getText: (d: { text: string }) => d.text,
      getSize: 13,
      getColor: [230, 237, 246, 255],
      fontFamily: font,
      fontWeight: 600,
      outlineWidth: 2,
      outlineColor: [11, 19, 32, 255],
      fontSettings: { sdf: true },
      updateTriggers: { getPosition: cells.version },
    }),
  ];
}

/** Trails of assets inside [w, s, e, n], alerting ones first, at most `max`. */
export function trailsInView(store: LiveStore, bounds: [number, number, number, number], max: number): Trail[] {
  const [w, s, e, n] = bounds;
  const first: Trail[] = [];
  const rest: Trail[] = [];
  for (let i = 0; i < store.count; i++) {
    const [lon, lat] = store.latest(i);
    if (lon < w || lon > e || lat < s || lat > n) continue;
    const t = store.trails.get(store.ids[i]!);
    if (!t) continue;
    (isAlerting(store.status[i]!) ? first : rest).push(t);
  }
  return first.concat(rest.slice(0, Math.max(0, max - first.length))).slice(0, max);
}
