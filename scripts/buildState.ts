// Whether the production build (Next bundle, basemap, maplibre worker) is missing or older
// than the sources it is made from.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['app', 'components', 'lib', 'next.config.ts', 'package.json', 'scripts/build-basemap.ts', 'geo'];
const OUTPUTS = ['.next/BUILD_ID', 'public/basemap.pmtiles', 'public/maplibre-gl-worker.mjs'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function buildIsStale(): boolean {
  if (OUTPUTS.some((p) => !existsSync(p))) return true;
  const built = Math.min(...OUTPUTS.map((p) => statSync(p).mtimeMs));
  return Math.max(...SOURCES.map(newestMtime)) > built;
}
