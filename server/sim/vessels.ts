// The simulated vessels of the demo fleet, their lanes, anchorages and rendezvous pairs (see
// simulator.ts for the clock they run on).
//
// Vessels: follow their lane inbound with a lateral offset (≤ 280 m + ~3 m noise, tapering to 0 over
// the last 2 km before the berth), slow down on approach (≤ 8 kn inside 5 km, 2.5–3 kn in the last
// km), moor 40–120 min at a berth (the lane's end, or up to 6 more 220 m back along the lane while
// inside the port site), leave outbound, half of the time anchor 30–120 min at a free anchorage slot
// (two rows ±270 m, 550 m apart, in the first 35 % of the lane: anchored vessels are always ≥ 500 m
// apart), otherwise turn at the sea end; repeat. AIS intervals by class and speed (class A: at
// anchor/moored 3 min, ≤ 14 kn 10 s, ≤ 23 kn 6 s, faster 2 s capped at 5 s; class B: 30 s above
// 2 kn, 3 min otherwise), ± 5 % jitter. 'dark': silent 20–60 min once per inbound leg.
// 'rendezvous' pair: both steam to a point 40–70 % along their lane (far from sites), arrive at a
// meeting time (first one 20–40 min after start), drift side by side 200 m apart at < 2 kn for
// 20–30 min, then part (a goes on to port, b back to its anchorage); they meet again every few hours.
import type { LonLat, PositionReport } from '../../lib/domain';
import { KMH_PER_KNOT, MS_PER_KNOT } from '../../lib/units';
import type { Fleet, LaneInfo, Vessel, WorldIndex } from './fleet';
import { makePath, metresPerDegLat, metresPerDegLon, nearestOnPath, newPathPoint, normDeg, pointAt, pointAtOffset, pointInRing, type Path, type PathPoint } from './geometry';
import { Rng, hashSeed } from './random';
import { MAX_SUBSTEP_MS, MIN, type SimulatorOptions } from './simOptions';

/** The shortest interval between two reports of one vessel (caps AIS's 2 s class A rate). */
export const VESSEL_MIN_INTERVAL_MS = 5000;
/** The largest lateral offset of a vessel from its lane's centre line (with ~3 m AIS noise: ≤ 300 m). */
export const MAX_LATERAL_M = 280;

/** Under way along the lane, moored at a berth, at anchor in a slot, or drifting with a rendezvous partner. */
type VesselPhase = 'moving' | 'moored' | 'anchored' | 'loitering';

/** Where a moving vessel is going: its berth, an anchorage slot, the sea end of the lane (then it turns and comes in again), or a rendezvous. */
type VesselGoal = 'berth' | 'slot' | 'sea' | 'meet';

/** The two vessels of a rendezvous: 'a' goes on to port afterwards, 'b' turns back to its anchorage. */
type PairRole = 'a' | 'b';

/** Anchorage slots lie within the first 35 % (at most 17 km) of a lane, 550 m apart in two rows ±270 m off the centre line:
 *  any two slots are ≥ 500 m apart, so anchored vessels never look like a rendezvous. */
const SLOT_SPACING_M = 550;
const SLOT_LATERAL_M = 270;
const BERTH_SPACING_M = 220;
const ROOM_STEP_M = 250;
const ROOM_TRIES = [280, 200, 140, 90, 50];

interface LaneState {
  info: LaneInfo;
  kind: 'approach' | 'transit' | 'anchorage';
  path: Path;
  L: number;
  slotD: number[];
  slotLat: number[];
  /** Vessel index holding each slot, or -1. */
  slotOwner: Int32Array;
  /** Room for a lateral offset (m) to the right / left of the lane, every ROOM_STEP_M along it. */
  roomR: Float32Array | null;
  roomL: Float32Array | null;
  /** Approach lanes: one path per berth, the lane extended by a short final leg to a point just inside
   *  the port site (so that a moored vessel is inside its terminal). Other lanes: the lane itself. */
  berths: Path[];
}

interface RendezvousPair {
  lane: LaneState;
  rng: Rng;
  /** Meeting point: distance along the lane from the sea end. */
  dm: number;
  meetings: Array<{ T: number; dur: number }>;
  periodMs: number;
}

interface VesselState {
  vessel: Vessel;
  idx: number;
  rng: Rng;
  lane: LaneState;
  /** The lane, or for an approach lane the lane with this vessel's berth leg. */
  path: Path;
  phase: VesselPhase;
  goal: VesselGoal;
  /** Legs started so far (varies the choice of anchorage slot). */
  legs: number;
  time: number;
  d: number;
  dir: number; // +1 inbound (towards the berth), -1 outbound
  targetD: number;
  v: number; // m/s along the lane
  arriveBy: number; // 0: speed from the approach profile
  holdUntil: number;
  lat: number; // lateral offset, m, + = right of the lane's inbound direction
  latTarget: number;
  /** Length of `path`: the berth (approach lanes) or the far end of the lane. */
  berthD: number;
  /** Anchorage slot held (index into lane.slotD), or -1. */
  slot: number;
  pt: PathPoint;
  nextFix: number;
  headingBias: number;
  anchorHeading: number;
  silentFrom: number;
  silentUntil: number;
  darkAtD: number;
  mood: number;
  moodUntil: number;
  pair: RendezvousPair | null;
  role: PairRole;
  meetingK: number;
}

export class VesselSim {
  private readonly vessels: VesselState[] = [];
  private readonly lanes = new Map<string, LaneState>();

  constructor(
    private readonly fleet: Fleet,
    private readonly idx: WorldIndex,
    private readonly seed: number,
    private readonly emit: (r: PositionReport) => void,
    private readonly opts: SimulatorOptions,
  ) {}

  get size(): number {
    return this.vessels.length;
  }

  /** The first step: every vessel placed on its lane, at a berth or at anchor. */
  start(t0: number): void {
    // the rendezvous pairs first, so that they hold their anchorage slots before anyone else anchors
    const states: Array<VesselState | null> = new Array(this.fleet.vessels.length).fill(null);
    const index = new Map(this.fleet.vessels.map((v, i) => [v.id, i]));
    this.fleet.rendezvous.forEach((p, k) => {
      const ia = index.get(p.a);
      const ib = index.get(p.b);
      if (ia === undefined || ib === undefined) return;
      const a = (states[ia] = this.initVessel(this.fleet.vessels[ia]!, ia, t0)); // ia, ib: indices from `index`
      const b = (states[ib] = this.initVessel(this.fleet.vessels[ib]!, ib, t0));
      if (a && b && a.lane === b.lane) this.initPair(a, b, k, t0);
    });
    this.fleet.vessels.forEach((vessel, i) => {
      if (!states[i]) states[i] = this.initVessel(vessel, i, t0);
    });
    for (const vs of states) if (vs) this.vessels.push(vs);
  }

  /** Advances every vessel to nowMs, emitting each report that fell due. */
  step(nowMs: number): void {
    for (const vs of this.vessels) {
      while (vs.nextFix <= nowMs) {
        this.advanceVessel(vs, vs.nextFix);
        this.emitVessel(vs);
        vs.nextFix += this.vesselInterval(vs);
      }
      this.advanceVessel(vs, nowMs);
    }
  }

  private laneState(code: string): LaneState | null {
    const hit = this.lanes.get(code);
    if (hit) return hit;
    const info = this.idx.lanes.get(code);
    if (!info) return null;
    const kind = info.seed.kind ?? 'approach';
    const path = info.path;
    const L = path.length;
    const { roomR, roomL } = this.laneRoom(path);
    // d is within [0, L]: both samples exist (laneRoom takes ceil(L / step) + 1 of them).
    const room = (r: Float32Array | null, d: number) => (r ? Math.min(r[Math.floor(d / ROOM_STEP_M)]!, r[Math.ceil(d / ROOM_STEP_M)]!) : Infinity);
    const slotD: number[] = [];
    const slotLat: number[] = [];
    // anchorage circuits: slots all round; other lanes: in the first 35 % (at most 17 km) from the sea end.
    // Two rows ±270 m, or one on the centre line where there is no room for both.
    const [from, to] = kind === 'anchorage' ? [300, L - 300] : [300, Math.min(0.35 * L, 17_000)];
    for (let d = from; d <= to; d += SLOT_SPACING_M) {
      const r = room(roomR, d) >= SLOT_LATERAL_M;
      const l = room(roomL, d) >= SLOT_LATERAL_M;
      const slot = (lateral: number) => {
        slotD.push(d);
        slotLat.push(lateral);
      };
      if (r) slot(SLOT_LATERAL_M);
      if (l) slot(-SLOT_LATERAL_M);
      if (!r && !l && (!this.opts.isLand || !this.opts.isLand(pointAtOffset(path, d, 0)))) slot(0);
    }
    const berths = kind === 'approach' ? this.berthPaths(info) : [path];
    const lane: LaneState = { info, kind, path, L, slotD, slotLat, slotOwner: new Int32Array(slotD.length).fill(-1), roomR, roomL, berths };
    this.lanes.set(code, lane);
    return lane;
  }

  /** With a land test: how far to each side of the lane a vessel may stray and stay at sea. */
  private laneRoom(path: Path): { roomR: Float32Array | null; roomL: Float32Array | null } {
    const isLand = this.opts.isLand;
    if (!isLand) return { roomR: null, roomL: null };
    const n = Math.ceil(path.length / ROOM_STEP_M) + 1;
    const raw = [new Float32Array(n), new Float32Array(n)] as const;
    const q = newPathPoint();
    for (let i = 0; i < n; i++) {
      pointAt(path, Math.min(path.length, i * ROOM_STEP_M), q, q.seg);
      if (isLand([q.lon, q.lat])) continue; // no room
      for (let side = 0; side < 2; side++) {
        const sg = side === 0 ? 1 : -1;
        for (const off of ROOM_TRIES) {
          const at = (m: number): LonLat => [q.lon + (sg * q.nx * m) / metresPerDegLon(q.lat), q.lat + (sg * q.ny * m) / metresPerDegLat(q.lat)];
          if (!isLand(at(off)) && !isLand(at(off / 2))) {
            raw[side === 0 ? 0 : 1][i] = off;
            break;
          }
        }
      }
    }
    // conservative: the least room of a sample and its neighbours
    const leastAround = (r: Float32Array) => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.min(r[i]!, r[Math.max(0, i - 1)]!, r[Math.min(n - 1, i + 1)]!);
      return out;
    };
    const roomR = leastAround(raw[0]);
    const roomL = leastAround(raw[1]);
    return { roomR, roomL };
  }

  /**
   * Berths of an approach lane. The lane ends in the water within ~500 m of its terminal; each berth is
   * a point 40 m inside the terminal's polygon on its boundary nearest to the lane's end, or 200, 400,
   * 600 m along the boundary either way (within 1 km of the lane's end), reached by a straight final leg.
   */
  private berthPaths(info: LaneInfo): Path[] {
    const end = info.seed.path[info.seed.path.length - 1]!; // a lane has two points or more
    const port = this.idx.sites.get(info.seed.port);
    if (!port || pointInRing(end, port.seed.area)) return [info.path];
    const ring = makePath(port.seed.area);
    const near = nearestOnPath(ring, end);
    if (near.distance > 3000) return [info.path];
    const out: Path[] = [];
    const wet: Path[] = []; // those whose final leg stays at sea (known only with a land test)
    const c = port.centroid;
    for (const k of [0, 1, -1, 2, -2, 3, -3]) {
      let a = near.along + k * BERTH_SPACING_M;
      if (a < 0) a += ring.length;
      if (a > ring.length) a -= ring.length;
      const q = pointAt(ring, a);
      const kx = metresPerDegLon(q.lat);
      const ky = metresPerDegLat(q.lat);
      const dx = (c[0] - q.lon) * kx;
      const dy = (c[1] - q.lat) * ky;
      const len = Math.hypot(dx, dy) || 1;
      for (const inset of [40, 15]) {
        const b: LonLat = [q.lon + (dx / len) * (inset / kx), q.lat + (dy / len) * (inset / ky)];
        const far = Math.hypot((b[0] - end[0]) * kx, (b[1] - end[1]) * ky);
        if (pointInRing(b, port.seed.area) && far <= 1000) {
          const berth = makePath([...info.seed.path, b]);
          out.push(berth);
          if (this.opts.isLand && this.legAtSea(end, b, port.seed.area)) wet.push(berth);
          break;
        }
      }
    }
    // the coastline is coarse next to a terminal: a final leg may cross a sliver of "land"
    return wet.length ? wet : out.length ? out : [info.path];
  }

  /** With a land test: the straight leg a → b is at sea or inside `ring` all along (25 m steps). */
  private legAtSea(a: LonLat, b: LonLat, ring: LonLat[]): boolean {
    const isLand = this.opts.isLand;
    if (!isLand) return true;
    const len = Math.hypot((b[0] - a[0]) * metresPerDegLon(a[1]), (b[1] - a[1]) * metresPerDegLat(a[1]));
    const n = Math.max(1, Math.ceil(len / 25));
    for (let i = 0; i <= n; i++) {
      const p: LonLat = [a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n];
      if (isLand(p) && !pointInRing(p, ring)) return false;
    }
    return true;
  }

  /** Takes a free anchorage slot (searching from a place of the vessel's own), or returns -1. */
  private takeSlot(vs: VesselState): number {
    const lane = vs.lane;
    const n = lane.slotD.length;
    if (vs.slot >= 0) return vs.slot;
    const start = hashSeed(this.seed, vs.idx, vs.legs) % Math.max(1, n);
    for (let k = 0; k < n; k++) {
      const j = (start + k) % n;
      if (lane.slotOwner[j]! < 0) {
        lane.slotOwner[j] = vs.idx;
        vs.slot = j;
        return j;
      }
    }
    return -1;
  }

  private releaseSlot(vs: VesselState): void {
    if (vs.slot >= 0 && !vs.pair) {
      vs.lane.slotOwner[vs.slot] = -1;
      vs.slot = -1;
    }
  }

  private initVessel(vessel: Vessel, i: number, t0: number): VesselState | null {
    const lane = this.laneState(vessel.laneCode);
    if (!lane) return null;
    const rng = new Rng(hashSeed(this.seed, 0x7e55, i));
    const path = lane.berths[i % lane.berths.length]!; // berthPaths returns one path or more
    const L = path.length;
    const vs: VesselState = {
      vessel,
      idx: i,
      rng,
      lane,
      path,
      phase: 'moving',
      goal: 'berth',
      legs: 0,
      time: t0,
      d: 0,
      dir: 1,
      targetD: L,
      v: 0,
      arriveBy: 0,
      holdUntil: 0,
      lat: 0,
      latTarget: 0,
      berthD: L,
      slot: -1,
      pt: newPathPoint(),
      nextFix: 0,
      headingBias: rng.gaussian(0, 2),
      anchorHeading: rng.float(0, 360),
      silentFrom: 0,
      silentUntil: 0,
      darkAtD: -1,
      mood: 1,
      moodUntil: 0,
      pair: null,
      role: 'a',
      meetingK: 0,
    };
    let state = vessel.script ? 'underway' : lane.kind === 'anchorage' ? 'anchored' : lane.kind === 'transit' ? 'underway' : vessel.startState;
    if (state === 'anchored' && this.takeSlot(vs) < 0) state = 'underway';
    switch (state) {
      case 'moored':
        vs.phase = 'moored';
        vs.d = vs.berthD;
        vs.holdUntil = t0 + rng.float(10, 90) * MIN;
        vs.anchorHeading = path.bearing[path.bearing.length - 1]!;
        break;
      case 'anchored':
        vs.phase = 'anchored';
        vs.d = lane.slotD[vs.slot]!; // takeSlot succeeded above
        vs.lat = vs.latTarget = lane.slotLat[vs.slot]!;
        vs.holdUntil = t0 + rng.float(10, 90) * MIN;
        break;
      default: {
        vs.d = Math.min(vessel.startFraction * lane.L, L - 100);
        if (vessel.direction === 'inbound' || vessel.script) {
          this.setGoal(vs, 'berth');
          vs.lat = vs.latTarget;
          this.armDark(vs);
        } else {
          this.setGoal(vs, lane.kind === 'approach' && rng.chance(0.5) ? 'slot' : 'sea');
          if (vs.goal === 'slot' && vs.targetD >= vs.d) {
            this.releaseSlot(vs);
            this.setGoal(vs, 'sea');
          }
          vs.lat = vs.latTarget;
        }
        vs.v = this.profileKn(vs, vs.d) * MS_PER_KNOT;
      }
    }
    vs.nextFix = Math.round(t0 + rng.float(0, this.vesselInterval(vs)));
    return vs;
  }

  /** Sets where a moving vessel goes next ('slot' falls back to 'sea' when the anchorage is full). */
  private setGoal(vs: VesselState, goal: VesselGoal): void {
    const lane = vs.lane;
    vs.legs++;
    if (goal === 'slot' && this.takeSlot(vs) < 0) goal = 'sea';
    vs.phase = 'moving';
    vs.goal = goal;
    vs.arriveBy = 0;
    switch (goal) {
      case 'berth':
        vs.targetD = vs.berthD;
        vs.latTarget = vs.rng.float(60, MAX_LATERAL_M);
        break;
      case 'slot':
        vs.targetD = lane.slotD[vs.slot]!; // only vessels holding a slot head for it
        vs.latTarget = lane.slotLat[vs.slot]!;
        break;
      case 'sea':
        vs.targetD = 0;
        vs.latTarget = -vs.rng.float(60, MAX_LATERAL_M);
        break;
      default: {
        const pair = vs.pair!;
        vs.targetD = pair.dm;
        vs.arriveBy = this.meeting(pair, vs.meetingK).T;
        vs.latTarget = vs.role === 'a' ? 100 : -100;
      }
    }
    vs.dir = vs.targetD >= vs.d ? 1 : -1;
  }

  private armDark(vs: VesselState): void {
    if (vs.vessel.script !== 'dark') return;
    const L = vs.berthD;
    vs.darkAtD = Math.max(vs.d + 200, vs.rng.float(0.15, 0.5) * L);
    if (vs.darkAtD > 0.85 * L) vs.darkAtD = vs.d + 1;
  }

  /** Approach profile (knots) by distance to the berth. */
  private profileKn(vs: VesselState, d: number): number {
    const c = vs.vessel.cruiseKn * vs.mood;
    if (vs.lane.kind !== 'approach') return vs.lane.kind === 'anchorage' ? Math.min(c, 8) : c;
    const g = vs.berthD - d;
    const near = Math.min(c, 8);
    if (g > 15_000) return c;
    if (g > 5000) return near + ((c - near) * (g - 5000)) / 10_000;
    if (g > 1000) return 3 + ((near - 3) * (g - 1000)) / 4000;
    return 2.5 + (0.5 * (g > 0 ? g : 0)) / 1000;
  }

  private profileDurationMs(vs: VesselState, from: number, to: number): number {
    const a = Math.min(from, to);
    const b = Math.max(from, to);
    let ms = 0;
    for (let d = a; d < b; d += 250) ms += (Math.min(250, b - d) / (this.profileKn(vs, d) * MS_PER_KNOT)) * 1000;
    return ms;
  }

  private initPair(a: VesselState, b: VesselState, k: number, t0: number): void {
    const lane = a.lane;
    const L = lane.L;
    const rng = new Rng(hashSeed(this.seed, 0x9a12, k));
    // meeting point: between 40 % and 70 % of the lane (beyond the anchorages), ≥ 3 km from the berth,
    // as far from any site as possible
    let dm = 0.4 * L;
    let bestDist = -1;
    for (let j = 0; j <= 24; j++) {
      const d = Math.min(L - 3000, (0.4 + (0.3 * j) / 24) * L);
      if (d < 0) continue;
      const p = pointAt(lane.path, d);
      let near = Infinity;
      for (const s of this.idx.sites.values()) {
        const dd = Math.hypot((p.lon - s.centroid[0]) * metresPerDegLon(p.lat), (p.lat - s.centroid[1]) * metresPerDegLat(p.lat));
        if (dd < near) near = dd;
      }
      if (near > bestDist + 500) {
        bestDist = near;
        dm = d;
      }
    }
    dm = Math.max(0, dm);
    const pair: RendezvousPair = { lane, rng, dm, meetings: [], periodMs: 0 };
    for (const [vs, role] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      this.releaseSlot(vs);
      vs.lane = lane;
      vs.path = lane.berths[0]!;
      vs.berthD = vs.path.length;
      vs.pair = pair; // from here on the slot is the vessel's own
      vs.role = role;
      vs.meetingK = 0;
      vs.darkAtD = -1;
      this.takeSlot(vs);
    }
    const slotD = (vs: VesselState) => (vs.slot >= 0 ? lane.slotD[vs.slot]! : 0);
    const ka = a.vessel.cruiseKn * MS_PER_KNOT;
    const cycleA = this.profileDurationMs(a, dm, a.berthD) + 60 * MIN + this.profileDurationMs(a, slotD(a), a.berthD) + (Math.abs(dm - slotD(a)) / (0.8 * ka)) * 1000;
    const cycleB = ((2 * Math.abs(dm - slotD(b))) / (0.8 * b.vessel.cruiseKn * MS_PER_KNOT)) * 1000;
    pair.periodMs = 1.25 * Math.max(cycleA, cycleB) + 40 * MIN;
    const first = { T: t0 + rng.float(20, 40) * MIN, dur: rng.float(20, 30) * MIN };
    pair.meetings.push(first);
    for (const vs of [a, b]) {
      const T = first.T;
      const reach = 0.8 * vs.vessel.cruiseKn * MS_PER_KNOT * ((T - t0) / 1000);
      vs.d = Math.max(0, dm - reach);
      this.setGoal(vs, 'meet');
      vs.lat = vs.latTarget;
      vs.v = Math.min(vs.vessel.cruiseKn * MS_PER_KNOT, (dm - vs.d) / Math.max(1, (T - t0) / 1000));
      vs.nextFix = Math.round(t0 + rng.float(0, this.vesselInterval(vs)));
    }
  }

  private meeting(pair: RendezvousPair, k: number): { T: number; dur: number } {
    while (pair.meetings.length <= k) {
      const last = pair.meetings[pair.meetings.length - 1]!; // initPair adds the first
      pair.meetings.push({ T: last.T + last.dur + pair.periodMs + pair.rng.float(10, 60) * MIN, dur: pair.rng.float(20, 30) * MIN });
    }
    return pair.meetings[k]!;
  }

  private vesselInterval(vs: VesselState): number {
    let ms: number;
    const kn = vs.phase === 'moving' ? vs.v / MS_PER_KNOT : vs.phase === 'loitering' ? 1 : 0;
    if (vs.vessel.cls === 'A') {
      if (vs.phase === 'moored' || vs.phase === 'anchored') ms = 180_000;
      else if (kn <= 14) ms = 10_000;
      else if (kn <= 23) ms = 6_000;
      else ms = 2_000;
    } else ms = kn > 2 ? 30_000 : 180_000;
    ms *= 1 + vs.rng.float(-0.05, 0.05);
    return Math.round(Math.max(VESSEL_MIN_INTERVAL_MS, ms));
  }

  /** A vessel changed phase: a slow (3 min) schedule must not hold back the first fix at the new rate. */
  private rescheduleVessel(vs: VesselState): void {
    const due = Math.round(vs.time + this.vesselInterval(vs));
    if (due < vs.nextFix) vs.nextFix = due;
  }

  private advanceVessel(vs: VesselState, t: number): void {
    let guard = 0;
    while (vs.time < t && guard++ < 100_000) {
      const dt = Math.min(t - vs.time, MAX_SUBSTEP_MS);
      // lateral drift towards the target offset, ≤ 1.5 m/s
      const dl = vs.latTarget - vs.lat;
      const maxL = (1.5 * dt) / 1000;
      vs.lat += dl > maxL ? maxL : dl < -maxL ? -maxL : dl;
      switch (vs.phase) {
        case 'moving':
          this.moveVessel(vs, dt);
          break;
        case 'loitering': {
          const m = this.meeting(vs.pair!, vs.meetingK);
          if (vs.time + dt >= vs.holdUntil) {
            vs.time = vs.holdUntil;
            vs.d = this.loiterD(vs, m.T, vs.time);
            this.afterLoiter(vs);
          } else {
            vs.time += dt;
            vs.d = this.loiterD(vs, m.T, vs.time);
          }
          break;
        }
        default:
          if (vs.time + dt >= vs.holdUntil) {
            vs.time = vs.holdUntil;
            this.afterHold(vs);
          } else vs.time += dt;
      }
    }
  }

  /** Both vessels of a pair drift together along the lane at 0.8 kn from the meeting time on. */
  private loiterD(vs: VesselState, T: number, t: number): number {
    const dm = vs.pair!.dm;
    return Math.min(vs.lane.L - 2000, dm + (t > T ? ((t - T) / 1000) * 0.8 * MS_PER_KNOT : 0));
  }

  private moveVessel(vs: VesselState, dt: number): void {
    const t = vs.time;
    const rng = vs.rng;
    if (t >= vs.moodUntil) {
      vs.mood = rng.float(0.95, 1.05);
      vs.moodUntil = t + rng.float(5, 20) * MIN;
    }
    const gap = vs.dir > 0 ? vs.targetD - vs.d : vs.d - vs.targetD;
    let vt: number;
    const cruise = vs.vessel.cruiseKn * MS_PER_KNOT;
    if (vs.arriveBy) {
      const left = (vs.arriveBy - t) / 1000;
      vt = left > 1 ? gap / left : 1.2 * cruise;
      if (vt < 2.5 * MS_PER_KNOT) vt = 2.5 * MS_PER_KNOT;
      if (vt > 1.2 * cruise) vt = 1.2 * cruise;
    } else {
      vt = this.profileKn(vs, vs.d) * MS_PER_KNOT;
      if (vs.goal !== 'sea') {
        const vb = Math.max(2.5 * MS_PER_KNOT, gap / 300); // ≥ 5 min from the stop at this speed
        if (vb < vt) vt = vb;
      }
    }
    const dts = dt / 1000;
    const k = dts / 90 > 1 ? 1 : dts / 90; // ships change speed slowly
    vs.v += (vt - vs.v) * k;
    if (vs.v < 0.5 * MS_PER_KNOT && vt > vs.v) vs.v = Math.min(vt, vs.v + 0.05 * dts);
    const ds = vs.v * dts;
    if (ds >= gap) {
      vs.time = t + (ds > 0 ? (dt * (gap > 0 ? gap : 0)) / ds : 0);
      vs.d = vs.targetD;
      this.vesselArrived(vs);
    } else {
      vs.d += vs.dir * ds;
      vs.time = t + dt;
    }
    if (vs.darkAtD >= 0 && vs.dir > 0 && vs.d >= vs.darkAtD) {
      vs.darkAtD = -1;
      vs.silentFrom = vs.time;
      vs.silentUntil = vs.time + rng.float(20, 60) * MIN;
    }
  }

  private vesselArrived(vs: VesselState): void {
    const rng = vs.rng;
    vs.v = 0;
    switch (vs.goal) {
      case 'meet': {
        // at the meeting point: loiter with the partner until the meeting ends
        const m = this.meeting(vs.pair!, vs.meetingK);
        vs.phase = 'loitering';
        vs.arriveBy = 0;
        vs.holdUntil = Math.max(vs.time + 60_000, m.T + m.dur);
        vs.d = this.loiterD(vs, m.T, vs.time);
        break;
      }
      case 'berth':
        if (vs.lane.kind !== 'approach') {
          // the far end of a transit lane (or of a circuit): turn back (a pair vessel goes to its slot)
          this.setGoal(vs, vs.pair ? 'slot' : 'sea');
          break;
        }
        vs.phase = 'moored';
        vs.holdUntil = vs.time + (vs.pair ? rng.float(30, 60) : rng.float(40, 120)) * MIN;
        vs.anchorHeading = vs.path.bearing[vs.path.bearing.length - 1]!;
        vs.latTarget = 0;
        break;
      case 'slot':
        vs.phase = 'anchored';
        vs.anchorHeading = rng.float(0, 360);
        if (vs.pair) {
          // wait here for the next meeting
          const m = this.meeting(vs.pair, vs.meetingK);
          const travel = (Math.abs(vs.pair.dm - vs.d) / (0.8 * vs.vessel.cruiseKn * MS_PER_KNOT)) * 1000;
          vs.holdUntil = Math.max(vs.time + 5 * MIN, m.T - travel - 5 * MIN);
        } else vs.holdUntil = vs.time + rng.float(30, 120) * MIN;
        break;
      default:
        // back at the sea end: turn around and come in again
        this.setGoal(vs, 'berth');
        this.armDark(vs);
    }
    this.rescheduleVessel(vs);
  }

  private afterHold(vs: VesselState): void {
    if (vs.phase === 'moored') {
      this.setGoal(vs, vs.pair || vs.rng.chance(0.5) ? 'slot' : 'sea');
    } else if (vs.pair) {
      this.setGoal(vs, 'meet');
    } else if (vs.lane.kind === 'anchorage') {
      // shift to another free slot of the anchorage (or stay a while longer if there is none)
      const old = vs.slot;
      this.releaseSlot(vs);
      vs.legs++;
      if (this.takeSlot(vs) < 0 || vs.slot === old) {
        if (vs.slot < 0) vs.slot = old;
        vs.lane.slotOwner[vs.slot] = vs.idx;
        vs.holdUntil = vs.time + vs.rng.float(30, 90) * MIN;
        return;
      }
      this.setGoal(vs, 'slot');
    } else {
      this.releaseSlot(vs);
      this.setGoal(vs, 'berth');
      this.armDark(vs);
    }
    this.rescheduleVessel(vs);
  }

  private afterLoiter(vs: VesselState): void {
    vs.meetingK++;
    this.setGoal(vs, vs.role === 'a' ? 'berth' : 'slot');
    this.rescheduleVessel(vs);
  }

  private emitVessel(vs: VesselState): void {
    const t = vs.time;
    if (t >= vs.silentFrom && t < vs.silentUntil) return;
    const rng = vs.rng;
    const p = pointAt(vs.path, vs.d, vs.pt, vs.pt.seg);
    const g = vs.lane.kind === 'approach' ? (vs.berthD - vs.d) / 2000 : 1; // no offset at the berth
    const taper = g >= 1 ? 1 : g > 0 ? g : 0;
    let lat = vs.lat * taper;
    if (lat > MAX_LATERAL_M) lat = MAX_LATERAL_M;
    else if (lat < -MAX_LATERAL_M) lat = -MAX_LATERAL_M;
    const lane = vs.lane;
    if (lane.roomR && lat !== 0) {
      // stay at sea: no more offset than the lane has room for here (none on a berth leg)
      const room = lat > 0 ? lane.roomR : lane.roomL!;
      const i = vs.d / ROOM_STEP_M;
      const r = vs.d >= lane.L ? 0 : Math.min(room[Math.floor(i)]!, room[Math.min(room.length - 1, Math.ceil(i))]!);
      if (lat > r) lat = r;
      else if (lat < -r) lat = -r;
    }
    const e = p.nx * lat + rng.gaussian(0, 3);
    const n = p.ny * lat + rng.gaussian(0, 3);
    const lon = p.lon + e / metresPerDegLon(p.lat);
    const la = p.lat + n / metresPerDegLat(p.lat);
    let kn: number;
    let course: number;
    let heading: number;
    const along = vs.dir > 0 ? p.bearing : p.bearing + 180;
    switch (vs.phase) {
      case 'moving':
        kn = Math.max(0, vs.v / MS_PER_KNOT + rng.gaussian(0, 0.1));
        course = along + rng.gaussian(0, 1.5);
        heading = along + vs.headingBias + rng.gaussian(0, 0.7);
        break;
      case 'loitering': {
        const m = this.meeting(vs.pair!, vs.meetingK);
        const base = t > m.T ? 0.8 : 0.2;
        kn = Math.min(1.9, Math.max(0, base + rng.gaussian(0, 0.15)));
        course = p.bearing + rng.gaussian(0, 10);
        heading = p.bearing + vs.headingBias + rng.gaussian(0, 3);
        break;
      }
      case 'anchored':
        kn = rng.float(0, 0.5);
        heading = vs.anchorHeading + 25 * Math.sin((2 * Math.PI * t) / (45 * MIN));
        course = heading + rng.gaussian(0, 40);
        break;
      default:
        kn = rng.float(0, 0.1);
        heading = vs.anchorHeading;
        course = heading + rng.gaussian(0, 30);
    }
    this.emit({
      assetKey: vs.vessel.assetKey,
      kind: 'vessel',
      time: Math.round(t),
      lon,
      lat: la,
      speed: Math.round(kn * KMH_PER_KNOT * 10) / 10,
      course: (Math.round(normDeg(course) * 10) / 10) % 360,
      heading: Math.round(normDeg(heading)) % 360,
      source: 'sim',
      label: vs.vessel.name,
    });
  }
}
