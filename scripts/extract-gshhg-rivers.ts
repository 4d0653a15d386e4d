/**
 * geo/rivers-east-asia.geojson from GSHHG's WDBII rivers and canals (Debian `gmt-gshhg-full`,
 * 2.3.7, LGPL-3+), dumped by GMT (Debian `gmt`, 6.4):
 *
 *   apt-get install --no-install-recommends gmt gmt-gshhg-full
 *   npx tsx scripts/extract-gshhg-rivers.ts                       # runs `gmt coast ... -M` itself
 *   npx tsx scripts/extract-gshhg-rivers.ts rivers.txt banks.txt   # or reads dumps made earlier
 *     (rivers.txt: gmt coast -R95/145/0/50 -Df -I0 -I1 -I2 -I3 -I4 -I8 -I9 -M;
 *      banks.txt:  gmt coast -R119.3/121.05/31.6/32.35 -Df -W1/1p -W2/1p -M, see YANGTZE_BOX)
 *
 * GMT's river classes (`gmt coast -I<class>`): 0 double-lined rivers (river-lakes), 1 permanent
 * major rivers, 2 additional major rivers, 3 additional rivers, 4 minor rivers, 5-7 intermittent
 * rivers, 8 major canals, 9 minor canals, 10 irrigation canals. KEPT_CLASSES are the ones kept
 * (intermittent rivers and irrigation canals are left out; East China has none of the former).
 *
 * Processing: full resolution, cut to the basemap's detail box by GMT (-R), segments joined where
 * one ends exactly where the next one of the same class starts (GMT cuts lines at its bin edges),
 * Douglas-Peucker at SIMPLIFY_DEG (about 70 m, half a pixel at z10), rounded to 4 decimals
 * (11 m; WDBII is a 1:3M-class source, and 5 decimals would put the file over 3 MB).
 * Output: one LineString per line, properties { class, kind }, sorted by class then west, south.
 * The build reads only this file, so it stays offline.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DETAIL_BBOX } from './build-basemap';

type Pos = [number, number];

export const KEPT_CLASSES = [0, 1, 2, 3, 4, 8, 9] as const;
export const SIMPLIFY_DEG = 0.0007;

export type RiverKind = 'major' | 'river' | 'minor' | 'canal';
/** The basemap's four kinds: 0-1 major, 2-3 river, 4 minor, 8-9 canal. */
export function riverKind(cls: number): RiverKind {
  if (cls <= 1) return 'major';
  if (cls <= 3) return 'river';
  if (cls >= 8) return 'canal';
  return 'minor';
}

/** Segments of a `gmt coast -M` dump: a `> River Bin # n, Level c` header line, then "lon lat" lines. */
export function parseGmtRivers(text: string): { cls: number; line: Pos[] }[] {
  const out: { cls: number; line: Pos[] }[] = [];
  let cur: { cls: number; line: Pos[] } | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('>')) {
      const m = /Level\s+(\d+)/.exec(line);
      if (!m) throw new Error(`no river level in segment header: ${line}`);
      cur = { cls: Number(m[1]), line: [] };
      out.push(cur);
      continue;
    }
    if (!cur) throw new Error('coordinates before the first segment header');
    const [x, y] = line.split(/\s+/).map(Number);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`bad coordinate line: ${line}`);
    cur.line.push([x!, y!]);
  }
  return out.filter((s) => s.line.length >= 2);
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
const key = ([x, y]: Pos) => `${round4(x)},${round4(y)}`;

/** Join segments of one class end to start where the points match (to 4 decimals). */
export function joinSegments(lines: Pos[][]): Pos[][] {
  const byStart = new Map<string, number[]>();
  lines.forEach((l, i) => {
    const k = key(l[0]!);
    let list = byStart.get(k);
    if (!list) byStart.set(k, (list = []));
    list.push(i);
  });
  const hasPredecessor = new Set<number>();
  const next = new Map<number, number>();
  lines.forEach((l, i) => {
    const cands = (byStart.get(key(l[l.length - 1]!)) ?? []).filter((j) => j !== i && !hasPredecessor.has(j));
    if (cands.length === 1) {
      next.set(i, cands[0]!);
      hasPredecessor.add(cands[0]!);
    }
  });
  const used = new Set<number>();
  const out: Pos[][] = [];
  const walk = (start: number) => {
    const joined: Pos[] = [];
    for (let i: number | undefined = start; i !== undefined && !used.has(i); i = next.get(i)) {
      used.add(i);
      joined.push(...(joined.length ? lines[i]!.slice(1) : lines[i]!));
    }
    out.push(joined);
  };
  lines.forEach((_, i) => {
    if (!hasPredecessor.has(i)) walk(i);
  });
  lines.forEach((_, i) => {
    if (!used.has(i)) walk(i); // loops
  });
  return out;
}

/** Douglas-Peucker in plain lon/lat (iterative). */
export function simplify(line: Pos[], tol: number): Pos[] {
  if (line.length <= 2) return line;
  const keep = new Uint8Array(line.length);
  keep[0] = keep[line.length - 1] = 1;
  const stack: [number, number][] = [[0, line.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = line[a]!;
    const [bx, by] = line[b]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let best = -1;
    let bestD = tol * tol;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = line[i]!;
      let t = len2 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
      t = Math.max(0, Math.min(1, t));
      const ex = ax + t * dx - px;
      const ey = ay + t * dy - py;
      const d = ex * ex + ey * ey;
      if (d > bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best >= 0) {
      keep[best] = 1;
      stack.push([a, best], [best, b]);
    }
  }
  return line.filter((_, i) => keep[i]);
}

/**
 * Between Zhenjiang and the estuary the Yangtze is neither a WDBII river (those end at 119.6°E) nor sea in
 * the basemap's OSM coast (which starts at 121.05°E): GSHHG draws it as shoreline (ocean and river-lake
 * banks). Those banks, inside this box [west, south, east, north], are added as class 0 (double-lined).
 */
export const YANGTZE_BOX = [119.3, 31.6, 121.05, 32.35] as const;

const EPS = 1e-6;
function onSameBoxEdge(a: Pos, b: Pos): boolean {
  const [w, s, e, n] = YANGTZE_BOX;
  return [w, e].some((v) => Math.abs(a[0] - v) < EPS && Math.abs(b[0] - v) < EPS) || [s, n].some((v) => Math.abs(a[1] - v) < EPS && Math.abs(b[1] - v) < EPS);
}

/** Shore lines of a `gmt coast -W1 -W2 -M` dump over YANGTZE_BOX, less the stretches GMT drew along the box. */
export function bankLines(dump: string): Pos[][] {
  const out: Pos[][] = [];
  for (const { line } of parseGmtRivers(dump)) {
    let cur: Pos[] = [line[0]!];
    for (let i = 1; i < line.length; i++) {
      if (onSameBoxEdge(line[i - 1]!, line[i]!)) {
        if (cur.length >= 2) out.push(cur);
        cur = [line[i]!];
      } else cur.push(line[i]!);
    }
    if (cur.length >= 2) out.push(cur);
  }
  return out;
}

export function extractRivers(dump: string, banksDump = ''): GeoJSON.Feature<GeoJSON.LineString, { class: number; kind: RiverKind }>[] {
  const byClass = new Map<number, Pos[][]>([[0, bankLines(banksDump)]]);
  for (const { cls, line } of parseGmtRivers(dump)) {
    if (!(KEPT_CLASSES as readonly number[]).includes(cls)) continue;
    let list = byClass.get(cls);
    if (!list) byClass.set(cls, (list = []));
    list.push(line);
  }
  const out: { cls: number; line: Pos[] }[] = [];
  for (const [cls, lines] of byClass) {
    for (const joined of joinSegments(lines)) {
      const line = simplify(joined, SIMPLIFY_DEG)
        .map(([x, y]): Pos => [round4(x), round4(y)])
        .filter((p, i, a) => i === 0 || p[0] !== a[i - 1]![0] || p[1] !== a[i - 1]![1]);
      if (line.length >= 2) out.push({ cls, line });
    }
  }
  out.sort((a, b) => a.cls - b.cls || a.line[0]![0] - b.line[0]![0] || a.line[0]![1] - b.line[0]![1]);
  return out.map(({ cls, line }) => ({
    type: 'Feature',
    properties: { class: cls, kind: riverKind(cls) },
    geometry: { type: 'LineString', coordinates: line },
  }));
}

/** One feature per line, as the other files in geo/. */
export function featureCollectionText(features: GeoJSON.Feature[]): string {
  return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

/** `gmt coast ... -M` over [w, s, e, n], in a temp dir (GMT leaves a gmt.history file where it runs). */
function gmtCoast([w, s, e, n]: readonly [number, number, number, number], what: string[]): string {
  return execFileSync('gmt', ['coast', `-R${w}/${e}/${s}/${n}`, '-Df', ...what, '-M'], { encoding: 'utf8', maxBuffer: 1 << 28, cwd: tmpdir() });
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const [riversFile, banksFile] = process.argv.slice(2);
  const dump = riversFile
    ? readFileSync(riversFile, 'utf8')
    : gmtCoast(
        DETAIL_BBOX,
        KEPT_CLASSES.map((c) => `-I${c}`),
      );
  const banks = banksFile ? readFileSync(banksFile, 'utf8') : gmtCoast(YANGTZE_BOX, ['-W1/1p', '-W2/1p']);
  const features = extractRivers(dump, banks);
  const text = featureCollectionText(features);
  const outFile = join(root, 'geo', 'rivers-east-asia.geojson');
  writeFileSync(outFile, text);
  const points = features.reduce((a, f) => a + f.geometry.coordinates.length, 0);
  console.log(`wrote ${outFile}: ${features.length} lines, ${points} points, ${text.length} bytes`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
