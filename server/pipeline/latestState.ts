// The latest known state of every asset, and which assets changed since the live hub last looked.
// It holds motion and staleness only; alert colours belong to server/live/mapStatus.ts.
import type pg from 'pg';
import type { AssetKind } from '../../lib/domain';
import { trailBreaks } from '../../lib/trail';

/** How an asset moves: normal, standing still (a truck), or not heard from for too long. */
export type MotionStatus = 'normal' | 'stopped' | 'stale';

export interface AssetState {
  id: number;
  kind: AssetKind;
  lon: number;
  lat: number;
  time: number; // ms of the fix
  speed: number; // km/h, NaN when unknown
  course: number; // degrees, NaN when unknown
  motion: MotionStatus;
  /** Recent fixes, oldest first, at most `trailPoints`: [lon, lat, time] flattened. */
  trail: number[];
}

export class LatestState {
  readonly assets = new Map<number, AssetState>();
  private dirty = new Set<number>();

  constructor(private trailPoints: number) {}

  /** Applies a fix. A fix older than the one held updates nothing (it is still stored). */
  apply(id: number, kind: AssetKind, fix: { lon: number; lat: number; time: number; speed?: number; course?: number }): boolean {
    let s = this.assets.get(id);
    if (s && fix.time <= s.time) return false;
    if (!s) {
      s = { id, kind, lon: 0, lat: 0, time: 0, speed: NaN, course: NaN, motion: 'normal', trail: [] };
      this.assets.set(id, s);
    }
    s.lon = fix.lon;
    s.lat = fix.lat;
    s.time = fix.time;
    s.speed = fix.speed ?? NaN;
    // A stationary receiver's course is noise; keep the last one so the arrow does not spin.
    if (fix.course !== undefined && !(fix.speed !== undefined && fix.speed < 1)) s.course = fix.course;
    // A truck standing still is worth an amber glance; a vessel at anchor is not.
    s.motion = kind === 'vehicle' && fix.speed !== undefined && fix.speed < 3 ? 'stopped' : 'normal';
    if (this.trailPoints > 0) {
      const n = s.trail.length;
      if (n && trailBreaks(s.trail[n - 3]!, s.trail[n - 2]!, s.trail[n - 1]!, fix.lon, fix.lat, fix.time)) s.trail.length = 0;
      s.trail.push(fix.lon, fix.lat, fix.time);
      if (s.trail.length > this.trailPoints * 3) s.trail.splice(0, s.trail.length - this.trailPoints * 3);
    }
    this.dirty.add(id);
    return true;
  }

  /**
   * Restores the picture after a restart from the positions stored in the last `windowMs`:
   * each asset's latest fix and its trail, so a client connecting right away sees the fleet.
   */
  async restore(pool: pg.Pool, windowMs: number): Promise<number> {
    const { rows } = await pool.query<{ id: number; kind: AssetKind; lon: number; lat: number; t: number; speed: number | null; course: number | null }>(
      `SELECT p.asset_id AS id, a.kind, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat, extract(epoch FROM p.time) * 1000 AS t, p.speed, p.course
       FROM (SELECT *, row_number() OVER (PARTITION BY asset_id ORDER BY time DESC) AS rn
             FROM positions WHERE time > now() - make_interval(secs => $1 / 1000.0)) p
       JOIN assets a ON a.id = p.asset_id
       WHERE p.rn <= $2
       ORDER BY p.time`,
      [windowMs, Math.max(1, this.trailPoints)],
    );
    for (const r of rows) this.apply(r.id, r.kind, { lon: r.lon, lat: r.lat, time: Number(r.t), speed: r.speed ?? undefined, course: r.course ?? undefined });
    this.dirty.clear();
    return new Set(rows.map((r) => r.id)).size;
  }

  /** Marks an asset changed without a new fix (e.g. its audience changed). */
  touch(id: number): void {
    if (this.assets.has(id)) this.dirty.add(id);
  }

  /** Marks assets with no fix for longer than their kind allows as stale. */
  markStale(nowMs: number, staleAfterMs: Record<AssetKind, number>): void {
    for (const s of this.assets.values()) {
      if (s.motion !== 'stale' && nowMs - s.time > staleAfterMs[s.kind]) {
        s.motion = 'stale';
        this.dirty.add(s.id);
      }
    }
  }

  /** Returns and clears the set of assets changed since the last call. */
  takeDirty(): number[] {
    const ids = [...this.dirty];
    this.dirty.clear();
    return ids;
  }
}
