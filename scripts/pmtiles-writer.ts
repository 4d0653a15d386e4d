/**
 * Minimal PMTiles v3 writer (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md).
 *
 * The `pmtiles` npm package only reads archives; this writes one in memory:
 *
 *   header (127 B) | root directory | JSON metadata | leaf directories | tile data
 *
 * - Tile ids are Hilbert ids (`zxyToTileId` from `pmtiles`); entries are sorted by id.
 * - Identical tile contents are stored once (deduplicated by SHA-256), and runs of
 *   consecutive tile ids with the same content become one entry with a run length
 *   (e.g. stretches of open sea or of inland tiles).
 * - Directories and metadata are gzip-compressed (internal compression = gzip).
 * - If the root directory does not fit in the first 16 KiB together with the header,
 *   entries are split into leaf directories (as go-pmtiles does).
 * - Output is deterministic: the same tiles and options give the same bytes.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { zxyToTileId } from 'pmtiles';

export const HEADER_SIZE = 127;
/** Clients fetch the first 16 KiB and expect header + root directory inside it. */
export const MAX_ROOT_BYTES = 16384 - HEADER_SIZE;

/** Values of the header's compression fields. */
export const Compression = { Unknown: 0, None: 1, Gzip: 2, Brotli: 3, Zstd: 4 } as const;
/** Values of the header's tile type field. */
export const TileType = { Unknown: 0, Mvt: 1, Png: 2, Jpeg: 3, Webp: 4, Avif: 5, Mlt: 6 } as const;

export interface TileInput {
  z: number;
  x: number;
  y: number;
  /** Tile bytes exactly as they should be stored (already compressed as `tileCompression` says). */
  data: Uint8Array;
}

export interface PmtilesOptions {
  tileType: number;
  /** Compression of the tile bytes passed in (they are stored as given). */
  tileCompression: number;
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north] in degrees. */
  bounds: [number, number, number, number];
  /** [lon, lat, zoom]. */
  center: [number, number, number];
  /** JSON metadata (TileJSON-like: name, vector_layers, attribution, ...). */
  metadata?: Record<string, unknown>;
}

export interface PmtilesStats {
  bytes: number;
  addressedTiles: number;
  tileEntries: number;
  tileContents: number;
  rootDirectoryBytes: number;
  leafDirectories: number;
  leafDirectoryBytes: number;
  metadataBytes: number;
  tileDataBytes: number;
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

/** Deterministic gzip (node writes mtime 0 and a fixed OS byte). */
export function gzip(data: Uint8Array): Buffer {
  return gzipSync(data, { level: 9 });
}

/** Unsigned LEB128 varint; safe for integers up to 2^53 (no 32-bit bitwise ops). */
function pushVarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`varint out of range: ${value}`);
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** Directory serialisation from the spec: count, delta ids, run lengths, lengths, offsets. */
export function serializeDirectory(entries: readonly Entry[]): Uint8Array {
  const out: number[] = [];
  pushVarint(out, entries.length);
  let lastId = 0;
  for (const e of entries) {
    pushVarint(out, e.tileId - lastId);
    lastId = e.tileId;
  }
  for (const e of entries) pushVarint(out, e.runLength);
  for (const e of entries) pushVarint(out, e.length);
  let prev: Entry | undefined;
  for (const e of entries) {
    // 0 means "directly after the previous entry's bytes"; otherwise offset + 1.
    if (prev && e.offset === prev.offset + prev.length) pushVarint(out, 0);
    else pushVarint(out, e.offset + 1);
    prev = e;
  }
  return Uint8Array.from(out);
}

function writeUint64(buf: Buffer, offset: number, value: number): void {
  buf.writeBigUInt64LE(BigInt(value), offset);
}

function writeDegrees(buf: Buffer, offset: number, deg: number): void {
  buf.writeInt32LE(Math.round(deg * 1e7), offset);
}

/** Build root + leaf directories so that the compressed root fits in MAX_ROOT_BYTES. */
function buildDirectories(entries: Entry[]): { root: Buffer; leaves: Buffer; leafCount: number } {
  const root = gzip(serializeDirectory(entries));
  if (root.length <= MAX_ROOT_BYTES) return { root, leaves: Buffer.alloc(0), leafCount: 0 };

  let leafSize = 4096;
  for (;;) {
    const rootEntries: Entry[] = [];
    const leafBufs: Buffer[] = [];
    let leafOffset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const chunk = entries.slice(i, i + leafSize);
      const leaf = gzip(serializeDirectory(chunk));
      // runLength 0 marks a pointer to a leaf directory (offset relative to the leaf section).
      // i < entries.length: the chunk has one entry or more.
      rootEntries.push({ tileId: chunk[0]!.tileId, offset: leafOffset, length: leaf.length, runLength: 0 });
      leafBufs.push(leaf);
      leafOffset += leaf.length;
    }
    const rootBuf = gzip(serializeDirectory(rootEntries));
    if (rootBuf.length <= MAX_ROOT_BYTES) {
      return { root: rootBuf, leaves: Buffer.concat(leafBufs), leafCount: leafBufs.length };
    }
    leafSize = Math.ceil(leafSize * 1.2);
  }
}

/**
 * Assemble a PMTiles v3 archive. Tiles may come in any order; a z/x/y given twice is an error.
 */
export function writePmtiles(tiles: Iterable<TileInput>, opts: PmtilesOptions): { buffer: Buffer; stats: PmtilesStats } {
  const withIds: { id: number; data: Uint8Array }[] = [];
  for (const t of tiles) {
    if (t.data.length === 0) throw new Error(`empty tile ${t.z}/${t.x}/${t.y}: store a compressed empty tile or leave it out`);
    withIds.push({ id: zxyToTileId(t.z, t.x, t.y), data: t.data });
  }
  withIds.sort((a, b) => a.id - b.id);
  for (let i = 1; i < withIds.length; i++) {
    const id = withIds[i]!.id;
    if (id === withIds[i - 1]!.id) throw new Error(`duplicate tile id ${id}`);
  }

  // Deduplicate contents; contents are laid out in order of first use, so the archive is "clustered".
  const byHash = new Map<string, { offset: number; length: number }>();
  const dataBufs: Uint8Array[] = [];
  let dataLength = 0;
  const entries: Entry[] = [];
  for (const t of withIds) {
    const hash = createHash('sha256').update(t.data).digest('hex');
    let loc = byHash.get(hash);
    if (!loc) {
      loc = { offset: dataLength, length: t.data.length };
      byHash.set(hash, loc);
      dataBufs.push(t.data);
      dataLength += t.data.length;
    }
    const last = entries[entries.length - 1];
    if (last && last.offset === loc.offset && last.length === loc.length && last.tileId + last.runLength === t.id) {
      last.runLength++;
    } else {
      entries.push({ tileId: t.id, offset: loc.offset, length: loc.length, runLength: 1 });
    }
  }

  const { root, leaves, leafCount } = buildDirectories(entries);
  const metadata = gzip(Buffer.from(JSON.stringify(opts.metadata ?? {}), 'utf8'));

  const rootOffset = HEADER_SIZE;
  const metadataOffset = rootOffset + root.length;
  const leafOffset = metadataOffset + metadata.length;
  const tileDataOffset = leafOffset + leaves.length;

  const header = Buffer.alloc(HEADER_SIZE);
  header.write('PMTiles', 0, 'ascii');
  header.writeUInt8(3, 7);
  writeUint64(header, 8, rootOffset);
  writeUint64(header, 16, root.length);
  writeUint64(header, 24, metadataOffset);
  writeUint64(header, 32, metadata.length);
  writeUint64(header, 40, leafOffset);
  writeUint64(header, 48, leaves.length);
  writeUint64(header, 56, tileDataOffset);
  writeUint64(header, 64, dataLength);
  writeUint64(header, 72, withIds.length); // addressed tiles
  writeUint64(header, 80, entries.length); // tile entries
  writeUint64(header, 88, dataBufs.length); // tile contents
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(Compression.Gzip, 97); // internal compression
  header.writeUInt8(opts.tileCompression, 98);
  header.writeUInt8(opts.tileType, 99);
  header.writeUInt8(opts.minZoom, 100);
  header.writeUInt8(opts.maxZoom, 101);
  writeDegrees(header, 102, opts.bounds[0]);
  writeDegrees(header, 106, opts.bounds[1]);
  writeDegrees(header, 110, opts.bounds[2]);
  writeDegrees(header, 114, opts.bounds[3]);
  header.writeUInt8(Math.round(opts.center[2]), 118);
  writeDegrees(header, 119, opts.center[0]);
  writeDegrees(header, 123, opts.center[1]);

  const buffer = Buffer.concat([header, root, metadata, leaves, ...dataBufs]);
  return {
    buffer,
    stats: {
      bytes: buffer.length,
      addressedTiles: withIds.length,
      tileEntries: entries.length,
      tileContents: dataBufs.length,
      rootDirectoryBytes: root.length,
      leafDirectories: leafCount,
      leafDirectoryBytes: leaves.length,
      metadataBytes: metadata.length,
      tileDataBytes: dataLength,
    },
  };
}
