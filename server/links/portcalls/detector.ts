// Port calls from AIS (水空运运输工具): decides, fix by fix, when a vessel has ARRIVED at a port
// terminal or an anchorage and when it has DEPARTED, with the same kind of hysteresis the corridor
// rule has, so that GPS noise at a polygon's edge never makes a vessel arrive and leave again.
//
//   arrival   a candidate starts at a slow fix (< slowKn) inside a place; it holds while the fixes
//             stay slow and within marginM of that place; it becomes the arrival once it has
//             lasted dwellMs with at least minFixes slow fixes inside. Arrival time: the first of
//             those fixes. A vessel steaming through (≥ slowKn), or slowing only briefly, never arrives.
//   departure departFixes consecutive fixes farther than marginM from the place, each moving
//             (≥ departKn). Departure time: the first of them. A fix back within the margin, or a
//             stopped one, starts the count again: one GPS jump is never a departure.
//
// Pure: it knows places through a PlaceLookup (runtime.ts gives it the geofence index) and keeps
// its state in memory (one open call per vessel, restored from storage at start).
import { haversineM } from '../../geofence';

export type PlaceKind = 'port' | 'anchorage';

/** A port terminal (a site) or an anchorage (a zone). */
export interface Place {
  /** Unique across kinds: `site:<id>` or `zone:<id>`. */
  key: string;
  kind: PlaceKind;
  /** The site's or the zone's id. */
  id: number;
  code: string;
}

export interface PlaceLookup {
  /** The places whose polygon holds the point, ports before anchorages. */
  at(lon: number, lat: number): readonly Place[];
  /** Metres from the point to the place (0 inside); undefined once the place is gone. */
  distance(place: Place, lon: number, lat: number): number | undefined;
}

export interface PortCallRules {
  /** Arrival: slower than this (knots). */
  slowKn: number;
  /** Arrival: slow within the place (and its margin) for at least this long (ms). */
  dwellMs: number;
  /** Arrival: at least this many slow fixes inside the place. */
  minFixes: number;
  /** The band beyond the polygon that still counts as there (m): noise inside it changes nothing. */
  marginM: number;
  /** Departure: moving at least this fast (knots). */
  departKn: number;
  /** Departure: this many consecutive moving fixes beyond the margin. */
  departFixes: number;
  /** A silence longer than this (ms) restarts an arrival candidate: the dwell must be seen. */
  maxGapMs: number;
}

export const DEFAULT_PORT_CALL_RULES: PortCallRules = {
  slowKn: 3,
  dwellMs: 5 * 60_000,
  minFixes: 2,
  marginM: 300,
  departKn: 1,
  departFixes: 2,
  maxGapMs: 60 * 60_000,
};

export interface VesselFix {
  time: number;
  lon: number;
  lat: number;
  /** km/h, as every PositionReport carries it; derived from the last fix when absent. */
  speedKmh?: number;
}

export type PortCallEvent =
  | { type: 'arrival'; assetId: number; place: Place; time: number; lon: number; lat: number }
  | { type: 'departure'; assetId: number; place: Place; arrivedAt: number; time: number; lon: number; lat: number };

const KMH_PER_KN = 1.852;

interface Candidate {
  place: Place;
  since: number;
  lon: number;
  lat: number;
  inside: number;
  lastTime: number;
}

interface Call {
  place: Place;
  arrivedAt: number;
  /** Consecutive moving fixes beyond the margin, and when the first of them was. */
  away: number;
  awaySince: number;
}

interface VesselState {
  last?: { time: number; lon: number; lat: number };
  candidate?: Candidate;
  call?: Call;
}

export class PortCallDetector {
  readonly rules: PortCallRules;
  private vessels = new Map<number, VesselState>();

  constructor(
    private places: PlaceLookup,
    rules: Partial<PortCallRules> = {},
  ) {
    this.rules = { ...DEFAULT_PORT_CALL_RULES, ...rules };
  }

  /** A call still open in storage (at start): the vessel is there until it departs. */
  restore(assetId: number, place: Place, arrivedAt: number): void {
    this.state(assetId).call = { place, arrivedAt, away: 0, awaySince: 0 };
  }

  /** The vessel's open call, if it has one. */
  current(assetId: number): { place: Place; arrivedAt: number } | undefined {
    const c = this.vessels.get(assetId)?.call;
    return c && { place: c.place, arrivedAt: c.arrivedAt };
  }

  onFix(assetId: number, fix: VesselFix): PortCallEvent[] {
    const st = this.state(assetId);
    const last = st.last;
    // Out of order or repeated: the decision was made on the newer fix already.
    if (last && fix.time <= last.time) return [];
    const kn = speedKn(fix, last);
    st.last = { time: fix.time, lon: fix.lon, lat: fix.lat };
    const r = this.rules;
    const out: PortCallEvent[] = [];

    if (st.call) {
      const c = st.call;
      const d = this.places.distance(c.place, fix.lon, fix.lat) ?? Infinity;
      if (d > r.marginM && kn >= r.departKn) {
        if (c.away++ === 0) c.awaySince = fix.time;
        if (c.away >= r.departFixes) {
          out.push({ type: 'departure', assetId, place: c.place, arrivedAt: c.arrivedAt, time: c.awaySince, lon: fix.lon, lat: fix.lat });
          st.call = undefined;
          st.candidate = undefined;
        }
      } else {
        c.away = 0;
      }
      if (st.call) return out;
    }

    const slow = kn < r.slowKn;
    const cand = st.candidate;
    if (cand) {
      const d = this.places.distance(cand.place, fix.lon, fix.lat);
      if (slow && d !== undefined && d <= r.marginM && fix.time - cand.lastTime <= r.maxGapMs) {
        cand.lastTime = fix.time;
        if (d === 0) cand.inside++;
      } else {
        st.candidate = undefined;
      }
    }
    if (!st.candidate && slow) {
      const place = this.places.at(fix.lon, fix.lat)[0];
      if (place) st.candidate = { place, since: fix.time, lon: fix.lon, lat: fix.lat, inside: 1, lastTime: fix.time };
    }
    const c = st.candidate;
    if (c && c.inside >= r.minFixes && fix.time - c.since >= r.dwellMs) {
      st.call = { place: c.place, arrivedAt: c.since, away: 0, awaySince: 0 };
      st.candidate = undefined;
      out.push({ type: 'arrival', assetId, place: c.place, time: c.since, lon: c.lon, lat: c.lat });
    }
    return out;
  }

  /** Drops what is known of a vessel (it was removed). */
  forget(assetId: number): void {
    this.vessels.delete(assetId);
  }

  private state(assetId: number): VesselState {
    let st = this.vessels.get(assetId);
    if (!st) this.vessels.set(assetId, (st = {}));
    return st;
  }
}

/** The fix's speed in knots: as reported, else over the ground since the last fix, else 0. */
function speedKn(fix: VesselFix, last: VesselState['last']): number {
  if (fix.speedKmh !== undefined) return fix.speedKmh / KMH_PER_KN;
  if (!last) return 0;
  const s = (fix.time - last.time) / 1000;
  return s > 0 ? (haversineM(last.lon, last.lat, fix.lon, fix.lat) / s) * (3600 / 1852) : 0;
}
