// The demo simulator: moves the fleet in wall-clock time and emits PositionReports.
//
// step(nowMs) advances every asset to nowMs (time-based, so irregular steps work) and emits, for each
// asset, every fix that fell due since the last step, stamped with its own fix time. Per asset and
// step the work is a few arithmetic operations; a fix costs one segment lookup and interpolation.
//
//
// The trucks (trucks.ts) and the vessels (vessels.ts) are simulated apart; this facade keeps the
// clock: the first step places every asset, each later one advances trucks, then vessels.
import type { PositionReport } from '../../lib/domain';
import type { World } from './world/types';
import { indexWorld, type Fleet } from './fleet';
import type { SimulatorOptions } from './simOptions';
import { TruckSim } from './trucks';
import { VesselSim } from './vessels';

export type { SimulatorOptions } from './simOptions';
export { KEEP_RUNS } from './trucks';
export { MAX_LATERAL_M, VESSEL_MIN_INTERVAL_MS } from './vessels';
export { KMH_PER_KNOT as KNOT_KMH, MS_PER_KNOT as KNOT_MS } from '../../lib/units';

export class Simulator {
  private readonly trucks: TruckSim;
  private readonly vessels: VesselSim;
  private started = false;
  private lastNow = 0;

  constructor(world: World, fleet: Fleet, emit: (r: PositionReport) => void, opts: SimulatorOptions = {}) {
    const idx = indexWorld(world);
    const seed = opts.seed ?? fleet.seed;
    this.trucks = new TruckSim(world, fleet, idx, seed, emit, opts);
    this.vessels = new VesselSim(fleet, idx, seed, emit, opts);
  }

  /** Advances every asset to nowMs and emits the reports that fell due (each stamped with its own time). */
  step(nowMs: number): void {
    if (!this.started) {
      this.started = true;
      this.lastNow = nowMs;
      this.trucks.start(nowMs);
      this.vessels.start(nowMs);
      return;
    }
    if (!(nowMs > this.lastNow)) return;
    this.lastNow = nowMs;
    this.trucks.step(nowMs);
    this.vessels.step(nowMs);
  }

  /** Number of assets being simulated. */
  get size(): number {
    return this.trucks.size + this.vessels.size;
  }
}

/**
 * Runs a simulator over [fromMs, toMs] in steps of stepMs and yields its reports in emission order
 * (per step: trucks, then vessels; each report stamped with its own fix time). For tests and replay.
 * Runs appended to the fleet's trucks stay there (the fleet is shared, as with Simulator).
 */
export function* simulatorReports(world: World, fleet: Fleet, fromMs: number, toMs: number, stepMs = 1000, opts: SimulatorOptions = {}): Generator<PositionReport> {
  const buf: PositionReport[] = [];
  const sim = new Simulator(world, fleet, (r) => buf.push(r), opts);
  for (let t = fromMs; t <= toMs; t += stepMs) {
    sim.step(t);
    for (const r of buf) yield r;
    buf.length = 0;
  }
}
