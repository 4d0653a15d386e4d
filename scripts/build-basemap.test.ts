/**
 * Builds the basemap into a temp dir and reads it back with the `pmtiles` reader.
 *   node --import tsx --test scripts/build-basemap.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Compression, PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';
import { buildBasemap, MAX_ZOOM, riverMinZoom, type BuildResult } from './build-basemap';

// @mapbox/vector-tile 1.x and pbf 3.x are CommonJS without bundled types.
const require = createRequire(import.meta.url);
const { VectorTile } = require('@mapbox/vector-tile') as { VectorTile: new (pbf: unknown) => DecodedTile };
const Pbf = require('pbf') as new (buf: Uint8Array) => unknown;

interface DecodedFeature {
  type: number;
  properties: Record<string, string | number | boolean>;
  loadGeometry(): { x: number; y: number }[][];
}
interface DecodedLayer {
  length: number;
  extent: number;
  feature(i: number): DecodedFeature;
}
interface DecodedTile {
  layers: Record<string, DecodedLayer>;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A pmtiles Source over an in-memory buffer (no HTTP range requests needed). */
class BufferSource implements Source {
  constructor(
    private readonly buf: Buffer,
    private readonly key: string,
  ) {}
  getKey(): string {
    return this.key;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const slice = this.buf.subarray(offset, offset + length);
    // A standalone ArrayBuffer holding exactly the requested bytes.
    return { data: slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength) as ArrayBuffer };
  }
}

async function nodeDecompress(buf: ArrayBuffer, compression: Compression): Promise<ArrayBuffer> {
  if (compression === Compression.None || compression === Compression.Unknown) return buf;
  if (compression !== Compression.Gzip) throw new Error(`unsupported compression ${compression}`);
  const out = gunzipSync(new Uint8Array(buf));
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
}

function tileXY(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

/** Pixel position of lon/lat inside tile z/x/y, in tile extent units. */
function inTile(lon: number, lat: number, z: number, x: number, y: number, extent: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  const wx = ((lon + 180) / 360) * n;
  const wy = ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n;
  return [(wx - x) * extent, (wy - y) * extent];
}

function pointInRing(px: number, py: number, ring: { x: number; y: number }[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.y > py !== b.y > py && px < ((b.x - a.x) * (py - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Even-odd test over all rings of all polygons in a layer (rings are closed by MVT decoding). */
function layerCovers(layer: DecodedLayer | undefined, px: number, py: number): boolean {
  if (!layer) return false;
  let inside = false;
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i);
    if (f.type !== 3) continue;
    for (const ring of f.loadGeometry()) if (pointInRing(px, py, ring)) inside = !inside;
  }
  return inside;
}

describe('build-basemap', () => {
  let dir: string;
  let result: BuildResult;
  let archive: Buffer;
  let pm: PMTiles;

  const getTile = async (z: number, x: number, y: number): Promise<DecodedTile | undefined> => {
    const res = await pm.getZxy(z, x, y);
    if (!res) return undefined;
    // getZxy returns the tile already decompressed (with the `decompress` given to PMTiles).
    return new VectorTile(new Pbf(new Uint8Array(res.data)));
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'basemap-test-'));
    result = buildBasemap({ root, outFile: join(dir, 'basemap.pmtiles'), workerOut: join(dir, 'maplibre-gl-worker.mjs') });
    archive = readFileSync(result.outFile);
    pm = new PMTiles(new BufferSource(archive, 'test'), undefined, nodeDecompress);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes a PMTiles v3 header the reader accepts', async () => {
    const h = await pm.getHeader();
    assert.equal(archive.subarray(0, 7).toString('ascii'), 'PMTiles');
    assert.equal(h.specVersion, 3);
    assert.equal(h.tileType, TileType.Mvt);
    assert.equal(h.tileCompression, Compression.Gzip);
    assert.equal(h.internalCompression, Compression.Gzip);
    assert.equal(h.minZoom, 0);
    assert.equal(h.maxZoom, MAX_ZOOM);
    assert.ok(h.minLon <= 95 && h.maxLon >= 145 && h.minLat <= 0 && h.maxLat >= 50);
    assert.ok(h.rootDirectoryOffset + h.rootDirectoryLength <= 16384, 'root directory within the first 16 KiB');
    assert.ok(h.numTileContents < h.numAddressedTiles, 'identical tiles are stored once');
    assert.ok(h.numTileEntries < h.numAddressedTiles, 'runs of identical tiles share an entry');
    assert.ok(archive.length < 10 * 1024 * 1024, `archive ${archive.length} bytes, want < 10 MB`);
    const meta = (await pm.getMetadata()) as { attribution: string; vector_layers: { id: string }[] };
    assert.match(meta.attribution, /OpenStreetMap/);
    assert.deepEqual(
      meta.vector_layers.map((l) => l.id),
      ['land', 'rivers', 'coast', 'admin0', 'admin1', 'places', 'ports'],
    );
  });

  it('has a z8 tile over Shanghai with land, coast, provinces and Chinese place names', async () => {
    const [x, y] = tileXY(121.47, 31.23, 8);
    const tile = await getTile(8, x, y);
    assert.ok(tile, `tile 8/${x}/${y} exists`);
    for (const name of ['land', 'coast', 'admin1', 'places']) assert.ok((tile.layers[name]?.length ?? 0) > 0, `layer ${name}`);
    const places = tile.layers.places!;
    const names = Array.from({ length: places.length }, (_, i) => places.feature(i).properties);
    const shanghai = names.find((p) => p.name === 'Shanghai');
    assert.ok(shanghai, 'Shanghai is labelled');
    assert.equal(shanghai.name_zh, '上海');
    assert.equal(typeof shanghai.scalerank, 'number');
    assert.equal(typeof shanghai.pop_max, 'number');
    const ports = tile.layers.ports;
    assert.ok(ports && ports.length > 0, 'ports layer');
    const portNames = Array.from({ length: ports.length }, (_, i) => ports.feature(i).properties);
    assert.ok(portNames.some((p) => p.name === 'Shanghai' && p.name_zh === '上海'));
    // People's Square is on land, the East China Sea off Nanhui is not.
    const land = tile.layers.land!;
    const extent = land.extent;
    assert.ok(layerCovers(land, ...inTile(121.475, 31.232, 8, x, y, extent)), 'downtown Shanghai is land');
    assert.ok(!layerCovers(land, ...inTile(122.3, 30.9, 8, x, y, extent)), 'East China Sea is sea');
  });

  it('has the Yangshan and Zhoushan islands at z10', async () => {
    // Xiaoyangshan port area and Zhoushan Island (Dinghai), both only in the 1m coast data.
    for (const [lon, lat, what] of [
      [122.08, 30.625, 'Yangshan'],
      [122.1, 30.05, 'Zhoushan'],
    ] as const) {
      const [x, y] = tileXY(lon, lat, 10);
      const tile = await getTile(10, x, y);
      const land = tile?.layers.land;
      assert.ok(land, `${what}: land at 10/${x}/${y}`);
      assert.ok((tile.layers.coast?.length ?? 0) > 0, `${what}: coast lines`);
      assert.ok(layerCovers(land, ...inTile(lon, lat, 10, x, y, land.extent)), `${what} is land`);
    }
  });

  it('draws rivers by kind from their own zoom: the Yangtze from z4, minor rivers and canals from z8', async () => {
    const kindsAt = async (lon: number, lat: number, z: number) => {
      const [x, y] = tileXY(lon, lat, z);
      const rivers = (await getTile(z, x, y))?.layers.rivers;
      return new Set(Array.from({ length: rivers?.length ?? 0 }, (_, i) => rivers!.feature(i).properties.kind));
    };
    // The Yangtze at Nanjing (GSHHG's lower Yangtze ends upstream of its estuary, which is sea in the OSM coast).
    for (let z = 3; z <= MAX_ZOOM; z++) {
      const kinds = await kindsAt(118.75, 32.08, z);
      assert.equal(kinds.has('major'), z >= riverMinZoom('major'), `z${z}: major rivers`);
      for (const kind of kinds) assert.ok(riverMinZoom(kind as string) <= z, `z${z}: no ${kind} before z${riverMinZoom(kind as string)}`);
    }
    const z8 = await kindsAt(120.6, 31.3, 8); // Suzhou: the Grand Canal and the Taihu plain's rivers
    assert.ok(z8.has('canal') || z8.has('minor'), `z8 Suzhou has minor rivers or canals: ${[...z8].join(', ')}`);
  });

  it('thins places by zoom and covers open sea with (shared) empty tiles', async () => {
    const [x4, y4] = tileXY(121.47, 31.23, 4);
    const t4 = await getTile(4, x4, y4);
    const places4 = t4?.layers.places;
    assert.ok(places4, 'places at z4');
    const ranks = Array.from({ length: places4.length }, (_, i) => places4.feature(i).properties.scalerank as number);
    assert.ok(Math.max(...ranks) <= 4, 'z4 keeps scalerank <= 4 only');

    const [sx, sy] = tileXY(135, 20, 10); // Philippine Sea, inside the detail box
    const sea = await pm.getZxy(10, sx, sy);
    assert.ok(sea, 'sea tile present');
    assert.equal(Object.keys(new VectorTile(new Pbf(new Uint8Array(sea.data))).layers).length, 0);

    const [ox, oy] = tileXY(-40, 30, 8); // Atlantic at z8: outside the detail box, not tiled
    assert.equal(await pm.getZxy(8, ox, oy), undefined);
    const [wx, wy] = tileXY(-3.7, 40.4, 5); // Madrid at z5: the whole world is tiled to z5
    assert.ok((await getTile(5, wx, wy))?.layers.land);
  });

  it('copies the MapLibre worker', () => {
    const worker = join(dir, 'maplibre-gl-worker.mjs');
    assert.ok(existsSync(worker));
    assert.deepEqual(readFileSync(worker), readFileSync(join(root, 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs')));
  });

  it('is deterministic', () => {
    const again = buildBasemap({ root, outFile: join(dir, 'again.pmtiles'), workerOut: null });
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(sha(readFileSync(again.outFile)), sha(archive));
  });
});
