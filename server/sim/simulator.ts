// The demo simulator: moves the fleet in wall-clock time and emits PositionReports.
//
// step(nowMs) advances every asset to nowMs (time-based, so irregular steps work) and emits, for each
// asset, every fix that fell due since the last step, stamped with its own fix time. Per asset and
// step the work is a few arithmetic operations; a fix costs one segment lookup and interpolation.
//
// Trucks: wait at the origin site until departure, drive the route (site 15–25 km/h within 800 m of
// a site, urban 30–50 km/h up to 8 km / 30 % from each end, expressway 70–100 km/h in between),
// random slow-downs (5–20 km/h, 2–8 min) and jams (< 3 km/h, 2–5 min) on the corridor, dwell at the
// destination 15–45 min, then run the route back as a new consignment. GPS fix every 10–30 s
// (per-truck base, jittered), gaussian noise of 10–30 m RMS (per truck), course ± 2°.
// Scripted trucks (every run of theirs plays the script, with fresh timings, within the first 60 km):
// 'deviate' leaves the road sideways to 1–5 km off (≥ corridor + 600 m) for ~5–15 min and rejoins;
// 'stop' stands 15–40 min mid-route outside any site; 'silent' stops reporting for 10–30 min while
// driving on; 'wrongSite' drives into another site (one within 15 km of its route, else along the
// shortest other route from its origin, else one within 30 km, else back to its origin), dwells
// 20–40 min, then returns and finishes the run; 'late' drives slowly enough to
// arrive 20–60 min after the deadline.
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
import type { World } from './world/types';
import {
  SITE_ZONE_M,
  indexWorld,
  planRun,
  truckNominalDurationMs,
  urbanZoneM,
  type Fleet,
  type LaneInfo,
  type RouteInfo,
  type Truck,
  type TruckRun,
  type Vessel,
  type WorldIndex,
} from './fleet';
import {
  makePath,
  metresPerDegLat,
  metresPerDegLon,
  nearestOnPath,
  newPathPoint,
  normDeg,
  pointAt,
  pointAtOffset,
  pointInRing,
  subCoords,
  type Path,
  type PathPoint,
} from './geometry';
import { Rng, hashSeed } from './random';

export const KNOT_MS = 1852 / 3600; // m/s per knot
export const KNOT_KMH = 1.852;
const MIN = 60_000;
const MAX_SUBSTEP_MS = 5000;
/** Runs kept in truck.runs (older ones are dropped, so that a long-running demo does not grow). */
export const KEEP_RUNS = 20;
/** Scripted truck episodes happen within this distance of the run's start (so they show within about an hour). */
const EPISODE_WITHIN_M = 60_000;
/** The shortest interval between two reports of one vessel (caps AIS's 2 s class A rate). */
export const VESSEL_MIN_INTERVAL_MS = 5000;
/** The largest lateral offset of a vessel from its lane's centre line (with ~3 m AIS noise: ≤ 300 m). */
export const MAX_LATERAL_M = 280;

export interface SimulatorOptions {
  seed?: number;
  /** A truck's next run was planned (appended to truck.runs); its departure lies ahead (arrival + dwell). */
  onRunPlanned?: (truck: Truck, run: TruckRun) => void;
  /** A truck left its origin on a run (also the fleet's run 0 when it departs after the first step). */
  onRunStart?: (truck: Truck, run: TruckRun, timeMs: number) => void;
  /** A truck reached the end of its run path inside the destination site. */
  onRunEnd?: (truck: Truck, run: TruckRun, timeMs: number) => void;
  /**
   * A land test (e.g. `loadCoast().isLand` from world/coast.ts). With it, vessels' lateral offsets are
   * clamped lane by lane so that they stay at sea, anchorage slots on land are dropped, and berths whose
   * final leg stays at sea are preferred. Without it offsets only taper to 0 over the last 2 km.
   */
  isLand?: (p: LonLat) => boolean;
}

// ───────────────────────────── trucks ─────────────────────────────

const T_WAIT = 0; // at the origin, before departure
const T_DRIVE = 1;
const T_HOLD = 2; // a scripted stop mid-run (unscheduled stop, wrong site)

interface RunPlan {
  path: Path;
  urbanM: number;
  /** Distance along the path of the wrong site's centre (a site-speed zone), or -1. */
  apexS: number;
  /** Scripted holds along the path, in order. */
  holds: Array<{ s: number; ms: number }>;
  detourFrom: number;
  detourTo: number;
  silentAtS: number;
  silentMs: number;
  /** < 1 for a 'late' truck. */
  speedFactor: number;
}

interface TruckState {
  truck: Truck;
  rng: Rng;
  run: TruckRun;
  plan: RunPlan;
  phase: number;
  time: number;
  s: number;
  v: number; // m/s
  holdUntil: number;
  holdIdx: number;
  pt: PathPoint;
  nextFix: number;
  lastCourse: number;
  silentFrom: number;
  silentUntil: number;
  silentArmed: boolean;
  traffic: number; // 0 none, 1 slow-down, 2 jam
  trafficUntil: number;
  trafficMs: number; // target speed m/s in the episode
  nextTrafficAt: number;
  mood: number;
  moodUntil: number;
  noiseMax: number;
  /** The run the truck was on at the first step (no onRunStart for it if it had already left). */
  firstRun: TruckRun;
}

// ───────────────────────────── vessels ─────────────────────────────

const V_MOVE = 0;
const V_MOORED = 1;
const V_ANCHORED = 2;
const V_LOITER = 3;

// where a moving vessel is going
const G_BERTH = 0;
const G_SLOT = 1; // an anchorage slot
const G_SEA = 2; // the sea end of the lane, then turn and come in again
const G_MEET = 3; // a rendezvous

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

interface PairState {
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
  phase: number;
  goal: number;
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
  pair: PairState | null;
  role: number; // 0 = a (goes on to port), 1 = b (turns back to sea)
  meetingK: number;
}

export class Simulator {
  private readonly idx: WorldIndex;
  private readonly seed: number;
  private readonly trucks: TruckState[] = [];
  private readonly vessels: VesselState[] = [];
  private readonly lanes = new Map<string, LaneState>();
  private readonly siteRings: LonLat[][];
  private started = false;
  private lastNow = 0;
  private t0 = 0;

  constructor(
    private readonly world: World,
    private readonly fleet: Fleet,
    private readonly emit: (r: PositionReport) => void,
    private readonly opts: SimulatorOptions = {},
  ) {
    this.idx = indexWorld(world);
    this.seed = opts.seed ?? fleet.seed;
    this.siteRings = world.sites.map((s) => s.area);
  }

  /** Advances every asset to nowMs and emits the reports that fell due (each stamped with its own time). */
  step(nowMs: number): void {
    if (!this.started) {
      this.start(nowMs);
      return;
    }
    if (!(nowMs > this.lastNow)) return;
    this.lastNow = nowMs;
    for (let i = 0; i < this.trucks.length; i++) {
      const ts = this.trucks[i];
      while (ts.nextFix <= nowMs) {
        this.advanceTruck(ts, ts.nextFix);
        this.emitTruck(ts);
        ts.nextFix += this.truckInterval(ts);
      }
      this.advanceTruck(ts, nowMs);
    }
    for (let i = 0; i < this.vessels.length; i++) {
      const vs = this.vessels[i];
      while (vs.nextFix <= nowMs) {
        this.advanceVessel(vs, vs.nextFix);
        this.emitVessel(vs);
        vs.nextFix += this.vesselInterval(vs);
      }
      this.advanceVessel(vs, nowMs);
    }
  }

  /** Number of assets being simulated. */
  get size(): number {
    return this.trucks.length + this.vessels.length;
  }

  // ───────────── start ─────────────

  private start(t0: number): void {
    this.started = true;
    this.lastNow = t0;
    this.t0 = t0;
    this.fleet.trucks.forEach((truck, i) => {
      const ts = this.initTruck(truck, i, t0);
      this.trucks.push(ts);
    });
    // the rendezvous pairs first, so that they hold their anchorage slots before anyone else anchors
    const states: Array<VesselState | null> = new Array(this.fleet.vessels.length).fill(null);
    const index = new Map(this.fleet.vessels.map((v, i) => [v.id, i]));
    this.fleet.rendezvous.forEach((p, k) => {
      const ia = index.get(p.a);
      const ib = index.get(p.b);
      if (ia === undefined || ib === undefined) return;
      const a = (states[ia] = this.initVessel(this.fleet.vessels[ia], ia, t0));
      const b = (states[ib] = this.initVessel(this.fleet.vessels[ib], ib, t0));
      if (a && b && a.lane === b.lane) this.initPair(a, b, k, t0);
    });
    this.fleet.vessels.forEach((vessel, i) => {
      if (!states[i]) states[i] = this.initVessel(vessel, i, t0);
    });
    for (const vs of states) if (vs) this.vessels.push(vs);
  }

  // ───────────── trucks ─────────────

  private routeOf(truck: Truck): RouteInfo {
    const r = this.idx.routes.get(truck.routeCode);
    if (!r) throw new Error(`simulator: no route ${truck.routeCode}`);
    return r;
  }

  private initTruck(truck: Truck, i: number, t0: number): TruckState {
    const rng = new Rng(hashSeed(this.seed, 0x7c, i));
    const run = truck.runs[truck.runs.length - 1] ?? planRun(this.world, this.fleet.seed, truck, 0, t0, false);
    if (truck.runs.length === 0) truck.runs.push(run);
    const noiseMax = Math.min(2.5 * truck.gpsNoiseM, 0.4 * this.routeOf(truck).seed.corridorM);
    const ts: TruckState = {
      truck,
      rng,
      run,
      plan: undefined as unknown as RunPlan,
      phase: T_WAIT,
      time: Math.min(t0, run.departure),
      s: 0,
      v: 0,
      holdUntil: 0,
      holdIdx: 0,
      pt: newPathPoint(),
      nextFix: 0,
      lastCourse: 0,
      silentFrom: 0,
      silentUntil: 0,
      silentArmed: false,
      traffic: 0,
      trafficUntil: 0,
      trafficMs: 0,
      nextTrafficAt: 0,
      mood: 1,
      moodUntil: 0,
      noiseMax,
      firstRun: run,
    };
    this.setRun(ts, run);
    ts.nextTrafficAt = ts.time + rng.exponential(35 * MIN);
    const p = pointAt(ts.plan.path, 0, ts.pt);
    ts.lastCourse = p.bearing;
    // Warm up: a truck that left before t0 is driven (silently) to where it is at t0.
    this.advanceTruck(ts, t0);
    ts.nextFix = Math.round(t0 + rng.float(0, truck.fixIntervalS * 1000));
    return ts;
  }

  /** Makes `run` the truck's current run: builds its path with the scripted episode, if any. */
  private setRun(ts: TruckState, run: TruckRun): void {
    ts.run = run;
    ts.plan = this.planPath(ts, run);
    ts.phase = T_WAIT;
    ts.s = 0;
    ts.v = 0;
    ts.holdIdx = 0;
    ts.silentArmed = ts.plan.silentAtS >= 0;
  }

  private planPath(ts: TruckState, run: TruckRun): RunPlan {
    const route = this.routeOf(ts.truck);
    const base = run.reversed ? route.rev : route.fwd;
    const L = base.length;
    const rng = ts.rng;
    const plan: RunPlan = {
      path: base,
      urbanM: urbanZoneM(L),
      apexS: -1,
      holds: [],
      detourFrom: -1,
      detourTo: -1,
      silentAtS: -1,
      silentMs: 0,
      speedFactor: 1,
    };
    const corridor = route.seed.corridorM;
    switch (run.script) {
      case 'deviate': {
        // Leave the road to one side, 1–5 km away from it (at least 600 m beyond the corridor), for
        // about 5–15 min at urban speed, then come back. Ramps out and in cover D/2 along the route.
        const v = ts.truck.urbanKmh / 3.6;
        const outside = v * rng.float(5, 15) * 60; // metres driven outside the corridor
        const RAMP = Math.sqrt(1.25); // ramp length / D
        let D = Math.max(rng.float(1000, 5000), corridor + 600);
        if (outside - 2 * RAMP * (D - corridor) < 300) D = Math.max(corridor + 600, corridor + (outside - 300) / (2 * RAMP));
        let span = Math.max(300, outside - 2 * RAMP * (D - corridor));
        const maxAlong = 0.6 * L;
        if (D + span > maxAlong) {
          D = Math.max(corridor + 600, Math.min(D, maxAlong / 2));
          span = Math.max(300, maxAlong - D);
        }
        const total = D + span; // along the route: ramp D/2, parallel span, ramp D/2
        const s0 = Math.max(SITE_ZONE_M * 2, rng.float(0.2, 0.8) * Math.min(L - total, EPISODE_WITHIN_M));
        const side = rng.chance(0.5) ? 1 : -1;
        const head = subCoords(base, 0, s0); // ends at the point where it leaves the road
        const mid: LonLat[] = []; // a parallel way D metres to one side
        for (let x = s0 + D / 2; ; x += 400) {
          const xx = Math.min(x, s0 + D / 2 + span);
          mid.push(pointAtOffset(base, xx, side * D));
          if (xx >= s0 + D / 2 + span) break;
        }
        const tail = subCoords(base, s0 + total, L); // starts where it rejoins
        plan.path = makePath([...head, ...mid, ...tail]);
        plan.detourFrom = makePath(head).length;
        plan.detourTo = makePath([...head, ...mid, tail[0]]).length;
        break;
      }
      case 'stop': {
        // Stop 15–40 min mid-route, outside any site.
        let s = 0;
        for (let k = 0; k < 20; k++) {
          s = rng.float(0.3, 0.7) * Math.min(L, EPISODE_WITHIN_M);
          const p = pointAt(base, s);
          if (!this.insideSite([p.lon, p.lat])) break;
        }
        plan.holds.push({ s, ms: rng.float(15, 40) * MIN });
        break;
      }
      case 'silent':
        plan.silentAtS = rng.float(0.2, 0.6) * Math.min(L, EPISODE_WITHIN_M);
        plan.silentMs = rng.float(10, 30) * MIN;
        break;
      case 'wrongSite': {
        // Go into another site, dwell 20–40 min there, come back and finish the run. The site, in order
        // of preference: one within 15 km of the route (a straight detour from the nearest point of the
        // route); the far end of the shortest other approved route (≤ 80 km) from the run's origin (out and
        // back along that route first); one within 30 km of the route; else back to the origin.
        const holdMs = rng.float(20, 40) * MIN;
        const near = this.otherSite(base, run, 15_000);
        const road = near ? null : this.otherRouteFrom(run, 80_000);
        const far = near || road ? null : this.otherSite(base, run, 30_000);
        const spike = near ?? far;
        if (spike) {
          const sp = Math.max(1, Math.min(L - 1, spike.along));
          const head = subCoords(base, 0, sp);
          plan.path = makePath([...head, spike.centroid, ...subCoords(base, sp, L)]);
          plan.apexS = makePath([...head, spike.centroid]).length;
        } else if (road) {
          plan.path = makePath([...road.coords, ...[...road.coords].reverse().slice(1), ...base.coords.slice(1)]);
          plan.apexS = road.length;
        } else {
          const sp = 0.6 * L;
          const head = subCoords(base, 0, sp);
          const back = [...head].reverse();
          plan.path = makePath([...head, ...back.slice(1), ...subCoords(base, 0, L).slice(1)]);
          plan.apexS = makePath([...head, ...back.slice(1)]).length;
        }
        plan.holds.push({ s: plan.apexS, ms: holdMs });
        break;
      }
      case 'late': {
        // Slow enough to reach the destination 20–60 min after the deadline.
        const nominal = truckNominalDurationMs(ts.truck, L);
        const want = run.deadline - run.departure + rng.float(20, 60) * MIN;
        plan.speedFactor = Math.max(0.12, Math.min(0.75, nominal / want));
        break;
      }
      default:
        break;
    }
    return plan;
  }

  private insideSite(p: LonLat): boolean {
    for (const ring of this.siteRings) if (pointInRing(p, ring)) return true;
    return false;
  }

  /** The site (other than the run's ends) nearest to the path, within maxM of it and not at its ends. */
  private otherSite(base: Path, run: TruckRun, maxM: number): { centroid: LonLat; along: number } | null {
    let best: { centroid: LonLat; along: number; d: number } | null = null;
    for (const site of this.idx.sites.values()) {
      if (site.seed.code === run.originSite || site.seed.code === run.destSite) continue;
      const n = nearestOnPath(base, site.centroid);
      if (n.distance > maxM) continue;
      if (n.along < SITE_ZONE_M || n.along > base.length - SITE_ZONE_M) continue;
      if (!best || n.distance < best.d) best = { centroid: site.centroid, along: n.along, d: n.distance };
    }
    return best;
  }

  /** The shortest other approved route leaving the run's origin (travelled from there) to a third site. */
  private otherRouteFrom(run: TruckRun, maxM: number): Path | null {
    let best: Path | null = null;
    for (const r of this.idx.routes.values()) {
      const { from, to } = r.seed;
      const fromOrigin = from === run.originSite ? r.fwd : to === run.originSite ? r.rev : null;
      const other = from === run.originSite ? to : from;
      if (!fromOrigin || other === run.destSite || other === run.originSite) continue;
      if (fromOrigin.length <= maxM && (!best || fromOrigin.length < best.length)) best = fromOrigin;
    }
    return best;
  }

  private truckInterval(ts: TruckState): number {
    const base = ts.truck.fixIntervalS;
    let s = base + ts.rng.gaussian(0, 1.5);
    if (s < 10) s = 10;
    else if (s > 30) s = 30;
    return Math.round(s * 1000);
  }

  private advanceTruck(ts: TruckState, t: number): void {
    let guard = 0;
    while (ts.time < t && guard++ < 100_000) {
      const dt = Math.min(t - ts.time, MAX_SUBSTEP_MS);
      switch (ts.phase) {
        case T_WAIT:
          if (ts.time + dt >= ts.run.departure) {
            ts.time = Math.max(ts.time, ts.run.departure);
            ts.phase = T_DRIVE;
            ts.v = 0;
            // not for the fleet's run that had already left before the first step
            if (ts.run !== ts.firstRun || ts.run.departure >= this.t0) this.opts.onRunStart?.(ts.truck, ts.run, ts.time);
          } else ts.time += dt;
          break;
        case T_HOLD:
          if (ts.time + dt >= ts.holdUntil) {
            ts.time = ts.holdUntil;
            ts.phase = T_DRIVE;
          } else ts.time += dt;
          break;
        default:
          this.driveTruck(ts, dt);
      }
    }
  }

  private driveTruck(ts: TruckState, dt: number): void {
    const plan = ts.plan;
    const truck = ts.truck;
    const rng = ts.rng;
    const L = plan.path.length;
    const s = ts.s;
    const t = ts.time;
    if (t >= ts.moodUntil) {
      ts.mood = rng.float(0.9, 1.07);
      ts.moodUntil = t + rng.float(1, 4) * MIN;
    }
    let m = s < L - s ? s : L - s;
    if (plan.apexS >= 0) {
      const a = s > plan.apexS ? s - plan.apexS : plan.apexS - s;
      if (a < m) m = a;
    }
    const inDetour = s >= plan.detourFrom && s <= plan.detourTo;
    let kmh = inDetour ? truck.urbanKmh : m < SITE_ZONE_M ? truck.siteKmh : m < plan.urbanM ? truck.urbanKmh : truck.cruiseKmh;
    kmh *= ts.mood;
    if (plan.speedFactor < 1) kmh = Math.max(7, kmh * plan.speedFactor);
    // traffic episodes, on the road between the site zones
    if (ts.traffic !== 0 && t >= ts.trafficUntil) ts.traffic = 0;
    if (ts.traffic === 0 && t >= ts.nextTrafficAt) {
      if (m > 1.5 * SITE_ZONE_M && !inDetour) {
        if (rng.chance(0.2)) {
          ts.traffic = 2;
          ts.trafficMs = rng.float(0.5, 2.5) / 3.6;
          ts.trafficUntil = t + rng.float(2, 5) * MIN;
        } else {
          ts.traffic = 1;
          ts.trafficMs = rng.float(5, 20) / 3.6;
          ts.trafficUntil = t + rng.float(2, 8) * MIN;
        }
      }
      // the next one comes after this one (if any) is over
      ts.nextTrafficAt = (ts.traffic !== 0 ? ts.trafficUntil + 5 * MIN : t) + rng.exponential(35 * MIN);
    }
    let vt = kmh / 3.6;
    if (ts.traffic !== 0 && ts.trafficMs < vt) vt = ts.trafficMs;
    // brake for the next stop point (a scripted hold or the end of the path)
    const hold = ts.holdIdx < plan.holds.length ? plan.holds[ts.holdIdx] : null;
    const stopS = hold ? hold.s : L;
    const gap = stopS - s;
    const vb = Math.sqrt(2 * 0.8 * (gap > 0 ? gap : 0)) + 0.4;
    if (vb < vt) vt = vb;
    const dts = dt / 1000;
    const v0 = ts.v;
    let dv = vt - v0;
    if (dv > 0.8 * dts) dv = 0.8 * dts;
    else if (dv < -1.5 * dts) dv = -1.5 * dts;
    const v1 = v0 + dv;
    const ds = ((v0 + v1) / 2) * dts;
    if (s + ds >= stopS) {
      const used = ds > 0 ? (dt * (stopS - s)) / ds : 0;
      ts.time = t + used;
      ts.s = stopS;
      ts.v = 0;
      if (hold) {
        ts.phase = T_HOLD;
        ts.holdUntil = ts.time + hold.ms;
        ts.holdIdx++;
      } else this.arrive(ts);
    } else {
      ts.s = s + ds;
      ts.v = v1;
      ts.time = t + dt;
    }
    if (ts.silentArmed && ts.s >= plan.silentAtS) {
      ts.silentArmed = false;
      ts.silentFrom = ts.time;
      ts.silentUntil = ts.time + plan.silentMs;
    }
  }

  private arrive(ts: TruckState): void {
    const truck = ts.truck;
    const done = ts.run;
    this.opts.onRunEnd?.(truck, done, ts.time);
    const departure = ts.time + ts.rng.float(15, 45) * MIN;
    const next = planRun(this.world, this.fleet.seed, truck, done.runNo + 1, departure, !done.reversed);
    truck.runs.push(next);
    if (truck.runs.length > KEEP_RUNS) truck.runs.splice(0, truck.runs.length - KEEP_RUNS);
    this.opts.onRunPlanned?.(truck, next);
    this.setRun(ts, next); // waits at s = 0 of the reverse path: the same spot
  }

  private emitTruck(ts: TruckState): void {
    const t = ts.time;
    if (t >= ts.silentFrom && t < ts.silentUntil) return;
    const rng = ts.rng;
    const p = pointAt(ts.plan.path, ts.s, ts.pt, ts.pt.seg);
    // gaussian GPS noise, RMS radial = gpsNoiseM, clamped
    const sd = ts.truck.gpsNoiseM / Math.SQRT2;
    let e = rng.gaussian(0, sd);
    let n = rng.gaussian(0, sd);
    const r = Math.hypot(e, n);
    if (r > ts.noiseMax) {
      e *= ts.noiseMax / r;
      n *= ts.noiseMax / r;
    }
    const lon = p.lon + e / metresPerDegLon(p.lat);
    const lat = p.lat + n / metresPerDegLat(p.lat);
    let speed = 0;
    if (ts.v > 0.3) {
      speed = ts.v * 3.6 + rng.gaussian(0, 0.8);
      if (speed < 0) speed = 0;
      ts.lastCourse = normDeg(p.bearing + rng.gaussian(0, 2));
    }
    this.emit({
      assetKey: ts.truck.assetKey,
      kind: 'vehicle',
      time: Math.round(t),
      lon,
      lat,
      speed: Math.round(speed * 10) / 10,
      course: Math.round(ts.lastCourse * 10) / 10 % 360,
      source: 'sim',
      label: ts.truck.plate,
    });
  }

  // ───────────── vessels ─────────────

  private laneState(code: string): LaneState | null {
    const hit = this.lanes.get(code);
    if (hit) return hit;
    const info = this.idx.lanes.get(code);
    if (!info) return null;
    const kind = info.seed.kind ?? 'approach';
    const path = info.path;
    const L = path.length;
    const { roomR, roomL } = this.laneRoom(path);
    const room = (r: Float32Array | null, d: number) => (r ? Math.min(r[Math.floor(d / ROOM_STEP_M)], r[Math.ceil(d / ROOM_STEP_M)]) : Infinity);
    const slotD: number[] = [];
    const slotLat: number[] = [];
    // anchorage circuits: slots all round; other lanes: in the first 35 % (at most 17 km) from the sea end.
    // Two rows ±270 m, or one on the centre line where there is no room for both.
    const [from, to] = kind === 'anchorage' ? [300, L - 300] : [300, Math.min(0.35 * L, 17_000)];
    for (let d = from; d <= to; d += SLOT_SPACING_M) {
      const r = room(roomR, d) >= SLOT_LATERAL_M;
      const l = room(roomL, d) >= SLOT_LATERAL_M;
      if (r) slotD.push(d), slotLat.push(SLOT_LATERAL_M);
      if (l) slotD.push(d), slotLat.push(-SLOT_LATERAL_M);
      if (!r && !l && (!this.opts.isLand || !this.opts.isLand(pointAtOffset(path, d, 0)))) slotD.push(d), slotLat.push(0);
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
    const raw = [new Float32Array(n), new Float32Array(n)];
    const q = newPathPoint();
    for (let i = 0; i < n; i++) {
      pointAt(path, Math.min(path.length, i * ROOM_STEP_M), q, q.seg);
      if (isLand([q.lon, q.lat])) continue; // no room
      for (let side = 0; side < 2; side++) {
        const sg = side === 0 ? 1 : -1;
        for (const off of ROOM_TRIES) {
          const at = (m: number): LonLat => [q.lon + (sg * q.nx * m) / metresPerDegLon(q.lat), q.lat + (sg * q.ny * m) / metresPerDegLat(q.lat)];
          if (!isLand(at(off)) && !isLand(at(off / 2))) {
            raw[side][i] = off;
            break;
          }
        }
      }
    }
    // conservative: the least room of a sample and its neighbours
    const [roomR, roomL] = raw.map((r) => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.min(r[i], r[Math.max(0, i - 1)], r[Math.min(n - 1, i + 1)]);
      return out;
    });
    return { roomR, roomL };
  }

  /**
   * Berths of an approach lane. The lane ends in the water within ~500 m of its terminal; each berth is
   * a point 40 m inside the terminal's polygon on its boundary nearest to the lane's end, or 200, 400,
   * 600 m along the boundary either way (within 1 km of the lane's end), reached by a straight final leg.
   */
  private berthPaths(info: LaneInfo): Path[] {
    const end = info.seed.path[info.seed.path.length - 1];
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
      if (lane.slotOwner[j] < 0) {
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
    const path = lane.berths[i % lane.berths.length];
    const L = path.length;
    const vs: VesselState = {
      vessel,
      idx: i,
      rng,
      lane,
      path,
      phase: V_MOVE,
      goal: G_BERTH,
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
      role: 0,
      meetingK: 0,
    };
    let state = vessel.script ? 'underway' : lane.kind === 'anchorage' ? 'anchored' : lane.kind === 'transit' ? 'underway' : vessel.startState;
    if (state === 'anchored' && this.takeSlot(vs) < 0) state = 'underway';
    switch (state) {
      case 'moored':
        vs.phase = V_MOORED;
        vs.d = vs.berthD;
        vs.holdUntil = t0 + rng.float(10, 90) * MIN;
        vs.anchorHeading = path.bearing[path.bearing.length - 1];
        break;
      case 'anchored':
        vs.phase = V_ANCHORED;
        vs.d = lane.slotD[vs.slot];
        vs.lat = vs.latTarget = lane.slotLat[vs.slot];
        vs.holdUntil = t0 + rng.float(10, 90) * MIN;
        break;
      default: {
        vs.d = Math.min(vessel.startFraction * lane.L, L - 100);
        if (vessel.direction === 'inbound' || vessel.script) {
          this.setGoal(vs, G_BERTH);
          vs.lat = vs.latTarget;
          this.armDark(vs);
        } else {
          this.setGoal(vs, lane.kind === 'approach' && rng.chance(0.5) ? G_SLOT : G_SEA);
          if (vs.goal === G_SLOT && vs.targetD >= vs.d) {
            this.releaseSlot(vs);
            this.setGoal(vs, G_SEA);
          }
          vs.lat = vs.latTarget;
        }
        vs.v = this.profileKn(vs, vs.d) * KNOT_MS;
      }
    }
    vs.nextFix = Math.round(t0 + rng.float(0, this.vesselInterval(vs)));
    return vs;
  }

  /** Sets where a moving vessel goes next (G_SLOT falls back to G_SEA when the anchorage is full). */
  private setGoal(vs: VesselState, goal: number): void {
    const lane = vs.lane;
    vs.legs++;
    if (goal === G_SLOT && this.takeSlot(vs) < 0) goal = G_SEA;
    vs.phase = V_MOVE;
    vs.goal = goal;
    vs.arriveBy = 0;
    switch (goal) {
      case G_BERTH:
        vs.targetD = vs.berthD;
        vs.latTarget = vs.rng.float(60, MAX_LATERAL_M);
        break;
      case G_SLOT:
        vs.targetD = lane.slotD[vs.slot];
        vs.latTarget = lane.slotLat[vs.slot];
        break;
      case G_SEA:
        vs.targetD = 0;
        vs.latTarget = -vs.rng.float(60, MAX_LATERAL_M);
        break;
      default: {
        const pair = vs.pair!;
        vs.targetD = pair.dm;
        vs.arriveBy = this.meeting(pair, vs.meetingK).T;
        vs.latTarget = vs.role === 0 ? 100 : -100;
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
    for (let d = a; d < b; d += 250) ms += (Math.min(250, b - d) / (this.profileKn(vs, d) * KNOT_MS)) * 1000;
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
    const pair: PairState = { lane, rng, dm, meetings: [], periodMs: 0 };
    for (const [vs, role] of [[a, 0], [b, 1]] as const) {
      this.releaseSlot(vs);
      vs.lane = lane;
      vs.path = lane.berths[0];
      vs.berthD = vs.path.length;
      vs.pair = pair; // from here on the slot is the vessel's own
      vs.role = role;
      vs.meetingK = 0;
      vs.darkAtD = -1;
      this.takeSlot(vs);
    }
    const slotD = (vs: VesselState) => (vs.slot >= 0 ? lane.slotD[vs.slot] : 0);
    const ka = a.vessel.cruiseKn * KNOT_MS;
    const cycleA =
      this.profileDurationMs(a, dm, a.berthD) + 60 * MIN + this.profileDurationMs(a, slotD(a), a.berthD) + (Math.abs(dm - slotD(a)) / (0.8 * ka)) * 1000;
    const cycleB = ((2 * Math.abs(dm - slotD(b))) / (0.8 * b.vessel.cruiseKn * KNOT_MS)) * 1000;
    pair.periodMs = 1.25 * Math.max(cycleA, cycleB) + 40 * MIN;
    pair.meetings.push({ T: t0 + rng.float(20, 40) * MIN, dur: rng.float(20, 30) * MIN });
    for (const vs of [a, b]) {
      const T = pair.meetings[0].T;
      const reach = 0.8 * vs.vessel.cruiseKn * KNOT_MS * ((T - t0) / 1000);
      vs.d = Math.max(0, dm - reach);
      this.setGoal(vs, G_MEET);
      vs.lat = vs.latTarget;
      vs.v = Math.min(vs.vessel.cruiseKn * KNOT_MS, (dm - vs.d) / Math.max(1, (T - t0) / 1000));
      vs.nextFix = Math.round(t0 + rng.float(0, this.vesselInterval(vs)));
    }
  }

  private meeting(pair: PairState, k: number): { T: number; dur: number } {
    while (pair.meetings.length <= k) {
      const last = pair.meetings[pair.meetings.length - 1];
      pair.meetings.push({ T: last.T + last.dur + pair.periodMs + pair.rng.float(10, 60) * MIN, dur: pair.rng.float(20, 30) * MIN });
    }
    return pair.meetings[k];
  }

  private vesselInterval(vs: VesselState): number {
    let ms: number;
    const kn = vs.phase === V_MOVE ? vs.v / KNOT_MS : vs.phase === V_LOITER ? 1 : 0;
    if (vs.vessel.cls === 'A') {
      if (vs.phase === V_MOORED || vs.phase === V_ANCHORED) ms = 180_000;
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
        case V_MOVE:
          this.moveVessel(vs, dt);
          break;
        case V_LOITER: {
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
    return Math.min(vs.lane.L - 2000, dm + (t > T ? ((t - T) / 1000) * 0.8 * KNOT_MS : 0));
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
    const cruise = vs.vessel.cruiseKn * KNOT_MS;
    if (vs.arriveBy) {
      const left = (vs.arriveBy - t) / 1000;
      vt = left > 1 ? gap / left : 1.2 * cruise;
      if (vt < 2.5 * KNOT_MS) vt = 2.5 * KNOT_MS;
      if (vt > 1.2 * cruise) vt = 1.2 * cruise;
    } else {
      vt = this.profileKn(vs, vs.d) * KNOT_MS;
      if (vs.goal !== G_SEA) {
        const vb = Math.max(2.5 * KNOT_MS, gap / 300); // ≥ 5 min from the stop at this speed
        if (vb < vt) vt = vb;
      }
    }
    const dts = dt / 1000;
    const k = dts / 90 > 1 ? 1 : dts / 90; // ships change speed slowly
    vs.v += (vt - vs.v) * k;
    if (vs.v < 0.5 * KNOT_MS && vt > vs.v) vs.v = Math.min(vt, vs.v + 0.05 * dts);
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
      case G_MEET: {
        // at the meeting point: loiter with the partner until the meeting ends
        const m = this.meeting(vs.pair!, vs.meetingK);
        vs.phase = V_LOITER;
        vs.arriveBy = 0;
        vs.holdUntil = Math.max(vs.time + 60_000, m.T + m.dur);
        vs.d = this.loiterD(vs, m.T, vs.time);
        break;
      }
      case G_BERTH:
        if (vs.lane.kind !== 'approach') {
          // the far end of a transit lane (or of a circuit): turn back (a pair vessel goes to its slot)
          this.setGoal(vs, vs.pair ? G_SLOT : G_SEA);
          break;
        }
        vs.phase = V_MOORED;
        vs.holdUntil = vs.time + (vs.pair ? rng.float(30, 60) : rng.float(40, 120)) * MIN;
        vs.anchorHeading = vs.path.bearing[vs.path.bearing.length - 1];
        vs.latTarget = 0;
        break;
      case G_SLOT:
        vs.phase = V_ANCHORED;
        vs.anchorHeading = rng.float(0, 360);
        if (vs.pair) {
          // wait here for the next meeting
          const m = this.meeting(vs.pair, vs.meetingK);
          const travel = (Math.abs(vs.pair.dm - vs.d) / (0.8 * vs.vessel.cruiseKn * KNOT_MS)) * 1000;
          vs.holdUntil = Math.max(vs.time + 5 * MIN, m.T - travel - 5 * MIN);
        } else vs.holdUntil = vs.time + rng.float(30, 120) * MIN;
        break;
      default:
        // back at the sea end: turn around and come in again
        this.setGoal(vs, G_BERTH);
        this.armDark(vs);
    }
    this.rescheduleVessel(vs);
  }

  private afterHold(vs: VesselState): void {
    if (vs.phase === V_MOORED) {
      this.setGoal(vs, vs.pair || vs.rng.chance(0.5) ? G_SLOT : G_SEA);
    } else if (vs.pair) {
      this.setGoal(vs, G_MEET);
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
      this.setGoal(vs, G_SLOT);
    } else {
      this.releaseSlot(vs);
      this.setGoal(vs, G_BERTH);
      this.armDark(vs);
    }
    this.rescheduleVessel(vs);
  }

  private afterLoiter(vs: VesselState): void {
    vs.meetingK++;
    this.setGoal(vs, vs.role === 0 ? G_BERTH : G_SLOT);
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
      const r = vs.d >= lane.L ? 0 : Math.min(room[Math.floor(i)], room[Math.min(room.length - 1, Math.ceil(i))]);
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
      case V_MOVE:
        kn = Math.max(0, vs.v / KNOT_MS + rng.gaussian(0, 0.1));
        course = along + rng.gaussian(0, 1.5);
        heading = along + vs.headingBias + rng.gaussian(0, 0.7);
        break;
      case V_LOITER: {
        const m = this.meeting(vs.pair!, vs.meetingK);
        const base = t > m.T ? 0.8 : 0.2;
        kn = Math.min(1.9, Math.max(0, base + rng.gaussian(0, 0.15)));
        course = p.bearing + rng.gaussian(0, 10);
        heading = p.bearing + vs.headingBias + rng.gaussian(0, 3);
        break;
      }
      case V_ANCHORED:
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
      speed: Math.round(kn * KNOT_KMH * 10) / 10,
      course: (Math.round(normDeg(course) * 10) / 10) % 360,
      heading: Math.round(normDeg(heading)) % 360,
      source: 'sim',
      label: vs.vessel.name,
    });
  }
}

/**
 * Runs a simulator over [fromMs, toMs] in steps of stepMs and yields its reports in emission order
 * (per step: trucks, then vessels; each report stamped with its own fix time). For tests and replay.
 * Runs appended to the fleet's trucks stay there (the fleet is shared, as with Simulator).
 */
export function* simulatorReports(
  world: World,
  fleet: Fleet,
  fromMs: number,
  toMs: number,
  stepMs = 1000,
  opts: SimulatorOptions = {},
): Generator<PositionReport> {
  const buf: PositionReport[] = [];
  const sim = new Simulator(world, fleet, (r) => buf.push(r), opts);
  for (let t = fromMs; t <= toMs; t += stepMs) {
    sim.step(t);
    for (const r of buf) yield r;
    buf.length = 0;
  }
}
