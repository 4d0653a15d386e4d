// Files a supervisor brings in and takes out: GeoJSON (any of Geometry, Feature, FeatureCollection),
// KML and GPX in (through @tmcw/togeojson), GeoJSON and KML out (through @placemarkio/tokml).
import { gpx, kml } from '@tmcw/togeojson';
import { toKML } from '@placemarkio/tokml';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

/** Every feature of a GeoJSON, KML or GPX file; an unreadable file is an Error saying why. */
export async function readGeoFile(file: File): Promise<Feature[]> {
  const text = await file.text();
  const name = file.name.toLowerCase();
  if (name.endsWith('.kml') || name.endsWith('.gpx') || text.trimStart().startsWith('<')) {
    const doc = new DOMParser().parseFromString(text, 'text/xml');
    if (doc.querySelector('parsererror')) throw new Error(`${file.name}: 不是有效的 XML · not valid XML`);
    const fc = name.endsWith('.gpx') || doc.documentElement.nodeName === 'gpx' ? gpx(doc) : kml(doc);
    return fc.features.filter((f): f is Feature => f.geometry !== null) as Feature[];
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file.name}: 不是有效的 GeoJSON · not valid JSON`);
  }
  const g = json as { type?: string; features?: Feature[]; geometry?: Geometry };
  if (g.type === 'FeatureCollection' && Array.isArray(g.features)) return g.features;
  if (g.type === 'Feature' && g.geometry) return [json as Feature];
  if (typeof g.type === 'string' && 'coordinates' in (json as object)) return [{ type: 'Feature', properties: {}, geometry: json as Geometry }];
  throw new Error(`${file.name}: 没有要素 · no GeoJSON features`);
}

/** The first line of the features (a MultiLineString's longest part). */
export function firstLine(features: Feature[]): { coords: [number, number][]; properties: Record<string, unknown> } | null {
  for (const f of features) {
    const g = f.geometry;
    if (g.type === 'LineString') return { coords: g.coordinates as [number, number][], properties: f.properties ?? {} };
    if (g.type === 'MultiLineString') {
      const longest = [...g.coordinates].sort((a, b) => b.length - a.length)[0]!;
      return { coords: longest as [number, number][], properties: f.properties ?? {} };
    }
  }
  return null;
}

/** The outer ring of the first polygon of the features (without its closing point). */
export function firstPolygon(features: Feature[]): { coords: [number, number][]; properties: Record<string, unknown> } | null {
  for (const f of features) {
    const g = f.geometry;
    const ring = g.type === 'Polygon' ? g.coordinates[0] : g.type === 'MultiPolygon' ? g.coordinates[0]?.[0] : undefined;
    if (ring && ring.length >= 4) return { coords: ring.slice(0, -1) as [number, number][], properties: f.properties ?? {} };
  }
  return null;
}

export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportFeatures(baseName: string, features: Feature[], format: 'geojson' | 'kml'): void {
  const fc: FeatureCollection = { type: 'FeatureCollection', features };
  if (format === 'kml') download(`${baseName}.kml`, toKML(fc), 'application/vnd.google-earth.kml+xml');
  else download(`${baseName}.geojson`, JSON.stringify(fc, null, 2), 'application/geo+json');
}
