// The live wire format (DESIGN.md, Live protocol): one binary frame per tick holding the
// assets that changed, as columns that deck.gl can take as attributes without per-object JS.
//
// Layout, little-endian, every column aligned to its element size:
//   header 16 B: magic 'TW' (u8 u8), version u8, frame kind u8, count u32, server time f64 (ms)
//   lon f64[n], lat f64[n], fix time f64[n] (ms)
//   id u32[n], speed f32[n] (km/h, NaN unknown), course f32[n] (deg, NaN unknown)
//   status u8[n] (index into ASSET_STATUSES), kind u8[n] (index into ASSET_KINDS)
import type { AlertRow } from './alerts';
import { ASSET_KINDS, ASSET_STATUSES, type AssetKind, type AssetStatus } from './domain';

export const WIRE_VERSION = 1;
export const FRAME_SNAPSHOT = 0;
export const FRAME_DELTA = 1;
const HEADER = 16;
const BYTES_PER_ASSET = 8 * 3 + 4 * 3 + 2;

export interface FrameColumns {
  kind: number; // FRAME_SNAPSHOT | FRAME_DELTA
  serverTime: number;
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  time: Float64Array;
  id: Uint32Array;
  speed: Float32Array;
  course: Float32Array;
  status: Uint8Array;
  assetKind: Uint8Array;
}

export interface FrameAsset {
  id: number;
  kind: AssetKind;
  lon: number;
  lat: number;
  time: number;
  speed: number;
  course: number;
  status: AssetStatus;
}

export function frameByteLength(count: number): number {
  return HEADER + count * BYTES_PER_ASSET;
}

function columns(buf: ArrayBuffer, byteOffset: number, n: number, kind: number, serverTime: number): FrameColumns {
  let o = byteOffset + HEADER;
  const f64 = () => {
    const a = new Float64Array(buf, o, n);
    o += 8 * n;
    return a;
  };
  const u32 = () => {
    const a = new Uint32Array(buf, o, n);
    o += 4 * n;
    return a;
  };
  const f32 = () => {
    const a = new Float32Array(buf, o, n);
    o += 4 * n;
    return a;
  };
  const u8 = () => {
    const a = new Uint8Array(buf, o, n);
    o += n;
    return a;
  };
  return { kind, serverTime, count: n, lon: f64(), lat: f64(), time: f64(), id: u32(), speed: f32(), course: f32(), status: u8(), assetKind: u8() };
}

/** Encodes assets into a fresh ArrayBuffer. */
export function encodeFrame(kind: number, serverTime: number, assets: ArrayLike<FrameAsset>): ArrayBuffer {
  const n = assets.length;
  const buf = new ArrayBuffer(frameByteLength(n));
  const view = new DataView(buf);
  view.setUint8(0, 0x54); // 'T'
  view.setUint8(1, 0x57); // 'W'
  view.setUint8(2, WIRE_VERSION);
  view.setUint8(3, kind);
  view.setUint32(4, n, true);
  view.setFloat64(8, serverTime, true);
  const c = columns(buf, 0, n, kind, serverTime);
  for (let i = 0; i < n; i++) {
    const a = assets[i]!;
    c.lon[i] = a.lon;
    c.lat[i] = a.lat;
    c.time[i] = a.time;
    c.id[i] = a.id;
    c.speed[i] = a.speed;
    c.course[i] = a.course;
    c.status[i] = ASSET_STATUSES.indexOf(a.status);
    c.assetKind[i] = ASSET_KINDS.indexOf(a.kind);
  }
  return buf;
}

/**
 * Decodes a frame as typed-array views over its bytes (no copy). Accepts an ArrayBuffer or
 * a view (Node's Buffer, a Uint8Array); a view not aligned to 8 bytes is copied once.
 */
export function decodeFrame(data: ArrayBuffer | ArrayBufferView): FrameColumns {
  let buf: ArrayBuffer;
  let off = 0;
  let len: number;
  if (data instanceof ArrayBuffer) {
    buf = data;
    len = data.byteLength;
  } else if (data.byteOffset % 8 === 0) {
    buf = data.buffer as ArrayBuffer;
    off = data.byteOffset;
    len = data.byteLength;
  } else {
    const copy = new Uint8Array(data.byteLength);
    copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    buf = copy.buffer;
    len = data.byteLength;
  }
  if (len < HEADER) throw new Error(`live frame too short: ${len} bytes`);
  const view = new DataView(buf, off, len);
  if (view.getUint8(0) !== 0x54 || view.getUint8(1) !== 0x57) throw new Error('not a live frame (bad magic)');
  const version = view.getUint8(2);
  if (version !== WIRE_VERSION) throw new Error(`live frame version ${version}, expected ${WIRE_VERSION}`);
  const n = view.getUint32(4, true);
  if (len !== frameByteLength(n)) throw new Error(`live frame of ${n} assets should be ${frameByteLength(n)} bytes, got ${len}`);
  return columns(buf, off, n, view.getUint8(3), view.getFloat64(8, true));
}

/** One asset of a decoded frame, as an object (for tests and small consumers). */
export function frameAsset(c: FrameColumns, i: number): FrameAsset {
  return {
    id: c.id[i]!,
    kind: ASSET_KINDS[c.assetKind[i]!]!,
    lon: c.lon[i]!,
    lat: c.lat[i]!,
    time: c.time[i]!,
    speed: c.speed[i]!,
    course: c.course[i]!,
    status: ASSET_STATUSES[c.status[i]!]!,
  };
}

/** What the client needs to label an asset; sent as JSON when the asset is first seen. */
export interface AssetMeta {
  id: number;
  kind: AssetKind;
  label: string | null;
  key: string;
  consignment?: string | null;
}

/** Snapshot trails: per asset, its recent fixes as [lon, lat, time] flattened. */
export interface SnapshotTrail {
  id: number;
  points: number[];
}

/**
 * Trails for a snapshot, binary: ids u32[m], offsets u32[m+1] (in points), then
 * points f64[3 × total] as lon, lat, time. Header: u32 m, u32 total.
 */
export function encodeTrails(trails: SnapshotTrail[]): ArrayBuffer {
  const m = trails.length;
  let total = 0;
  for (const t of trails) total += t.points.length / 3;
  const head = 8 + 4 * m + 4 * (m + 1);
  const pad = (8 - (head % 8)) % 8;
  const buf = new ArrayBuffer(head + pad + 24 * total);
  const view = new DataView(buf);
  view.setUint32(0, m, true);
  view.setUint32(4, total, true);
  const ids = new Uint32Array(buf, 8, m);
  const offsets = new Uint32Array(buf, 8 + 4 * m, m + 1);
  const pts = new Float64Array(buf, head + pad, 3 * total);
  let at = 0;
  trails.forEach((t, i) => {
    ids[i] = t.id;
    offsets[i] = at / 3;
    pts.set(t.points, at);
    at += t.points.length;
  });
  offsets[m] = at / 3;
  return buf;
}

export function decodeTrails(data: ArrayBuffer | ArrayBufferView): SnapshotTrail[] {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const buf = bytes.slice().buffer; // aligned private copy
  const view = new DataView(buf);
  const m = view.getUint32(0, true);
  const total = view.getUint32(4, true);
  const head = 8 + 4 * m + 4 * (m + 1);
  const pad = (8 - (head % 8)) % 8;
  if (buf.byteLength !== head + pad + 24 * total) throw new Error('trail block has the wrong length');
  const ids = new Uint32Array(buf, 8, m);
  const offsets = new Uint32Array(buf, 8 + 4 * m, m + 1);
  const pts = new Float64Array(buf, head + pad, 3 * total);
  const out: SnapshotTrail[] = [];
  for (let i = 0; i < m; i++) out.push({ id: ids[i]!, points: Array.from(pts.subarray(offsets[i]! * 3, offsets[i + 1]! * 3)) });
  return out;
}

/**
 * Socket.IO events, server → client. `Binary` is what a binary payload is on each side: the server
 * sends a Node Buffer (`ServerToClient<Buffer>`), a browser receives an ArrayBuffer (the default).
 */
export interface ServerToClient<Binary = ArrayBuffer> {
  /** First thing after (re)connecting: every asset the client may see, with trails. */
  snapshot: (msg: { frame: Binary; trails: Binary; meta: AssetMeta[]; tickMs: number }) => void;
  /** One frame per tick: the assets that changed. */
  delta: (frame: Binary) => void;
  /** Label lines of assets the client has not been told about yet (or whose label changed). */
  assets: (meta: AssetMeta[]) => void;
  /** Assets this client may no longer see (their movement left its jurisdiction). */
  gone: (ids: number[]) => void;
  /** An alert was raised. */
  alert: (alert: AlertRow) => void;
  /** An alert changed: acknowledged, resolved or cleared. */
  alert_update: (alert: AlertRow) => void;
}

/**
 * Socket.IO events, client → server. Rooms are the server's to assign: `join` is answered with an
 * error. The server must still check what it gets (a client may send anything).
 */
export interface ClientToServer {
  join: (room: string, ack?: (reply: { error: string }) => void) => void;
}
