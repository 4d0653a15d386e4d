// The rules engine: per consignment and per vessel state machines for the DESIGN.md Alerts table.
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
import { alarmNames } from '../../lib/deviceAlarms';
import { fastDistM, haversineM, type GeofenceIndex } from '../geofence/index';
import {
  ALERT_MAP_STATUS, ALERT_SEVERITY, KN_TO_KMH, rulesConfig,
  type AlertType, type AssetRef, type Fix, type OutsideEvent, type RouteRules, type RuleEvent, type RulesConfig, type WatchedConsignment,
} from './types';

interface Pt { t: number; lon: number; lat: number }
interface LastFix extends Pt { speed?: number }

interface AssetSt {
  id: number;
  kind: 'vehicle' | 'vessel';
  cls?: 'A' | 'B';
  last?: LastFix;
  /** Last plausible fix, and the last outlier (a second one agreeing with it makes it the truth). */
  good?: Pt;
  rej?: Pt;
  /** Speed implied by the last two plausible fixes, km/h (for fixes without speed). */
  kmh?: number;
  zones: Record<string, { in: number; out: number; since: number; ep?: string; cid?: number }>;
  // vessels
  gap?: { ep: string; since: number };
  /** Rendezvous view of the last fix: slow and away from sites (a candidate), speed in knots. */
  rv?: { slow: boolean; kn: number };
  pairs: string[];
}

interface ConsSt {
  c: WatchedConsignment;
  status: ConsignmentStatus;
  /** In transit (by its status or by having left the origin). */
  departed: boolean;
  departedAt?: number;
  /** Physically seen outside the origin (departFixes fixes beyond departMarginM). */
  left: boolean;
  outN: number;
  arrivedAt?: number;
  dev: { outN: number; outSince: number; inN: number; ep?: string; since?: number; maxD: number };
  stop: { since?: number; has: boolean; lon: number; lat: number; movN: number; movT: number; slowLast: boolean; inSite: boolean; ep?: string };
  sig?: { ep: string; since: number };
  overdue?: string;
  site: { id?: number; since: number; outN: number; ep?: string };
  seal: { bit: boolean; ep?: string; count: number };
}

interface PairSt { a: number; b: number; since: number; ep?: string; minD: number }

/** What exportState() returns: plain JSON. */
export interface RulesState {
  version: 1;
  consignments: ConsSt[];
  assets: AssetSt[];
  pairs: PairSt[];
}

const OFF = 131_072;
const SPAN = 262_144;
const r1 = (x: number) => Math.round(x * 10) / 10;

export class RulesEngine {
  readonly config: RulesConfig;
  private cons = new Map<number, ConsSt>();
  /** Asset → consignments being checked (watched and not arrived). */
  private byAsset = new Map<number, number[]>();
  private assets = new Map<number, AssetSt>();
  private pairs = new Map<string, PairSt>();
  /** Spatial hash over vessels that are slow and away from sites: cell → ids. */
  private slowGrid = new Map<number, Set<number>>();
  private slowCell = new Map<number, number>();
  private routeRules = new Map<number, RouteRules>();

  constructor(
    private geo: GeofenceIndex,
    config: Partial<RulesConfig> = {},
  ) {
    this.config = rulesConfig(config);
    const rv = this.config.rendezvous;
    // The 3×3 neighbourhood must cover the meeting distance at any latitude we serve (≤ 60°).
    const minCellM = rv.cellDeg * 111_195 * Math.cos((60 * Math.PI) / 180);
    if (minCellM < rv.distanceM) rv.cellDeg = rv.distanceM / (111_195 * 0.5);
  }

  // --- watch list ---

  /** Starts (or updates) watching a consignment. An arrived or closed one is dropped. */
  watch(c: WatchedConsignment): RuleEvent[] {
    if (c.status === 'arrived' || c.status === 'closed') return this.unwatch(c.id);
    const cs = this.cons.get(c.id);
    if (cs) {
      if (cs.arrivedAt === undefined && cs.c.assetId !== c.assetId) {
        this.detach(cs.c.assetId, c.id);
        this.attach(c.assetId, c.id);
      }
      cs.c = { ...c };
      // Marked as departed from outside (e.g. a gate-out): the engine follows; it never moves back.
      if (!cs.departed && cs.arrivedAt === undefined && (c.status === 'in_transit' || c.status === 'diverted' || c.status === 'overdue')) {
        cs.departed = true;
        cs.departedAt = c.departure;
        cs.status = c.status;
      }
      return [];
    }
    const departed = c.status === 'in_transit' || c.status === 'diverted' || c.status === 'overdue';
    this.cons.set(c.id, {
      c: { ...c },
      status: c.status,
      departed,
      departedAt: departed ? c.departure : undefined,
      left: false,
      outN: 0,
      dev: { outN: 0, outSince: 0, inN: 0, maxD: 0 },
      stop: { has: false, lon: 0, lat: 0, movN: 0, movT: 0, slowLast: false, inSite: false },
      site: { since: 0, outN: 0 },
      seal: { bit: false, count: 0 },
    });
    this.attach(c.assetId, c.id);
    return [];
  }

  /** Stops watching (e.g. the consignment is closed). Open episodes that clear by themselves are cleared. */
  unwatch(consignmentId: number, time?: number): RuleEvent[] {
    const cs = this.cons.get(consignmentId);
    if (!cs) return [];
    const out: RuleEvent[] = [];
    const t = time ?? this.assets.get(cs.c.assetId)?.last?.t ?? cs.c.deadline;
    this.clearAll(cs, t, 'unwatched', out);
    this.detach(cs.c.assetId, consignmentId);
    this.cons.delete(consignmentId);
    return out;
  }

  /** The engine's view of a consignment's status, if watched. */
  status(consignmentId: number): ConsignmentStatus | undefined {
    return this.cons.get(consignmentId)?.status;
  }

  /** Episodes open now (for a UI or a check after a restart). */
  openEpisodes(): { episode: string; type: AlertType; assetId: number; consignmentId?: number }[] {
    const list: { episode: string; type: AlertType; assetId: number; consignmentId?: number }[] = [];
    for (const cs of this.cons.values()) {
      const x = { assetId: cs.c.assetId, consignmentId: cs.c.id };
      if (cs.dev.ep) list.push({ episode: cs.dev.ep, type: 'ROUTE_DEVIATION', ...x });
      if (cs.stop.ep) list.push({ episode: cs.stop.ep, type: 'UNSCHEDULED_STOP', ...x });
      if (cs.sig) list.push({ episode: cs.sig.ep, type: 'SIGNAL_LOST', ...x });
      if (cs.overdue) list.push({ episode: cs.overdue, type: 'OVERDUE', ...x });
      if (cs.site.ep) list.push({ episode: cs.site.ep, type: 'WRONG_SITE', ...x });
      if (cs.seal.ep) list.push({ episode: cs.seal.ep, type: 'SEAL_ALARM', ...x });
    }
    for (const a of this.assets.values()) {
      for (const z of Object.values(a.zones)) if (z.ep) list.push({ episode: z.ep, type: 'ZONE_ENTRY', assetId: a.id, consignmentId: z.cid });
      if (a.gap) list.push({ episode: a.gap.ep, type: 'AIS_GAP', assetId: a.id });
    }
    for (const p of this.pairs.values()) if (p.ep) list.push({ episode: p.ep, type: 'RENDEZVOUS', assetId: p.a });
    return list;
  }

  // --- inputs ---

  /** Applies one fix of one asset (in its own time). Returns what changed. */
  onFix(asset: AssetRef, fix: Fix): RuleEvent[] {
    const out: RuleEvent[] = [];
    const a = this.assetSt(asset);
    const cids = this.byAsset.get(a.id);
    const t = fix.time;
    if (a.last && t <= a.last.t) {
      // Late or repeated: too old to move anything, but a device alarm in it still counts.
      if (cids && fix.alarm) for (const cid of cids) this.sealLate(this.cons.get(cid)!, fix, out);
      return out;
    }
    // Timers due before this fix, as if tick() had run just before it.
    if (cids) for (const cid of cids) this.consTimers(this.cons.get(cid)!, a, t, out);
    if (a.kind === 'vessel') this.vesselTimers(a, t, out);

    const plausible = this.plausible(a, fix);
    if (a.last) {
      a.last.t = t;
      a.last.lon = fix.lon;
      a.last.lat = fix.lat;
      a.last.speed = fix.speed;
    } else a.last = { t, lon: fix.lon, lat: fix.lat, speed: fix.speed };
    if (a.gap) {
      this.clear(out, 'AIS_GAP', a.id, undefined, t, a.gap.ep, { gapS: (t - a.gap.since) / 1000, lon: fix.lon, lat: fix.lat });
      a.gap = undefined;
    }
    if (plausible) {
      this.zoneRule(a, fix, cids?.[0], out);
      if (a.kind === 'vessel') this.rendezvousRule(a, fix, out);
    }
    if (cids) {
      // arrival detaches a consignment from the list while it is walked: walk a copy when there are several
      if (cids.length === 1) this.consFix(this.cons.get(cids[0]!)!, fix, plausible, out);
      else for (const cid of [...cids]) this.consFix(this.cons.get(cid)!, fix, plausible, out);
    }
    return out;
  }

  /** Applies an outside event (seal_opened / seal_cut raise SEAL_ALARM; others are ignored). */
  onEvent(e: OutsideEvent): RuleEvent[] {
    const out: RuleEvent[] = [];
    if (!this.config.sealEventKinds.includes(e.kind)) return out;
    const targets = e.consignmentId !== undefined ? [e.consignmentId] : e.assetId !== undefined ? (this.byAsset.get(e.assetId) ?? []) : [];
    for (const cid of targets) {
      const cs = this.cons.get(cid);
      if (!cs || !cs.departed || cs.arrivedAt !== undefined) continue;
      if (cs.seal.ep) {
        cs.seal.count++;
        continue;
      }
      const last = this.assets.get(cs.c.assetId)?.last;
      cs.seal.ep = `SEAL_ALARM/c${cid}/${e.time}`;
      cs.seal.count = 1;
      this.raise(out, 'SEAL_ALARM', cs.c.assetId, cid, e.time, last, cs.seal.ep, {
        source: 'event', event: e.kind, ...(e.siteId !== undefined ? { siteId: e.siteId } : {}), ...e.detail,
      });
    }
    return out;
  }

  /**
   * An officer acknowledged an alert. SEAL_ALARM ends only this way: after it, a new door-open edge or
   * seal event starts a new episode. Other types end when their condition does; acknowledging them changes nothing here.
   */
  acknowledge(episode: string, time: number): RuleEvent[] {
    const out: RuleEvent[] = [];
    for (const cs of this.cons.values()) {
      if (cs.seal.ep !== episode) continue;
      this.clear(out, 'SEAL_ALARM', cs.c.assetId, cs.c.id, time, episode, { reason: 'acknowledged', reports: cs.seal.count });
      cs.seal.ep = undefined;
      cs.seal.count = 0;
    }
    return out;
  }

  /** Runs the timers up to `now` (ms, the same clock as the fixes): SIGNAL_LOST, OVERDUE, AIS_GAP, long stops and dwells. */
  tick(now: number): RuleEvent[] {
    const out: RuleEvent[] = [];
    for (const cs of this.cons.values()) {
      if (cs.arrivedAt !== undefined) continue;
      this.consTimers(cs, this.assets.get(cs.c.assetId), now, out);
    }
    for (const a of this.assets.values()) if (a.kind === 'vessel') this.vesselTimers(a, now, out);
    return out;
  }

  // --- persistence ---

  exportState(): RulesState {
    return structuredClone({
      version: 1 as const,
      consignments: [...this.cons.values()],
      assets: [...this.assets.values()],
      pairs: [...this.pairs.values()],
    });
  }

  /** Replaces the whole state with an exported one (call before watch() of the active consignments). */
  importState(state: unknown): void {
    const s = state as RulesState;
    if (!s || s.version !== 1 || !Array.isArray(s.consignments) || !Array.isArray(s.assets) || !Array.isArray(s.pairs)) {
      throw new Error('rules: not a state exported by this engine (version 1)');
    }
    const copy = structuredClone(s);
    this.cons.clear();
    this.byAsset.clear();
    this.assets.clear();
    this.pairs.clear();
    this.slowGrid.clear();
    this.slowCell.clear();
    for (const cs of copy.consignments) {
      this.cons.set(cs.c.id, cs);
      if (cs.arrivedAt === undefined) this.attach(cs.c.assetId, cs.c.id);
    }
    for (const a of copy.assets) {
      this.assets.set(a.id, a);
      if (a.rv?.slow && a.last) this.moveSlow(a.id, this.cellKey(a.last.lon, a.last.lat));
    }
    for (const p of copy.pairs) this.pairs.set(pairKey(p.a, p.b), p);
  }

  // --- consignment rules ---

  private consFix(cs: ConsSt, fix: Fix, plausible: boolean, out: RuleEvent[]): void {
    if (cs.arrivedAt !== undefined) return;
    const t = fix.time;
    const c = cs.c;
    const r = this.rules(c.routeId);
    if (cs.sig) {
      this.clear(out, 'SIGNAL_LOST', c.assetId, c.id, t, cs.sig.ep, { gapS: (t - cs.sig.since) / 1000, lon: fix.lon, lat: fix.lat });
      cs.sig = undefined;
    }
    this.sealBits(cs, fix, out);
    if (!plausible) return;
    if (this.geo.inSite(c.destSiteId, fix.lon, fix.lat)) {
      this.arrive(cs, fix, out);
      return;
    }
    const inOrigin = this.geo.inSite(c.originSiteId, fix.lon, fix.lat);
    if (!cs.left) {
      if (inOrigin) cs.outN = 0;
      else if ((this.geo.distanceToSite(c.originSiteId, fix.lon, fix.lat) ?? Infinity) >= r.departMarginM) cs.outN++;
      if (cs.outN >= r.departFixes) {
        cs.left = true;
        if (!cs.departed) {
          cs.departed = true;
          cs.departedAt = t;
          this.updateStatus(cs, t, out);
        }
      }
    }
    if (!cs.departed) return;
    this.deviationRule(cs, fix, inOrigin, r, out);
    this.stopRule(cs, fix, r, out);
    this.siteRule(cs, fix, r, out);
  }

  private deviationRule(cs: ConsSt, fix: Fix, inOrigin: boolean, r: RouteRules, out: RuleEvent[]): void {
    const c = cs.c;
    if (c.routeId === null) return;
    const route = this.geo.route(c.routeId);
    if (!route) return;
    const dist = inOrigin ? undefined : this.geo.distanceToRoute(c.routeId, fix.lon, fix.lat);
    const d = dist?.metres ?? 0;
    const half = route.corridorM;
    const dv = cs.dev;
    const t = fix.time;
    if (d > half) {
      dv.inN = 0;
      if (dv.outN === 0) dv.outSince = t;
      dv.outN++;
      if (dv.ep) dv.maxD = Math.max(dv.maxD, d);
      else if (dv.outN >= r.deviationMinFixes && t - dv.outSince >= r.deviationMinSpanS * 1000) {
        dv.ep = `ROUTE_DEVIATION/c${c.id}/${dv.outSince}`;
        dv.since = dv.outSince;
        dv.maxD = d;
        this.raise(out, 'ROUTE_DEVIATION', c.assetId, c.id, t, fix, dv.ep, {
          distanceM: r1(d), corridorM: half, alongM: Math.round(dist?.alongM ?? 0), routeId: c.routeId, since: dv.outSince, fixes: dv.outN,
        });
        this.updateStatus(cs, t, out);
      }
      return;
    }
    dv.outN = 0;
    if (!dv.ep) return;
    dv.inN = d <= half * r.deviationClearFraction ? dv.inN + 1 : 0;
    if (dv.inN >= r.deviationClearFixes) {
      this.clear(out, 'ROUTE_DEVIATION', c.assetId, c.id, t, dv.ep, { maxDistanceM: r1(dv.maxD), durationS: (t - (dv.since ?? t)) / 1000, distanceM: r1(d) });
      dv.ep = undefined;
      dv.inN = 0;
      this.updateStatus(cs, t, out);
    }
  }

  private stopRule(cs: ConsSt, fix: Fix, r: RouteRules, out: RuleEvent[]): void {
    const s = cs.stop;
    const c = cs.c;
    const t = fix.time;
    const hasSpeed = fix.speed !== undefined;
    if (s.since === undefined) {
      // A stop begins at a fix slower than the threshold or, for a fix without speed, one within the
      // stop radius of the previous fix (held in s.lon/s.lat, which then anchors the stop).
      const slow = hasSpeed ? fix.speed! < r.stopSpeedKmh : s.has && fastDistM(s.lon, s.lat, fix.lon, fix.lat) <= r.stopRadiusM;
      if (!slow) {
        s.lon = fix.lon;
        s.lat = fix.lat;
        s.has = true;
        s.slowLast = false;
        return;
      }
      if (hasSpeed || !s.has) {
        s.lon = fix.lon;
        s.lat = fix.lat;
        s.has = true;
      }
      s.since = t;
      s.movN = 0;
    } else {
      // Moving again: two fixes in a row at or above the threshold (or, without speed, outside the radius).
      const moving = hasSpeed ? fix.speed! >= r.stopSpeedKmh : fastDistM(s.lon, s.lat, fix.lon, fix.lat) > r.stopRadiusM;
      if (moving) {
        if (s.movN === 0) s.movT = t;
        s.movN++;
      } else s.movN = 0;
      if (s.movN >= 2) {
        if (s.ep) this.clear(out, 'UNSCHEDULED_STOP', c.assetId, c.id, t, s.ep, { dwellS: (s.movT - s.since) / 1000 });
        s.ep = undefined;
        s.since = undefined;
        s.movN = 0;
        s.slowLast = false;
        s.lon = fix.lon;
        s.lat = fix.lat;
        return;
      }
    }
    s.slowLast = s.movN === 0;
    if (!s.slowLast) return;
    s.inSite = this.geo.sitesAt(fix.lon, fix.lat).length > 0;
    if (!s.ep && !s.inSite && t - s.since > r.stopMinS * 1000) {
      s.ep = `UNSCHEDULED_STOP/c${c.id}/${s.since}`;
      this.raise(out, 'UNSCHEDULED_STOP', c.assetId, c.id, t, fix, s.ep, { dwellS: (t - s.since) / 1000, since: s.since, speedKmh: fix.speed });
    }
  }

  private siteRule(cs: ConsSt, fix: Fix, r: RouteRules, out: RuleEvent[]): void {
    const w = cs.site;
    const c = cs.c;
    const t = fix.time;
    if (w.id !== undefined) {
      if (this.geo.inSite(w.id, fix.lon, fix.lat)) w.outN = 0;
      else if (++w.outN >= r.siteLeaveFixes) {
        if (w.ep) this.clear(out, 'WRONG_SITE', c.assetId, c.id, t, w.ep, { siteId: w.id, dwellS: (t - w.since) / 1000 });
        w.id = undefined;
        w.ep = undefined;
        w.outN = 0;
      }
    }
    if (w.id === undefined) {
      for (const s of this.geo.sitesAt(fix.lon, fix.lat)) {
        if (s.id === c.destSiteId) continue;
        if (s.id === c.originSiteId && !(cs.left && r.originReentryIsWrong)) continue;
        w.id = s.id;
        w.since = t;
        w.outN = 0;
        break;
      }
    }
    if (w.id !== undefined && w.outN === 0 && !w.ep && t - w.since > r.wrongSiteDwellS * 1000) this.raiseWrongSite(cs, t, fix, out);
  }

  private raiseWrongSite(cs: ConsSt, t: number, at: { lon: number; lat: number } | undefined, out: RuleEvent[]): void {
    const w = cs.site;
    const site = this.geo.site(w.id!);
    w.ep = `WRONG_SITE/c${cs.c.id}/s${w.id}/${w.since}`;
    this.raise(out, 'WRONG_SITE', cs.c.assetId, cs.c.id, t, at, w.ep, {
      siteId: w.id, siteCode: site?.code, siteKind: site?.kind, dwellS: (t - w.since) / 1000, since: w.since,
      origin: w.id === cs.c.originSiteId,
    });
  }

  private sealBits(cs: ConsSt, fix: Fix, out: RuleEvent[]): void {
    if (fix.alarm === undefined) return;
    const on = ((fix.alarm >>> 0) & this.config.sealAlarmMask) !== 0;
    const rising = on && !cs.seal.bit;
    cs.seal.bit = on;
    if (!rising || !cs.departed || cs.arrivedAt !== undefined) return;
    if (cs.seal.ep) {
      cs.seal.count++;
      return;
    }
    this.raiseSeal(cs, fix, out);
  }

  private sealLate(cs: ConsSt, fix: Fix, out: RuleEvent[]): void {
    const on = ((fix.alarm! >>> 0) & this.config.sealAlarmMask) !== 0;
    if (!on || !cs.departed || cs.arrivedAt !== undefined || cs.seal.ep) return;
    this.raiseSeal(cs, fix, out);
  }

  private raiseSeal(cs: ConsSt, fix: Fix, out: RuleEvent[]): void {
    cs.seal.ep = `SEAL_ALARM/c${cs.c.id}/${fix.time}`;
    cs.seal.count = 1;
    this.raise(out, 'SEAL_ALARM', cs.c.assetId, cs.c.id, fix.time, fix, cs.seal.ep, {
      source: 'device', alarm: fix.alarm! >>> 0, alarms: alarmNames(fix.alarm!),
    });
  }

  private arrive(cs: ConsSt, fix: Fix, out: RuleEvent[]): void {
    const c = cs.c;
    const t = fix.time;
    cs.arrivedAt = t;
    const site = this.geo.site(c.destSiteId);
    this.raise(out, 'ARRIVED', c.assetId, c.id, t, fix, `ARRIVED/c${c.id}`, {
      siteId: c.destSiteId, siteCode: site?.code, late: t > c.deadline, ...(cs.departedAt !== undefined ? { transitS: (t - cs.departedAt) / 1000 } : {}),
    });
    this.clearAll(cs, t, 'arrived', out);
    this.detach(c.assetId, c.id);
    this.updateStatus(cs, t, out);
  }

  /** Clears the episodes that end by themselves (all but SEAL_ALARM), on arrival or unwatch. */
  private clearAll(cs: ConsSt, t: number, reason: string, out: RuleEvent[]): void {
    const c = cs.c;
    if (cs.dev.ep) this.clear(out, 'ROUTE_DEVIATION', c.assetId, c.id, t, cs.dev.ep, { reason, maxDistanceM: r1(cs.dev.maxD) });
    if (cs.stop.ep) this.clear(out, 'UNSCHEDULED_STOP', c.assetId, c.id, t, cs.stop.ep, { reason });
    if (cs.sig) this.clear(out, 'SIGNAL_LOST', c.assetId, c.id, t, cs.sig.ep, { reason, gapS: (t - cs.sig.since) / 1000 });
    if (cs.site.ep) this.clear(out, 'WRONG_SITE', c.assetId, c.id, t, cs.site.ep, { reason, siteId: cs.site.id });
    if (cs.overdue) {
      this.clear(out, 'OVERDUE', c.assetId, c.id, t, cs.overdue, { reason, lateS: Math.max(0, (t - c.deadline) / 1000) });
    }
    cs.dev = { outN: 0, outSince: 0, inN: 0, maxD: 0 };
    cs.stop = { has: false, lon: 0, lat: 0, movN: 0, movT: 0, slowLast: false, inSite: false };
    cs.sig = undefined;
    cs.site = { since: 0, outN: 0 };
    cs.overdue = undefined;
  }

  private consTimers(cs: ConsSt, a: AssetSt | undefined, now: number, out: RuleEvent[]): void {
    if (cs.arrivedAt !== undefined) return;
    const c = cs.c;
    const last = a?.last;
    if (!cs.overdue && now > c.deadline) {
      cs.overdue = `OVERDUE/c${c.id}/${c.deadline}`;
      this.raise(out, 'OVERDUE', c.assetId, c.id, c.deadline, last, cs.overdue, { deadline: c.deadline, departed: cs.departed });
      this.updateStatus(cs, c.deadline, out);
    }
    if (!cs.departed) return;
    const r = this.rules(c.routeId);
    const thr = Math.max(r.signalLostFactor * (c.expectedIntervalS ?? r.expectedIntervalS), r.signalLostMinS) * 1000;
    const ref = Math.max(last?.t ?? -Infinity, cs.departedAt ?? c.departure);
    if (!cs.sig && now > ref + thr) {
      cs.sig = { ep: `SIGNAL_LOST/c${c.id}/${ref}`, since: ref };
      this.raise(out, 'SIGNAL_LOST', c.assetId, c.id, ref + thr, last, cs.sig.ep, {
        lastFixTime: last?.t ?? null, thresholdS: thr / 1000, expectedIntervalS: c.expectedIntervalS ?? r.expectedIntervalS,
      });
    }
    if (!last) return;
    // A stop or a dwell goes on between fixes as long as fixes are still expected (not past SIGNAL_LOST).
    const s = cs.stop;
    if (s.since !== undefined && !s.ep && s.slowLast && !s.inSite) {
      const due = s.since + r.stopMinS * 1000;
      if (now > due && due <= last.t + thr) {
        s.ep = `UNSCHEDULED_STOP/c${c.id}/${s.since}`;
        this.raise(out, 'UNSCHEDULED_STOP', c.assetId, c.id, due, last, s.ep, { dwellS: (due - s.since) / 1000, since: s.since, speedKmh: last.speed });
      }
    }
    const w = cs.site;
    if (w.id !== undefined && !w.ep && w.outN === 0) {
      const due = w.since + r.wrongSiteDwellS * 1000;
      if (now > due && due <= last.t + thr) this.raiseWrongSite(cs, due, last, out);
    }
  }

  private updateStatus(cs: ConsSt, t: number, out: RuleEvent[]): void {
    const s: ConsignmentStatus = cs.arrivedAt !== undefined ? 'arrived'
      : cs.dev.ep ? 'diverted'
      : cs.overdue ? 'overdue'
      : cs.departed ? 'in_transit'
      : 'planned';
    if (s === cs.status) return;
    cs.status = s;
    out.push({ kind: 'status', consignmentId: cs.c.id, status: s, time: t });
  }

  // --- asset rules ---

  private zoneRule(a: AssetSt, fix: Fix, cid: number | undefined, out: RuleEvent[]): void {
    const zones = this.geo.zonesAt(fix.lon, fix.lat);
    if (zones.length === 0 && !hasKeys(a.zones)) return;
    const t = fix.time;
    const seen = new Set<string>();
    for (const z of zones) {
      if (z.kind !== 'restricted') continue;
      const key = String(z.id);
      seen.add(key);
      const st = (a.zones[key] ??= { in: 0, out: 0, since: t });
      if (st.in === 0) st.since = t;
      st.in++;
      st.out = 0;
      if (!st.ep && st.in >= this.config.zoneEnterFixes) {
        st.ep = `ZONE_ENTRY/a${a.id}/z${z.id}/${st.since}`;
        st.cid = cid;
        this.raise(out, 'ZONE_ENTRY', a.id, cid, t, fix, st.ep, { zoneId: z.id, zoneCode: z.code, zoneName: z.name, since: st.since });
      }
    }
    for (const key of Object.keys(a.zones)) {
      if (seen.has(key)) continue;
      const st = a.zones[key]!;
      st.in = 0;
      st.out++;
      if (!st.ep) delete a.zones[key];
      else if (st.out >= this.config.zoneLeaveFixes) {
        this.clear(out, 'ZONE_ENTRY', a.id, st.cid, t, st.ep, { zoneId: Number(key), durationS: (t - st.since) / 1000 });
        delete a.zones[key];
      }
    }
  }

  private vesselTimers(a: AssetSt, now: number, out: RuleEvent[]): void {
    const last = a.last;
    if (!last || a.gap) return;
    const g = this.config.aisGap;
    const cls = a.cls ?? g.defaultClass;
    const kn = (last.speed ?? a.kmh ?? 0) / KN_TO_KMH;
    const moving = kn >= g.movingKn[cls];
    const c = g[cls];
    const thr = Math.max(g.factor * (moving ? c.movingIntervalS : c.slowIntervalS), moving ? c.movingFloorS : c.slowFloorS) * 1000;
    if (now <= last.t + thr) return;
    a.gap = { ep: `AIS_GAP/a${a.id}/${last.t}`, since: last.t };
    this.raise(out, 'AIS_GAP', a.id, undefined, last.t + thr, last, a.gap.ep, {
      lastFixTime: last.t, thresholdS: thr / 1000, aisClass: cls, speedKn: r1(kn), moving,
    });
  }

  private rendezvousRule(a: AssetSt, fix: Fix, out: RuleEvent[]): void {
    const R = this.config.rendezvous;
    const t = fix.time;
    const kmh = fix.speed ?? a.kmh;
    const kn = kmh === undefined ? Infinity : kmh / KN_TO_KMH;
    let slow = kn < R.maxKn;
    if (slow) {
      slow = this.geo.sitesWithin(fix.lon, fix.lat, R.siteBufferM).length === 0
        && !this.geo.zonesAt(fix.lon, fix.lat).some((z) => z.kind === 'anchorage');
    }
    a.rv = { slow, kn };
    // Pairs this vessel is in.
    for (const key of [...a.pairs]) {
      const p = this.pairs.get(key);
      if (!p) {
        a.pairs.splice(a.pairs.indexOf(key), 1);
        continue;
      }
      const other = this.assets.get(p.a === a.id ? p.b : p.a);
      const o = other?.last;
      const fresh = o !== undefined && t - o.t <= R.freshS * 1000;
      const d = o ? fastDistM(fix.lon, fix.lat, o.lon, o.lat) : Infinity;
      if (p.ep) {
        if (fresh && d > R.partM) {
          this.clear(out, 'RENDEZVOUS', p.a, undefined, t, p.ep, { otherAssetId: p.b, durationS: (t - p.since) / 1000, distanceM: Math.round(d) });
          this.dropPair(key, p);
        } else if (fresh) p.minD = Math.min(p.minD, d);
        continue;
      }
      const ok = fresh && d <= R.partM && kn < R.partKn && (other!.rv?.kn ?? Infinity) < R.partKn;
      if (!ok) {
        this.dropPair(key, p);
        continue;
      }
      p.minD = Math.min(p.minD, d);
      if (t - p.since > R.minS * 1000) {
        p.ep = `RENDEZVOUS/a${p.a}-a${p.b}/${p.since}`;
        this.raise(out, 'RENDEZVOUS', p.a, undefined, t, { lon: (fix.lon + o!.lon) / 2, lat: (fix.lat + o!.lat) / 2 }, p.ep, {
          otherAssetId: p.b, assetIds: [p.a, p.b], distanceM: Math.round(d), minDistanceM: Math.round(p.minD), since: p.since,
          durationS: (t - p.since) / 1000,
        });
      }
    }
    // The spatial hash of slow vessels, and new meetings.
    if (!slow) {
      this.moveSlow(a.id, undefined);
      return;
    }
    const key = this.cellKey(fix.lon, fix.lat);
    this.moveSlow(a.id, key);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const cell = this.slowGrid.get(key + dx * SPAN + dy);
        if (!cell) continue;
        for (const id of cell) {
          if (id === a.id) continue;
          const pk = pairKey(a.id, id);
          if (this.pairs.has(pk)) continue;
          const other = this.assets.get(id)!;
          const o = other.last!;
          if (t - o.t > R.freshS * 1000 || !other.rv?.slow) continue;
          const d = fastDistM(fix.lon, fix.lat, o.lon, o.lat);
          if (d > R.distanceM) continue;
          const p: PairSt = { a: Math.min(a.id, id), b: Math.max(a.id, id), since: t, minD: d };
          this.pairs.set(pk, p);
          a.pairs.push(pk);
          other.pairs.push(pk);
        }
      }
    }
  }

  private dropPair(key: string, p: PairSt): void {
    this.pairs.delete(key);
    for (const id of [p.a, p.b]) {
      const s = this.assets.get(id);
      const i = s ? s.pairs.indexOf(key) : -1;
      if (i >= 0) s!.pairs.splice(i, 1);
    }
  }

  private cellKey(lon: number, lat: number): number {
    const inv = 1 / this.config.rendezvous.cellDeg;
    return (Math.floor(lon * inv) + OFF) * SPAN + (Math.floor(lat * inv) + OFF);
  }

  private moveSlow(id: number, key: number | undefined): void {
    const old = this.slowCell.get(id);
    if (old === key) return;
    if (old !== undefined) {
      const set = this.slowGrid.get(old);
      set?.delete(id);
      if (set && set.size === 0) this.slowGrid.delete(old);
      this.slowCell.delete(id);
    }
    if (key !== undefined) {
      let set = this.slowGrid.get(key);
      if (!set) this.slowGrid.set(key, (set = new Set()));
      set.add(id);
      this.slowCell.set(id, key);
    }
  }

  // --- helpers ---

  private plausible(a: AssetSt, fix: Fix): boolean {
    const g = a.good;
    if (!g) {
      a.good = { t: fix.time, lon: fix.lon, lat: fix.lat };
      return true;
    }
    const max = a.kind === 'vessel' ? this.config.vesselMaxKmh : this.config.vehicleMaxKmh;
    if (this.fits(g, fix, max)) {
      a.kmh = this.kmh;
      g.t = fix.time;
      g.lon = fix.lon;
      g.lat = fix.lat;
      a.rej = undefined;
      return true;
    }
    // An outlier, unless it agrees with the previous outlier (then the old position was the stale one).
    if (a.rej && this.fits(a.rej, fix, max)) {
      a.kmh = this.kmh;
      a.good = { t: fix.time, lon: fix.lon, lat: fix.lat };
      a.rej = undefined;
      return true;
    }
    a.rej = { t: fix.time, lon: fix.lon, lat: fix.lat };
    return false;
  }

  /** Speed implied by the last fits() call, km/h. */
  private kmh: number | undefined;

  /** Whether moving from p to the fix needs no more than `max` km/h (after the jump tolerance). */
  private fits(p: Pt, fix: Fix, max: number): boolean {
    const dt = (fix.time - p.t) / 1000;
    if (dt <= 0) return false;
    const d = dist(p, fix);
    this.kmh = (d / dt) * 3.6;
    return (Math.max(0, d - this.config.jumpToleranceM) / dt) * 3.6 <= max;
  }

  private assetSt(ref: AssetRef): AssetSt {
    let a = this.assets.get(ref.id);
    if (!a) {
      a = { id: ref.id, kind: ref.kind, zones: {}, pairs: [] };
      this.assets.set(ref.id, a);
    }
    a.kind = ref.kind;
    if (ref.aisClass) a.cls = ref.aisClass;
    return a;
  }

  private rules(routeId: number | null): RouteRules {
    if (routeId === null) return this.config;
    let r = this.routeRules.get(routeId);
    if (!r) {
      const o = this.config.routes[routeId];
      r = o ? { ...this.config, ...o } : this.config;
      this.routeRules.set(routeId, r);
    }
    return r;
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

  private raise(
    out: RuleEvent[], type: AlertType, assetId: number, consignmentId: number | undefined, time: number,
    at: { lon: number; lat: number } | undefined, episode: string, detail: Record<string, unknown>,
  ): void {
    out.push({
      kind: 'raised',
      alert: {
        type, severity: ALERT_SEVERITY[type], mapStatus: ALERT_MAP_STATUS[type], assetId,
        ...(consignmentId !== undefined ? { consignmentId } : {}),
        time, ...(at ? { lon: at.lon, lat: at.lat } : {}), detail, episode,
      },
    });
  }

  private clear(
    out: RuleEvent[], type: AlertType, assetId: number, consignmentId: number | undefined, time: number, episode: string,
    detail?: Record<string, unknown>,
  ): void {
    out.push({ kind: 'cleared', type, assetId, ...(consignmentId !== undefined ? { consignmentId } : {}), time, episode, ...(detail ? { detail } : {}) });
  }
}

const pairKey = (a: number, b: number): string => (a < b ? `${a}-${b}` : `${b}-${a}`);
const hasKeys = (o: object): boolean => {
  for (const _ in o) return true;
  return false;
};
const dist = (p: Pt, q: { lon: number; lat: number }): number => {
  const d = fastDistM(p.lon, p.lat, q.lon, q.lat);
  return d < 20_000 ? d : haversineM(p.lon, p.lat, q.lon, q.lat);
};
