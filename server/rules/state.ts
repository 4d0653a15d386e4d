// The rules engine's state, as plain data: what exportState() writes into rules_state rows and
// importState() reads back after a restart. The field names are that stored format (version 1):
// rows written by earlier builds are read by this one, so rename nothing here without a new
// version and a migration of old states (stateCompat.test.ts holds one such row).
import type { ConsignmentStatus } from '../../lib/domain';
import type { WatchedConsignment } from './types';

/** A place at an instant (ms). */
export interface TimedPoint {
  t: number;
  lon: number;
  lat: number;
}

export interface LastFix extends TimedPoint {
  /** km/h, when the fix had one. */
  speed?: number;
}

/** Per asset: what the asset-level rules (plausibility, zones, AIS gaps, rendezvous) remember. */
export interface AssetState {
  id: number;
  kind: 'vehicle' | 'vessel';
  /** AIS class, when known. */
  cls?: 'A' | 'B';
  last?: LastFix;
  /** Last plausible fix, and the last outlier ("rejected"; a second fix agreeing with it makes it the truth). */
  good?: TimedPoint;
  rej?: TimedPoint;
  /** Speed implied by the last two plausible fixes, km/h (for fixes without speed). */
  kmh?: number;
  /** Restricted and bonded zones by zone id: consecutive fixes in and out, since when, the open episode and its consignment. */
  zones: Record<string, ZoneState>;
  /** Vessels: the open AIS_GAP episode and since when the vessel is silent. */
  gap?: { ep: string; since: number };
  /** Rendezvous view of the last fix: slow and away from sites (a candidate), speed in knots. */
  rv?: { slow: boolean; kn: number };
  /** Keys of the vessel pairs (PairState) this vessel is in. */
  pairs: string[];
}

export interface ZoneState {
  /** Consecutive fixes inside, and outside. */
  in: number;
  out: number;
  since: number;
  /** The open ZONE_ENTRY episode, and the consignment it was raised for. */
  ep?: string;
  cid?: number;
  /**
   * Bonded zones (optional: states saved before them import): `b` the vehicle is inside as far as
   * the crossings go; `from` the side it was on before this run of fixes (1 outside, 0 unknown:
   * first seen inside, which is no crossing); `os` the first fix of the run outside.
   */
  b?: boolean;
  from?: 0 | 1;
  os?: number;
}

/** Per watched consignment: each consignment rule's memory. */
export interface ConsignmentState {
  c: WatchedConsignment;
  status: ConsignmentStatus;
  /** In transit (by its status or by having left the origin). */
  departed: boolean;
  departedAt?: number;
  /** Physically seen outside the origin (departFixes fixes beyond departMarginM). */
  left: boolean;
  /** Consecutive fixes beyond the origin's margin, while it has not left. */
  outN: number;
  arrivedAt?: number;
  dev: DeviationState;
  stop: StopState;
  /** The open SIGNAL_LOST episode, and the instant of the last sign of life. */
  sig?: { ep: string; since: number };
  /** The open OVERDUE episode. */
  overdue?: string;
  site: WrongSiteState;
  seal: SealState;
}

/** ROUTE_DEVIATION: consecutive fixes outside (since when) and back inside, the episode and its farthest distance. */
export interface DeviationState {
  outN: number;
  outSince: number;
  inN: number;
  ep?: string;
  since?: number;
  maxD: number;
}

/**
 * UNSCHEDULED_STOP: since when the carrier is slow; `has`/`lon`/`lat` the anchor of the stop (the
 * previous fix until a stop begins); consecutive moving fixes (`movN`) since `movT`; whether the last
 * fix was slow and inside a site; the episode.
 */
export interface StopState {
  since?: number;
  has: boolean;
  lon: number;
  lat: number;
  movN: number;
  movT: number;
  slowLast: boolean;
  inSite: boolean;
  ep?: string;
}

/** WRONG_SITE: the site the carrier is in (not its destination), since when, consecutive fixes outside it, the episode. */
export interface WrongSiteState {
  id?: number;
  since: number;
  outN: number;
  ep?: string;
}

/** SEAL_ALARM: whether the seal flag was on at the last fix, the open episode, and the reports it gathered. */
export interface SealState {
  bit: boolean;
  ep?: string;
  count: number;
}

/** Two vessels close together (a candidate meeting, or an open RENDEZVOUS when `ep` is set); a < b. */
export interface PairState {
  a: number;
  b: number;
  since: number;
  ep?: string;
  minD: number;
}

/** What exportState() returns: plain JSON. */
export interface RulesState {
  version: 1;
  consignments: ConsignmentState[];
  assets: AssetState[];
  pairs: PairState[];
}

export const freshDeviation = (): DeviationState => ({ outN: 0, outSince: 0, inN: 0, maxD: 0 });
export const freshStop = (): StopState => ({ has: false, lon: 0, lat: 0, movN: 0, movT: 0, slowLast: false, inSite: false });
export const freshWrongSite = (): WrongSiteState => ({ since: 0, outN: 0 });
