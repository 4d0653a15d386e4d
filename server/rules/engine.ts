// The rules engine: per consignment and per vessel state machines for the DESIGN.md Alerts table.
// This file is the facade (the watch list, the order in which a fix visits the rules, the state
// carried over a restart); each rule lives in its own file:
//   consignmentRules.ts  departure, corridor, stop, signal, overdue, wrong site, arrival, seal
//   restrictedZones.ts   ZONE_ENTRY, bonded-zone crossings            aisGaps.ts   AIS_GAP
//   rendezvous.ts        RENDEZVOUS (with slowVesselGrid.ts, its spatial hash)
//   plausibility.ts      outliers            episodes.ts  raising and clearing episodes
//   state.ts             the state as plain data (the stored format)
//
// Time is the fix's own time, never the wall clock: feeding a day of stored fixes gives the same
// alerts as living it. Timers (SIGNAL_LOST, OVERDUE, AIS_GAP, and a stop or a dwell that goes on
// while fixes are still expected) fire from tick(now) when no fix comes, and are also caught up
// before each fix is applied; a timer alert carries the instant its threshold was crossed, not the
// instant the engine noticed, so it is the same whichever call fired it.
//
// One alert per episode: each open episode is held in the state with a stable id (type, subject
// and start time), raised once, cleared once (SEAL_ALARM only by acknowledge()). The state is
// plain data: exportState() / importState() carry it over a restart.
//
// Noise: every geometric rule looks only at plausible fixes (a fix implying an impossible speed from
// the last good one is an outlier until a second fix agrees with it) and needs consecutive fixes
// (and a time span) before it changes its mind either way.
import type { ConsignmentStatus } from '../../lib/domain';
import { M_PER_DEG } from '../../lib/units';
import type { GeofenceIndex } from '../geofence/index';
import { AisGaps } from './aisGaps';
import { ConsignmentRules, isUnderWay, newConsignmentState, openEpisodesOf } from './consignmentRules';
import type { OpenEpisode } from './episodes';
import { checkPlausible } from './plausibility';
import { Rendezvous } from './rendezvous';
import { RestrictedZones, openZoneEpisodes } from './restrictedZones';
import type { AssetState, ConsignmentState, RulesState } from './state';
import { rulesConfig, type AssetRef, type Fix, type OutsideEvent, type RuleEvent, type RouteRules, type RulesConfig, type WatchedConsignment } from './types';

export type { RulesState } from './state';

/** Scratch for the previous plausible place (single-threaded; read only during onFix). */
const PREV = { lon: 0, lat: 0 };

export class RulesEngine {
  readonly config: RulesConfig;
  private consignments = new Map<number, ConsignmentState>();
  /** Asset → consignments being checked (watched and not arrived). */
  private byAsset = new Map<number, number[]>();
  private assets = new Map<number, AssetState>();
  private consignmentRules: ConsignmentRules;
  private zones: RestrictedZones;
  private aisGaps: AisGaps;
  private rendezvous: Rendezvous;
  /** Asset → expected reporting interval (s) set on its devices; absent: the route's or the global one. */
  private reportIntervals = new Map<number, number>();

  constructor(geo: GeofenceIndex, config: Partial<RulesConfig> = {}) {
    this.config = rulesConfig(config);
    const meet = this.config.rendezvous;
    // The 3×3 neighbourhood must cover the meeting distance at any latitude we serve (≤ 60°).
    const minCellM = meet.cellDeg * M_PER_DEG * Math.cos((60 * Math.PI) / 180);
    if (minCellM < meet.distanceM) meet.cellDeg = meet.distanceM / (M_PER_DEG * 0.5);
    this.consignmentRules = new ConsignmentRules(geo, this.config, (id) => this.reportIntervals.get(id));
    this.zones = new RestrictedZones(geo, this.config);
    this.aisGaps = new AisGaps(this.config);
    this.rendezvous = new Rendezvous(geo, meet, (id) => this.assets.get(id));
  }

  // --- settings changed at run time ---

  /** Sets (or, with undefined, removes) a route's threshold overrides; the next fix or tick uses them. */
  setRouteRules(routeId: number, overrides: Partial<RouteRules> | undefined): void {
    if (overrides) this.config.routes[routeId] = overrides;
    else delete this.config.routes[routeId];
    this.consignmentRules.forgetRoute(routeId);
  }

  /** The expected reporting interval set for an asset's devices, if any. */
  reportInterval(assetId: number): number | undefined {
    return this.reportIntervals.get(assetId);
  }

  /** Sets (or removes) an asset's expected reporting interval, for SIGNAL_LOST. */
  setReportInterval(assetId: number, seconds: number | undefined): void {
    if (seconds === undefined) this.reportIntervals.delete(assetId);
    else this.reportIntervals.set(assetId, seconds);
  }

  // --- watch list ---

  /** Starts (or updates) watching a consignment. An arrived or closed one is dropped. */
  watch(c: WatchedConsignment): RuleEvent[] {
    if (c.status === 'arrived' || c.status === 'closed') return this.unwatch(c.id);
    const state = this.consignments.get(c.id);
    if (!state) {
      this.consignments.set(c.id, newConsignmentState(c));
      this.attach(c.assetId, c.id);
      return [];
    }
    if (state.arrivedAt === undefined && state.c.assetId !== c.assetId) {
      this.detach(state.c.assetId, c.id);
      this.attach(c.assetId, c.id);
    }
    const previousDeadline = state.c.deadline;
    state.c = { ...c };
    const out: RuleEvent[] = [];
    // A later deadline (extended by an officer) ends the OVERDUE episode the old one raised; if the
    // new one has passed too, the next tick raises OVERDUE afresh, against the new deadline.
    if (c.deadline > previousDeadline) this.consignmentRules.deadlineExtended(state, Math.max(this.assets.get(c.assetId)?.last?.t ?? 0, previousDeadline), out);
    // Marked as departed from outside (e.g. a gate-out): the engine follows; it never moves back.
    if (!state.departed && state.arrivedAt === undefined && isUnderWay(c.status)) {
      state.departed = true;
      state.departedAt = c.departure;
      state.status = c.status;
    }
    return out;
  }

  /** Stops watching (e.g. the consignment is closed). Open episodes that clear by themselves are cleared. */
  unwatch(consignmentId: number, time?: number): RuleEvent[] {
    const state = this.consignments.get(consignmentId);
    if (!state) return [];
    const out: RuleEvent[] = [];
    const t = time ?? this.assets.get(state.c.assetId)?.last?.t ?? state.c.deadline;
    this.consignmentRules.clearAll(state, t, 'unwatched', out);
    this.detach(state.c.assetId, consignmentId);
    this.consignments.delete(consignmentId);
    return out;
  }

  /** The engine's view of a consignment's status, if watched. */
  status(consignmentId: number): ConsignmentStatus | undefined {
    return this.consignments.get(consignmentId)?.status;
  }

  /** Episodes open now (for a UI or a check after a restart). */
  openEpisodes(): OpenEpisode[] {
    const list: OpenEpisode[] = [];
    for (const state of this.consignments.values()) list.push(...openEpisodesOf(state));
    for (const a of this.assets.values()) {
      list.push(...openZoneEpisodes(a));
      if (a.gap) list.push({ episode: a.gap.ep, type: 'AIS_GAP', assetId: a.id });
    }
    list.push(...this.rendezvous.openEpisodes());
    return list;
  }

  // --- inputs ---

  /** Applies one fix of one asset (in its own time). Returns what changed. */
  onFix(ref: AssetRef, fix: Fix): RuleEvent[] {
    const out: RuleEvent[] = [];
    const asset = this.assetState(ref);
    const carried = this.byAsset.get(asset.id);
    const t = fix.time;
    if (asset.last && t <= asset.last.t) {
      // Late or repeated: too old to move anything, but a device alarm in it still counts.
      if (carried && fix.alarm) for (const cid of carried) this.consignmentRules.onLateFix(this.consignments.get(cid)!, fix, out);
      return out;
    }
    // Timers due before this fix, as if tick() had run just before it.
    if (carried) for (const cid of carried) this.consignmentRules.timers(this.consignments.get(cid)!, asset, t, out);
    if (asset.kind === 'vessel') this.aisGaps.timer(asset, t, out);

    // The last plausible place before this fix (checkPlausible moves it): where a bonded-zone crossing began.
    let prev: { lon: number; lat: number } | undefined;
    if (asset.good) {
      prev = PREV;
      PREV.lon = asset.good.lon;
      PREV.lat = asset.good.lat;
    }
    const plausible = checkPlausible(asset, fix, this.config);
    if (asset.last) {
      asset.last.t = t;
      asset.last.lon = fix.lon;
      asset.last.lat = fix.lat;
      asset.last.speed = fix.speed;
    } else asset.last = { t, lon: fix.lon, lat: fix.lat, speed: fix.speed };
    this.aisGaps.onFix(asset, fix, out);
    if (plausible) {
      this.zones.onFix(asset, fix, carried?.[0], out, prev);
      if (asset.kind === 'vessel') this.rendezvous.onFix(asset, fix, out);
    }
    // Arrival detaches a consignment from the list: walk a copy.
    if (carried) for (const cid of [...carried]) this.consignmentFix(cid, fix, plausible, out);
    return out;
  }

  /** Applies an outside event (seal_opened / seal_cut raise SEAL_ALARM; others are ignored). */
  onEvent(e: OutsideEvent): RuleEvent[] {
    const out: RuleEvent[] = [];
    if (!this.config.sealEventKinds.includes(e.kind)) return out;
    const targets = e.consignmentId !== undefined ? [e.consignmentId] : e.assetId !== undefined ? (this.byAsset.get(e.assetId) ?? []) : [];
    for (const cid of targets) {
      const state = this.consignments.get(cid);
      if (state) this.consignmentRules.onSealEvent(state, e, this.assets.get(state.c.assetId)?.last, out);
    }
    return out;
  }

  /**
   * An officer acknowledged an alert. SEAL_ALARM ends only this way: after it, a new door-open edge or
   * seal event starts a new episode. Other types end when their condition does; acknowledging them changes nothing here.
   */
  acknowledge(episode: string, time: number): RuleEvent[] {
    const out: RuleEvent[] = [];
    for (const state of this.consignments.values()) this.consignmentRules.acknowledge(state, episode, time, out);
    return out;
  }

  /** Runs the timers up to `now` (ms, the same clock as the fixes): SIGNAL_LOST, OVERDUE, AIS_GAP, long stops and dwells. */
  tick(now: number): RuleEvent[] {
    const out: RuleEvent[] = [];
    for (const state of this.consignments.values()) {
      if (state.arrivedAt !== undefined) continue;
      this.consignmentRules.timers(state, this.assets.get(state.c.assetId), now, out);
    }
    for (const a of this.assets.values()) if (a.kind === 'vessel') this.aisGaps.timer(a, now, out);
    return out;
  }

  // --- persistence ---

  exportState(): RulesState {
    return structuredClone({
      version: 1 as const,
      consignments: [...this.consignments.values()],
      assets: [...this.assets.values()],
      pairs: this.rendezvous.exportPairs(),
    });
  }

  /** Replaces the whole state with an exported one (call before watch() of the active consignments). */
  importState(state: unknown): void {
    const s = state as RulesState;
    if (!s || s.version !== 1 || !Array.isArray(s.consignments) || !Array.isArray(s.assets) || !Array.isArray(s.pairs)) {
      throw new Error('rules: not a state exported by this engine (version 1)');
    }
    const copy = structuredClone(s);
    this.consignments.clear();
    this.byAsset.clear();
    this.assets.clear();
    for (const c of copy.consignments) {
      this.consignments.set(c.c.id, c);
      if (c.arrivedAt === undefined) this.attach(c.c.assetId, c.c.id);
    }
    for (const a of copy.assets) this.assets.set(a.id, a);
    this.rendezvous.importState(copy.pairs, copy.assets);
  }

  // --- helpers ---

  private consignmentFix(cid: number, fix: Fix, plausible: boolean, out: RuleEvent[]): void {
    const state = this.consignments.get(cid)!;
    this.consignmentRules.onFix(state, fix, plausible, out);
    if (state.arrivedAt !== undefined) this.detach(state.c.assetId, cid);
  }

  private assetState(ref: AssetRef): AssetState {
    let a = this.assets.get(ref.id);
    if (!a) {
      a = { id: ref.id, kind: ref.kind, zones: {}, pairs: [] };
      this.assets.set(ref.id, a);
    }
    a.kind = ref.kind;
    if (ref.aisClass) a.cls = ref.aisClass;
    return a;
  }

  private attach(assetId: number, cid: number): void {
    const list = this.byAsset.get(assetId);
    if (!list) this.byAsset.set(assetId, [cid]);
    else if (!list.includes(cid)) list.push(cid);
  }

  private detach(assetId: number, cid: number): void {
    const list = this.byAsset.get(assetId);
    if (!list) return;
    const i = list.indexOf(cid);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byAsset.delete(assetId);
  }
}
