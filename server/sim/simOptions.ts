// What the truck and vessel simulations share: the Simulator's options and the units of its clock.
import type { LonLat } from '../../lib/domain';
import type { Truck, TruckRun } from './fleet';

export const MIN = 60_000;
/** The longest step of one asset's motion (longer steps are cut into these). */
export const MAX_SUBSTEP_MS = 5000;

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
