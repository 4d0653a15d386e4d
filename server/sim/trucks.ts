// The simulated trucks of the demo fleet (see simulator.ts for the clock they run on).
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
import type { LonLat, PositionReport } from '../../lib/domain';
import { kmhToMs, msToKmh } from '../../lib/units';
import type { World } from './world/types';
import { SITE_ZONE_M, planRun, truckNominalDurationMs, urbanZoneM, type Fleet, type RouteInfo, type Truck, type TruckRun, type WorldIndex } from './fleet';
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
import { MAX_SUBSTEP_MS, MIN, type SimulatorOptions } from './simOptions';

/** Runs kept in truck.runs (older ones are dropped, so that a long-running demo does not grow). */
export const KEEP_RUNS = 20;
/** Scripted truck episodes happen within this distance of the run's start (so they show within about an hour). */
const EPISODE_WITHIN_M = 60_000;

/** Waiting at the origin before departure, driving, or holding at a scripted stop mid-run (unscheduled stop, wrong site). */
type TruckPhase = 'waiting' | 'driving' | 'holding';
/** A traffic episode on the road: none, a slow-down, or a jam. */
type Traffic = 'none' | 'slowdown' | 'jam';

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
  phase: TruckPhase;
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
  traffic: Traffic;
  trafficUntil: number;
  trafficMs: number; // target speed m/s in the episode
  nextTrafficAt: number;
  mood: number;
  moodUntil: number;
  noiseMax: number;
  /** The run the truck was on at the first step (no onRunStart for it if it had already left). */
  firstRun: TruckRun;
}

export class TruckSim {
  private readonly trucks: TruckState[] = [];
  private readonly siteRings: LonLat[][];
  private t0 = 0;

  constructor(
    private readonly world: World,
    private readonly fleet: Fleet,
    private readonly idx: WorldIndex,
    private readonly seed: number,
    private readonly emit: (r: PositionReport) => void,
    private readonly opts: SimulatorOptions,
  ) {
    this.siteRings = world.sites.map((s) => s.area);
  }

  get size(): number {
    return this.trucks.length;
  }

  /** The first step: every truck placed where it is at t0 (driven silently there if it left earlier). */
  start(t0: number): void {
    this.t0 = t0;
    this.fleet.trucks.forEach((truck, i) => {
      const ts = this.initTruck(truck, i, t0);
      this.trucks.push(ts);
    });
  }

  /** Advances every truck to nowMs, emitting each fix that fell due. */
  step(nowMs: number): void {
    for (const ts of this.trucks) {
      while (ts.nextFix <= nowMs) {
        this.advanceTruck(ts, ts.nextFix);
        this.emitTruck(ts);
        ts.nextFix += this.truckInterval(ts);
      }
      this.advanceTruck(ts, nowMs);
    }
  }

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
      phase: 'waiting',
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
      traffic: 'none',
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
    ts.phase = 'waiting';
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
        const v = kmhToMs(ts.truck.urbanKmh);
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
        plan.detourTo = makePath([...head, ...mid, tail[0]!]).length; // subCoords returns both ends
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
        case 'waiting':
          if (ts.time + dt >= ts.run.departure) {
            ts.time = Math.max(ts.time, ts.run.departure);
            ts.phase = 'driving';
            ts.v = 0;
            // not for the fleet's run that had already left before the first step
            if (ts.run !== ts.firstRun || ts.run.departure >= this.t0) this.opts.onRunStart?.(ts.truck, ts.run, ts.time);
          } else ts.time += dt;
          break;
        case 'holding':
          if (ts.time + dt >= ts.holdUntil) {
            ts.time = ts.holdUntil;
            ts.phase = 'driving';
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
    if (ts.traffic !== 'none' && t >= ts.trafficUntil) ts.traffic = 'none';
    if (ts.traffic === 'none' && t >= ts.nextTrafficAt) {
      if (m > 1.5 * SITE_ZONE_M && !inDetour) {
        if (rng.chance(0.2)) {
          ts.traffic = 'jam';
          ts.trafficMs = kmhToMs(rng.float(0.5, 2.5));
          ts.trafficUntil = t + rng.float(2, 5) * MIN;
        } else {
          ts.traffic = 'slowdown';
          ts.trafficMs = kmhToMs(rng.float(5, 20));
          ts.trafficUntil = t + rng.float(2, 8) * MIN;
        }
      }
      // the next one comes after this one (if any) is over
      ts.nextTrafficAt = (ts.traffic !== 'none' ? ts.trafficUntil + 5 * MIN : t) + rng.exponential(35 * MIN);
    }
    let vt = kmhToMs(kmh);
    if (ts.traffic !== 'none' && ts.trafficMs < vt) vt = ts.trafficMs;
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
        ts.phase = 'holding';
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
      speed = msToKmh(ts.v) + rng.gaussian(0, 0.8);
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
      course: (Math.round(ts.lastCourse * 10) / 10) % 360,
      source: 'sim',
      label: ts.truck.plate,
    });
  }
}
