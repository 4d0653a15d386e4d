/**
 * Dark offline basemap style for the PMTiles archive written by scripts/build-basemap.ts.
 *
 * - No `glyphs`: MapLibre (>= 5.11) then draws every label with the local system font named in
 *   `text-font` (Debian `fonts-noto-cjk` provides "Noto Sans CJK SC"; the rest of the stack is the
 *   UI.md font list for Windows / macOS clients). No sprite either: a port is a ◎ glyph above its name.
 * - Source url `pmtiles://<url>`: call `registerPmtilesProtocol(maplibregl)` once before creating
 *   the map (and `maplibregl.setWorkerUrl('/maplibre-gl-worker.mjs')`).
 */
import type { AddProtocolAction, ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';

export type BasemapLang = 'zh' | 'en';

/** Palette from /work/shared/UI.md. */
export const BASEMAP_COLORS = {
  sea: '#0b1320',
  land: '#1a2433',
  province: '#2e3b4e',
  coast: '#3b4a60',
  border: '#4a5b75',
  label: '#8fa3bf',
  labelSecondary: '#6b7f9c',
  halo: '#0b1320',
  port: '#5f7594',
  /** Rivers: the sea's dark blue, a touch bluer; darker than land, so they read as water on it. */
  river: '#0a1628',
} as const;

/** UI.md type stack; MapLibre hands it to the canvas as a CSS font-family list. */
export const BASEMAP_FONT = ['Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', 'WenQuanYi Micro Hei'];

export const BASEMAP_SOURCE_ID = 'basemap';
export const BASEMAP_ATTRIBUTION = '© OpenStreetMap contributors, Natural Earth, GSHHG';

/**
 * Style layer ids of roads, for snapping (`map.queryRenderedFeatures({ layers: [...ROAD_LAYER_IDS] })`).
 * Empty: the basemap has no roads yet, since no open road data for China could be had from npm or
 * Debian (geo/SOURCES.md). A query with an empty list returns no features, so snapping is a no-op.
 */
export const ROAD_LAYER_IDS: readonly string[] = [];

/** Id of the first label layer: add data layers `beforeId` this to keep labels on top. */
export const BASEMAP_FIRST_LABEL_LAYER = 'ports-label';

/** Two-line label: the chosen language large, the other one smaller and dimmer beneath. */
function labelText(lang: BasemapLang): ExpressionSpecification {
  const [first, second] = lang === 'zh' ? (['name_zh', 'name'] as const) : (['name', 'name_zh'] as const);
  const secondary = { 'font-scale': 0.78, 'text-color': BASEMAP_COLORS.labelSecondary };
  return [
    'case',
    ['all', ['has', 'name_zh'], ['!=', ['get', 'name_zh'], ['get', 'name']]],
    ['format', ['get', first], {}, '\n', {}, ['get', second], secondary],
    ['format', ['get', 'name'], {}],
  ];
}

/** Port marker glyph (in Noto Sans CJK / Microsoft YaHei) above the two-line name. */
export const PORT_MARKER = '\u25CE'; // ◎

function portText(lang: BasemapLang): ExpressionSpecification {
  const [first, second] = lang === 'zh' ? (['name_zh', 'name'] as const) : (['name', 'name_zh'] as const);
  const marker = { 'font-scale': 1.1, 'text-color': BASEMAP_COLORS.port };
  const secondary = { 'font-scale': 0.8, 'text-color': BASEMAP_COLORS.labelSecondary };
  return [
    'case',
    ['all', ['has', 'name_zh'], ['!=', ['get', 'name_zh'], ['get', 'name']]],
    ['format', PORT_MARKER, marker, '\n', {}, ['get', first], {}, '\n', {}, ['get', second], secondary],
    ['format', PORT_MARKER, marker, '\n', {}, ['get', 'name'], {}],
  ];
}

/**
 * MapLibre style for the offline basemap.
 * @param pmtilesUrl URL of the archive as the browser fetches it, e.g. '/basemap.pmtiles'
 *   (a relative URL is resolved against the page, since pmtiles fetches it itself).
 * @param lang 'zh': Chinese name first with English beneath; 'en': the reverse.
 */
export function basemapStyle(pmtilesUrl: string, lang: BasemapLang = 'zh'): StyleSpecification {
  const text = labelText(lang);
  return {
    version: 8,
    name: 'TransitWatch dark',
    sources: {
      [BASEMAP_SOURCE_ID]: {
        type: 'vector',
        url: `pmtiles://${pmtilesUrl}`,
        attribution: BASEMAP_ATTRIBUTION,
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BASEMAP_COLORS.sea } },
      {
        id: 'land',
        type: 'fill',
        source: BASEMAP_SOURCE_ID,
        'source-layer': 'land',
        paint: { 'fill-color': BASEMAP_COLORS.land, 'fill-antialias': false },
      },
      {
        // GSHHG/WDBII rivers and canals; the tiles hold each kind from its own zoom on (major z4,
        // river z6, minor and canal z8), so the style only sets widths.
        id: 'rivers',
        type: 'line',
        source: BASEMAP_SOURCE_ID,
        'source-layer': 'rivers',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': BASEMAP_COLORS.river,
          'line-width': [
            'interpolate',
            ['linear'],
            ['zoom'],
            4,
            ['match', ['get', 'kind'], 'major', 0.7, 0.4],
            7,
            ['match', ['get', 'kind'], 'major', 1.3, 'river', 0.9, 0.6],
            10,
            ['match', ['get', 'kind'], 'major', 2.6, 'river', 1.6, 1],
          ],
        },
      },
      {
        id: 'admin1',
        type: 'line',
        source: BASEMAP_SOURCE_ID,
        'source-layer': 'admin1',
        minzoom: 3,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': BASEMAP_COLORS.province,
          'line-width': ['interpolate', ['linear'], ['zoom'], 3, 0.5, 6, 1, 10, 1.6],
          'line-dasharray': [3, 2],
        },
      },
      {
        id: 'admin0',
        type: 'line',
        source: BASEMAP_SOURCE_ID,
        'source-layer': 'admin0',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': BASEMAP_COLORS.border,
          'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.5, 5, 1, 10, 1.8],
        },
      },
      {
        id: 'coast',
        type: 'line',
        source: BASEMAP_SOURCE_ID,
        'source-layer': 'coast',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': BASEMAP_COLORS.coast,
          'line-width': ['interpolate', ['linear'], ['zoom'], 0, 0.4, 5, 0.7, 9, 1.1, 12, 1.6],
        },
      },
      {
        // Below the place labels, so a city label wins a collision with a port. The marker is a
        // glyph (no sprite in this style), so it takes part in collisions with its label.
        id: 'ports-label',
        type: 'symbol',
        source: BASEMAP_SOURCE_ID,
        'source-layer': 'ports',
        minzoom: 4,
        layout: {
          'text-field': portText(lang),
          'text-font': BASEMAP_FONT,
          'text-size': ['interpolate', ['linear'], ['zoom'], 4, 10, 7, 12, 10, 14],
          'text-anchor': 'top',
          'text-offset': [0, -0.62],
          'text-line-height': 1.15,
          'text-max-width': 10,
          'text-padding': 3,
          'symbol-sort-key': ['get', 'scalerank'],
        },
        paint: {
          'text-color': BASEMAP_COLORS.port,
          'text-halo-color': BASEMAP_COLORS.halo,
          'text-halo-width': 1.2,
        },
      },
      {
        id: 'places-label',
        type: 'symbol',
        source: BASEMAP_SOURCE_ID,
        'source-layer': 'places',
        layout: {
          'text-field': text,
          'text-font': BASEMAP_FONT,
          'text-size': [
            'interpolate',
            ['linear'],
            ['zoom'],
            3,
            ['step', ['get', 'scalerank'], 13, 2, 12, 5, 11],
            7,
            ['step', ['get', 'scalerank'], 17, 2, 15, 5, 13],
            10,
            ['step', ['get', 'scalerank'], 19, 2, 17, 5, 15],
          ],
          'text-line-height': 1.15,
          'text-max-width': 12,
          'text-padding': 4,
          'symbol-sort-key': ['+', ['*', ['get', 'scalerank'], 1e9], ['-', 1e9, ['min', ['get', 'pop_max'], 1e9 - 1]]],
        },
        paint: {
          'text-color': BASEMAP_COLORS.label,
          'text-halo-color': BASEMAP_COLORS.halo,
          'text-halo-width': 1.4,
          'text-halo-blur': 0.5,
        },
      },
    ],
  };
}

/** The part of the maplibre-gl module this needs (pass `maplibregl` from `import * as maplibregl`). */
export interface MaplibreProtocolHost {
  addProtocol(customProtocol: string, loadFn: AddProtocolAction): void;
}

const registered = new WeakMap<object, Protocol>();

/**
 * Register the `pmtiles://` protocol with MapLibre, once per maplibre module (later calls return
 * the same Protocol). Call before creating a map with `basemapStyle(...)`.
 */
export function registerPmtilesProtocol(maplibregl: MaplibreProtocolHost): Protocol {
  let protocol = registered.get(maplibregl);
  if (!protocol) {
    protocol = new Protocol();
    maplibregl.addProtocol('pmtiles', protocol.tile);
    registered.set(maplibregl, protocol);
  }
  return protocol;
}
