// The browser's copy of the live picture: stable typed arrays indexed by a slot per asset
// (deck.gl's binary-attribute style), filled from snapshot and delta frames. Each fix is
// eased from where the marker was drawn to where the asset now is over one tick, so markers
// glide instead of jumping once a second.
import { ASSET_KINDS, ASSET_STATUSES, type AssetKind, type AssetStatus } from '../../lib/domain';
import type { AssetMeta, FrameColumns, SnapshotTrail } from '../../lib/wire';
import { trailBreaks } from '../../lib/trail';

/** Points kept per trail over its length (and one for the newest fix). */
const TRAIL_POINTS = 60;

export interface Trail {
  path: [number, number][];
  timestamps: number[]; // seconds since the store's time base
}

export class LiveStore {
  capacity = 0;
  count = 0;
  private slotOf = new Map<number, number>();
  ids = new Uint32Array(0);
  kind = new Uint8Array(0);
  status = new Uint8Array(0);
  course = new Float32Array(0);
  speed = new Float32Array(0);
  fixTime = new Float64Array(0);
  private from = new Float64Array(0); // lon, lat pairs where the glide starts
  private to = new Float64Array(0); // lon, lat pairs of the latest fix
  private glideStart = new Float64Array(0); // ms, client clock
  meta = new Map<number, AssetMeta>();
  trails = new Map<number, Trail>();
  /** Trails are stored relative to this so that float32 GPU timestamps keep sub-second precision. */
  readonly timeBase: number;
  version = 0; // bumps on every frame, for memoisation
  lastFrameAt = 0;

  constructor(
    private trailSeconds = 600,
    now = Date.now(),
  ) {
    this.timeBase = now;
  }

  private grow(min: number): void {
    const cap = Math.max(min, this.capacity * 2, 256);
    const g = <T extends Float64Array | Float32Array | Uint32Array | Uint8Array>(a: T, size = 1): T => {
      const b = new (a.constructor as { new (n: number): T })(cap * size);
      b.set(a);
      return b;
    };
    this.ids = g(this.ids);
    this.kind = g(this.kind);
    this.status = g(this.status);
    this.course = g(this.course);
    this.speed = g(this.speed);
    this.fixTime = g(this.fixTime);
    this.from = g(this.from, 2);
    this.to = g(this.to, 2);
    this.glideStart = g(this.glideStart);
    this.capacity = cap;
  }

  private slot(id: number): number {
    let s = this.slotOf.get(id);
    if (s === undefined) {
      if (this.count === this.capacity) this.grow(this.count + 1);
      s = this.count++;
      this.slotOf.set(id, s);
      this.ids[s] = id;
      this.glideStart[s] = -Infinity;
    }
    return s;
  }

  setMeta(list: AssetMeta[]): void {
    for (const m of list) this.meta.set(m.id, m);
  }

  /** Forgets assets (swap-removes their slots so the arrays stay dense). */
  remove(ids: number[]): void {
    for (const id of ids) {
      const s = this.slotOf.get(id);
      if (s === undefined) continue;
      const last = this.count - 1;
      if (s !== last) {
        const lastId = this.ids[last]!;
        for (const a of [this.ids, this.kind, this.status, this.course, this.speed, this.fixTime, this.glideStart]) a[s] = a[last]!;
        for (const a of [this.from, this.to]) {
          a[2 * s] = a[2 * last]!;
          a[2 * s + 1] = a[2 * last + 1]!;
        }
        this.slotOf.set(lastId, s);
      }
      this.slotOf.delete(id);
      this.meta.delete(id);
      this.trails.delete(id);
      this.count--;
    }
    this.version++;
  }

  /** Replaces everything with a snapshot. */
  reset(frame: FrameColumns, trails: SnapshotTrail[], meta: AssetMeta[], now: number): void {
    this.count = 0;
    this.slotOf.clear();
    this.meta.clear();
    this.trails.clear();
    this.setMeta(meta);
    for (const t of trails) {
      const path: [number, number][] = [];
      const timestamps: number[] = [];
      for (let i = 0; i < t.points.length; i += 3) {
        path.push([t.points[i]!, t.points[i + 1]!]);
        timestamps.push((t.points[i + 2]! - this.timeBase) / 1000);
      }
      this.trails.set(t.id, { path, timestamps });
    }
    this.apply(frame, now, false);
  }

  /** Applies a frame; with `glide` each moved marker eases from where it is drawn now. */
  apply(f: FrameColumns, now: number, glide = true): void {
    for (let i = 0; i < f.count; i++) {
      const id = f.id[i]!;
      const isNew = !this.slotOf.has(id);
      const s = this.slot(id);
      if (glide && !isNew) {
        this.positionAt(s, now, this.from, s);
        this.glideStart[s] = now;
      } else {
        this.from[2 * s] = f.lon[i]!;
        this.from[2 * s + 1] = f.lat[i]!;
        this.glideStart[s] = -Infinity;
      }
      const moved = this.to[2 * s] !== f.lon[i] || this.to[2 * s + 1] !== f.lat[i] || isNew;
      this.to[2 * s] = f.lon[i]!;
      this.to[2 * s + 1] = f.lat[i]!;
      this.kind[s] = f.assetKind[i]!;
      this.status[s] = f.status[i]!;
      this.course[s] = f.course[i]!;
      this.speed[s] = f.speed[i]!;
      if (glide && moved && f.time[i]! > this.fixTime[s]!) this.extendTrail(id, f.lon[i]!, f.lat[i]!, f.time[i]!);
      this.fixTime[s] = f.time[i]!;
    }
    this.lastFrameAt = now;
    this.version++;
  }

  private extendTrail(id: number, lon: number, lat: number, time: number): void {
    let t = this.trails.get(id);
    if (!t) this.trails.set(id, (t = { path: [], timestamps: [] }));
    const n = t.path.length;
    if (n && trailBreaks(t.path[n - 1]![0], t.path[n - 1]![1], t.timestamps[n - 1]! * 1000 + this.timeBase, lon, lat, time)) {
      t.path = [];
      t.timestamps = [];
    }
    // Keep a point every trailSeconds / TRAIL_POINTS and move the newest one along with the asset:
    // a fast feed (several fixes a second) would otherwise grow every trail to thousands of points.
    const at = (time - this.timeBase) / 1000;
    const k = t.path.length;
    if (k >= 2 && at - t.timestamps[k - 2]! < this.trailSeconds / TRAIL_POINTS) {
      t.path[k - 1] = [lon, lat];
      t.timestamps[k - 1] = at;
    } else {
      t.path.push([lon, lat]);
      t.timestamps.push(at);
    }
    // Keep what the trail layer can show, plus a margin.
    const oldest = t.timestamps[t.timestamps.length - 1]! - this.trailSeconds * 1.5;
    let cut = 0;
    while (cut < t.timestamps.length - 2 && t.timestamps[cut]! < oldest) cut++;
    if (cut) {
      t.path.splice(0, cut);
      t.timestamps.splice(0, cut);
    }
  }

  /** Writes the drawn position of slot `s` at client time `now` into out[2*o], out[2*o+1]. */
  positionAt(s: number, now: number, out: Float64Array, o: number, glideMs = 1000): void {
    const k = Math.min(1, Math.max(0, (now - this.glideStart[s]!) / glideMs));
    out[2 * o] = this.from[2 * s]! + (this.to[2 * s]! - this.from[2 * s]!) * k;
    out[2 * o + 1] = this.from[2 * s + 1]! + (this.to[2 * s + 1]! - this.from[2 * s + 1]!) * k;
  }

  kindOf(s: number): AssetKind {
    return ASSET_KINDS[this.kind[s]!]!;
  }
  statusOf(s: number): AssetStatus {
    return ASSET_STATUSES[this.status[s]!]!;
  }
  slotFor(id: number): number | undefined {
    return this.slotOf.get(id);
  }
  latest(s: number): [number, number] {
    return [this.to[2 * s]!, this.to[2 * s + 1]!];
  }
}
