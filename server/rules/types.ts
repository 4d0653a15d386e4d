// Types and defaults of the rules engine (DESIGN.md, Alerts). Every threshold is configuration.
import type { AssetStatus, ConsignmentStatus } from '../../lib/domain';
import { alarmSet } from '../../lib/deviceAlarms';

export { ALERT_TYPES, type AlertType } from '../../lib/domain';
import type { AlertType } from '../../lib/domain';
import type { Severity } from '../../lib/alerts';
export type { Severity } from '../../lib/alerts';

export const ALERT_SEVERITY: Readonly<Record<AlertType, Severity>> = Object.freeze({
  ROUTE_DEVIATION: 'critical',
  SEAL_ALARM: 'critical',
  WRONG_SITE: 'critical',
  RENDEZVOUS: 'critical',
  ZONE_ENTRY: 'critical',
  UNSCHEDULED_STOP: 'warning',
  OVERDUE: 'warning',
  SIGNAL_LOST: 'warning',
  AIS_GAP: 'warning',
  ARRIVED: 'info',
  GATE_MISMATCH: 'critical',
  UNDECLARED_OUT: 'critical',
  ZONE_UNAUTHORISED: 'critical',
  NOT_RECEIVED: 'warning',
  INSPECTION_OVERDUE: 'warning',
});

/** Alerts that mean we lost sight of the asset: its marker turns "stale" rather than by severity. */
const LOST_SIGHT: ReadonlySet<AlertType> = new Set(['SIGNAL_LOST', 'AIS_GAP']);

/** How the map shows the asset while the alert is open (UI.md palette): by severity, but slate when sight is lost. */
export const ALERT_MAP_STATUS: Readonly<Record<AlertType, AssetStatus>> = Object.freeze(
  Object.fromEntries(
    Object.entries(ALERT_SEVERITY).map(([type, severity]) => [type, LOST_SIGHT.has(type as AlertType) ? 'stale' : severity === 'info' ? 'normal' : severity]),
  ) as Record<AlertType, AssetStatus>,
);

/** A consignment under watch: what the engine needs of the consignments row. Times in ms since epoch. */
export interface WatchedConsignment {
  id: number;
  reference: string;
  assetId: number;
  routeId: number | null;
  originSiteId: number;
  destSiteId: number;
  departure: number;
  deadline: number;
  status: ConsignmentStatus;
  /** The carrier's usual reporting interval in seconds (SIGNAL_LOST threshold); default from config. */
  expectedIntervalS?: number;
}

export interface AssetRef {
  id: number;
  kind: 'vehicle' | 'vessel';
  aisClass?: 'A' | 'B';
}

/** One fix as the engine takes it: time in ms (the fix's own time), speed in km/h. */
export interface Fix {
  time: number;
  lon: number;
  lat: number;
  speed?: number;
  course?: number;
  /** The device's alarm flags (lib/deviceAlarms.ts), a u32 set. */
  alarm?: number;
}

/** An outside event (gate, seal system): seal_opened and seal_cut raise SEAL_ALARM. */
export interface OutsideEvent {
  kind: string;
  time: number;
  assetId?: number;
  consignmentId?: number;
  siteId?: number;
  detail?: Record<string, unknown>;
}

export interface RuleAlert {
  type: AlertType;
  severity: Severity;
  /** How the map should show the asset while this is open. */
  mapStatus: AssetStatus;
  assetId: number;
  consignmentId?: number;
  time: number;
  lon?: number;
  lat?: number;
  detail: Record<string, unknown>;
  /** Stable id of the episode: the same episode always gets the same id (raising is idempotent on it). */
  episode: string;
}

export type RuleEvent =
  | { kind: 'raised'; alert: RuleAlert }
  | {
      kind: 'cleared';
      type: AlertType;
      assetId: number;
      consignmentId?: number;
      time: number;
      episode: string;
      /** Evidence of the ending: the gap, the dwell, why (`reason`). */
      detail?: Record<string, unknown>;
    }
  | { kind: 'status'; consignmentId: number; status: ConsignmentStatus; time: number }
  | ZoneCrossing;

/**
 * A vehicle crossed a bonded zone's boundary (debounced like ZONE_ENTRY: zoneEnterFixes fixes on the
 * new side, each at least bondedEdgeMarginM from the boundary). Not an alert: whether it was authorised is a question for the passports
 * (server/links/zone/unauthorised.ts). `time`: the first fix on the new side; lon/lat: the fix that
 * confirmed it. Listeners that do not know this kind ignore it.
 */
export interface ZoneCrossing {
  kind: 'zone_crossing';
  assetId: number;
  zoneId: number;
  zoneCode: string;
  direction: 'enter' | 'leave';
  time: number;
  lon: number;
  lat: number;
}

/** Thresholds that may differ per route (RulesConfig.routes[routeId]). */
export interface RouteRules {
  /** ROUTE_DEVIATION: consecutive fixes outside the corridor, and the time they must span. */
  deviationMinFixes: number;
  deviationMinSpanS: number;
  /** Cleared after this many consecutive fixes within this fraction of the half-width. */
  deviationClearFraction: number;
  deviationClearFixes: number;
  /** UNSCHEDULED_STOP: slower than this for longer than stopMinS, outside every site. */
  stopSpeedKmh: number;
  stopMinS: number;
  /** For fixes without speed: still stopped while within this radius of where the stop began. */
  stopRadiusM: number;
  /** SIGNAL_LOST after max(factor × expected interval, minS) without a fix. */
  signalLostFactor: number;
  signalLostMinS: number;
  expectedIntervalS: number;
  /** WRONG_SITE after this dwell inside a site that is not the destination. */
  wrongSiteDwellS: number;
  /** Consecutive fixes outside a site before the carrier counts as having left it. */
  siteLeaveFixes: number;
  /** The carrier has left its origin after this many fixes at least departMarginM outside it. */
  departFixes: number;
  departMarginM: number;
  /** Whether re-entering the origin after leaving it counts as a wrong site. */
  originReentryIsWrong: boolean;
}

export interface RulesConfig extends RouteRules {
  /** Per-route overrides, by route id. The corridor half-width itself is the route's own. */
  routes: Record<number, Partial<RouteRules>>;
  /** A fix implying a faster move than this (after `jumpToleranceM`) from the last good one is an outlier. */
  vehicleMaxKmh: number;
  vesselMaxKmh: number;
  jumpToleranceM: number;
  /** Device alarm flags (lib/deviceAlarms.ts, a u32 set) that raise SEAL_ALARM. */
  sealAlarmMask: number;
  /** Outside events that raise SEAL_ALARM. */
  sealEventKinds: string[];
  /** ZONE_ENTRY and bonded-zone crossings: consecutive fixes inside to enter, outside to leave. */
  zoneEnterFixes: number;
  zoneLeaveFixes: number;
  /**
   * Bonded-zone crossings: a fix nearer the boundary than this (inside or out) is evidence of
   * neither side, so a truck queuing at the gate in 50 m of GPS noise crosses nothing.
   */
  bondedEdgeMarginM: number;
  aisGap: AisGapConfig;
  rendezvous: RendezvousConfig;
}

/** AIS_GAP threshold = max(factor × nominal reporting interval, floor), by class and by moving/slow. */
export interface AisGapConfig {
  factor: number;
  /** At or above this speed a vessel is "moving" (ITU-R M.1371: 3 kn for class A, 2 kn for class B). */
  movingKn: { A: number; B: number };
  A: { movingIntervalS: number; movingFloorS: number; slowIntervalS: number; slowFloorS: number };
  B: { movingIntervalS: number; movingFloorS: number; slowIntervalS: number; slowFloorS: number };
  /** Class assumed when the asset's is not known. */
  defaultClass: 'A' | 'B';
}

export interface RendezvousConfig {
  /** Two vessels within distanceM, both slower than maxKn, for longer than minS, away from sites. */
  distanceM: number;
  maxKn: number;
  minS: number;
  /** A candidate meeting survives up to partM apart and partKn; an open one clears beyond partM. */
  partM: number;
  partKn: number;
  /** "Away from any site": farther than this from every site polygon, and outside anchorage zones. */
  siteBufferM: number;
  /** The other vessel's position counts only if its fix is at most this old. */
  freshS: number;
  /** Cell size of the spatial hash over slow vessels, degrees. */
  cellDeg: number;
}

/** SEAL_ALARM by default: the device reports an illegal door opening (非法开门报警). */
export const DEFAULT_SEAL_ALARM_MASK = alarmSet('illegal_door_open');

export const DEFAULT_RULES: RulesConfig = Object.freeze({
  deviationMinFixes: 2,
  deviationMinSpanS: 60,
  deviationClearFraction: 0.8,
  deviationClearFixes: 2,
  stopSpeedKmh: 3,
  stopMinS: 600,
  stopRadiusM: 150,
  signalLostFactor: 3,
  signalLostMinS: 300,
  expectedIntervalS: 30,
  wrongSiteDwellS: 120,
  siteLeaveFixes: 2,
  departFixes: 2,
  departMarginM: 100,
  originReentryIsWrong: true,
  routes: {},
  vehicleMaxKmh: 160,
  vesselMaxKmh: 100,
  jumpToleranceM: 100,
  sealAlarmMask: DEFAULT_SEAL_ALARM_MASK,
  sealEventKinds: ['seal_opened', 'seal_cut'],
  zoneEnterFixes: 2,
  zoneLeaveFixes: 2,
  bondedEdgeMarginM: 60,
  aisGap: {
    factor: 3,
    movingKn: { A: 3, B: 2 },
    A: { movingIntervalS: 10, movingFloorS: 300, slowIntervalS: 180, slowFloorS: 600 },
    B: { movingIntervalS: 30, movingFloorS: 600, slowIntervalS: 180, slowFloorS: 1800 },
    defaultClass: 'A',
  },
  rendezvous: {
    distanceM: 500,
    maxKn: 2,
    minS: 900,
    partM: 600,
    partKn: 3,
    siteBufferM: 1000,
    freshS: 600,
    cellDeg: 0.01,
  },
}) as RulesConfig;

/** Defaults overlaid with a partial config (nested objects merged one level deep). */
export function rulesConfig(partial: Partial<RulesConfig> = {}): RulesConfig {
  const d = DEFAULT_RULES;
  const ais = partial.aisGap ?? ({} as Partial<AisGapConfig>);
  return {
    ...d,
    ...partial,
    routes: { ...d.routes, ...partial.routes },
    aisGap: {
      ...d.aisGap,
      ...ais,
      movingKn: { ...d.aisGap.movingKn, ...ais.movingKn },
      A: { ...d.aisGap.A, ...ais.A },
      B: { ...d.aisGap.B, ...ais.B },
    },
    rendezvous: { ...d.rendezvous, ...partial.rendezvous },
  };
}
