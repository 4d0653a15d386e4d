// The rules of a consignment in transit: departure, ROUTE_DEVIATION (the corridor),
// UNSCHEDULED_STOP, SIGNAL_LOST, OVERDUE, WRONG_SITE, ARRIVED and SEAL_ALARM, and the status they
// imply. Each takes the consignment's state (state.ts) and reports through episodes.ts.
import type { ConsignmentStatus } from '../../lib/domain';
import { alarmNames } from '../../lib/deviceAlarms';
import { fastDistM, type GeofenceIndex } from '../geofence/index';
import { clear, oneDecimal, raise, type OpenEpisode, type Place, type Subject } from './episodes';
import { freshDeviation, freshStop, freshWrongSite, type AssetState, type ConsignmentState, type LastFix } from './state';
import type { Fix, OutsideEvent, RouteRules, RuleEvent, RulesConfig, WatchedConsignment } from './types';

const subjectOf = (state: ConsignmentState): Subject => ({ assetId: state.c.assetId, consignmentId: state.c.id });

/** Statuses in which the carrier is under way (set from outside, e.g. a gate-out, or by the engine). */
export const isUnderWay = (status: ConsignmentStatus): boolean => status === 'in_transit' || status === 'diverted' || status === 'overdue';

/** A fresh state for a consignment that starts being watched. */
export function newConsignmentState(c: WatchedConsignment): ConsignmentState {
  const departed = isUnderWay(c.status);
  return {
    c: { ...c },
    status: c.status,
    departed,
    departedAt: departed ? c.departure : undefined,
    left: false,
    outN: 0,
    dev: freshDeviation(),
    stop: freshStop(),
    site: freshWrongSite(),
    seal: { bit: false, count: 0 },
  };
}

export class ConsignmentRules {
  /** Thresholds per route (the config overlaid with the route's overrides), built once. */
  private byRoute = new Map<number, RouteRules>();

  constructor(
    private geo: GeofenceIndex,
    private config: RulesConfig,
    /** An asset's expected reporting interval (its devices' setting), if one is set. */
    private intervalOf: (assetId: number) => number | undefined = () => undefined,
  ) {}

  /** A route's overrides changed (config.routes): rebuild its thresholds on next use. */
  forgetRoute(routeId: number): void {
    this.byRoute.delete(routeId);
  }

  /** A plausible or implausible fix of the carrier, in order. The caller detaches the consignment once it has arrived. */
  onFix(state: ConsignmentState, fix: Fix, plausible: boolean, out: RuleEvent[]): void {
    if (state.arrivedAt !== undefined) return;
    const time = fix.time;
    const c = state.c;
    const rules = this.rulesOf(c.routeId);
    if (state.sig) {
      clear(out, 'SIGNAL_LOST', subjectOf(state), time, state.sig.ep, { gapS: (time - state.sig.since) / 1000, lon: fix.lon, lat: fix.lat });
      state.sig = undefined;
    }
    this.sealFlags(state, fix, out);
    if (!plausible) return;
    if (this.geo.inSite(c.destSiteId, fix.lon, fix.lat)) {
      this.arrive(state, fix, out);
      return;
    }
    const inOrigin = this.geo.inSite(c.originSiteId, fix.lon, fix.lat);
    if (!state.left) {
      if (inOrigin) state.outN = 0;
      else if ((this.geo.distanceToSite(c.originSiteId, fix.lon, fix.lat) ?? Infinity) >= rules.departMarginM) state.outN++;
      if (state.outN >= rules.departFixes) {
        state.left = true;
        if (!state.departed) {
          state.departed = true;
          state.departedAt = time;
          updateStatus(state, time, out);
        }
      }
    }
    if (!state.departed) return;
    this.deviation(state, fix, inOrigin, rules, out);
    this.stop(state, fix, rules, out);
    this.wrongSite(state, fix, rules, out);
  }

  /** A fix older than the carrier's last: too old to move anything, but a seal flag in it still counts. */
  onLateFix(state: ConsignmentState, fix: Fix, out: RuleEvent[]): void {
    const on = ((fix.alarm! >>> 0) & this.config.sealAlarmMask) !== 0;
    if (!on || !state.departed || state.arrivedAt !== undefined || state.seal.ep) return;
    this.raiseSeal(state, fix, out);
  }

  /** A seal event from outside (gate, seal system): raises SEAL_ALARM, or adds a report to the open one. */
  onSealEvent(state: ConsignmentState, e: OutsideEvent, lastFix: LastFix | undefined, out: RuleEvent[]): void {
    if (!state.departed || state.arrivedAt !== undefined) return;
    const seal = state.seal;
    if (seal.ep) {
      seal.count++;
      return;
    }
    seal.ep = `SEAL_ALARM/c${state.c.id}/${e.time}`;
    seal.count = 1;
    raise(out, 'SEAL_ALARM', subjectOf(state), e.time, lastFix, seal.ep, {
      source: 'event',
      event: e.kind,
      ...(e.siteId !== undefined ? { siteId: e.siteId } : {}),
      ...e.detail,
    });
  }

  /** An officer acknowledged `episode`: the only way a SEAL_ALARM ends. */
  acknowledge(state: ConsignmentState, episode: string, time: number, out: RuleEvent[]): void {
    if (state.seal.ep !== episode) return;
    clear(out, 'SEAL_ALARM', subjectOf(state), time, episode, { reason: 'acknowledged', reports: state.seal.count });
    state.seal.ep = undefined;
    state.seal.count = 0;
  }

  /** Timers due by `now` when no fix came: OVERDUE, SIGNAL_LOST, and a stop or a dwell that goes on. */
  timers(state: ConsignmentState, asset: AssetState | undefined, now: number, out: RuleEvent[]): void {
    if (state.arrivedAt !== undefined) return;
    const c = state.c;
    const last = asset?.last;
    if (!state.overdue && now > c.deadline) {
      state.overdue = `OVERDUE/c${c.id}/${c.deadline}`;
      raise(out, 'OVERDUE', subjectOf(state), c.deadline, last, state.overdue, { deadline: c.deadline, departed: state.departed });
      updateStatus(state, c.deadline, out);
    }
    if (!state.departed) return;
    const rules = this.rulesOf(c.routeId);
    // The movement's own, then the device's setting, then the route's (or the global) threshold.
    const expectedIntervalS = c.expectedIntervalS ?? this.intervalOf(c.assetId) ?? rules.expectedIntervalS;
    const silenceMs = Math.max(rules.signalLostFactor * expectedIntervalS, rules.signalLostMinS) * 1000;
    const lastSign = Math.max(last?.t ?? -Infinity, state.departedAt ?? c.departure);
    if (!state.sig && now > lastSign + silenceMs) {
      state.sig = { ep: `SIGNAL_LOST/c${c.id}/${lastSign}`, since: lastSign };
      raise(out, 'SIGNAL_LOST', subjectOf(state), lastSign + silenceMs, last, state.sig.ep, {
        lastFixTime: last?.t ?? null,
        thresholdS: silenceMs / 1000,
        expectedIntervalS,
      });
    }
    if (!last) return;
    // A stop or a dwell goes on between fixes as long as fixes are still expected (not past SIGNAL_LOST).
    const stop = state.stop;
    if (stop.since !== undefined && !stop.ep && stop.slowLast && !stop.inSite) {
      const due = stop.since + rules.stopMinS * 1000;
      if (now > due && due <= last.t + silenceMs) {
        stop.ep = `UNSCHEDULED_STOP/c${c.id}/${stop.since}`;
        raise(out, 'UNSCHEDULED_STOP', subjectOf(state), due, last, stop.ep, { dwellS: (due - stop.since) / 1000, since: stop.since, speedKmh: last.speed });
      }
    }
    const site = state.site;
    if (site.id !== undefined && !site.ep && site.outN === 0) {
      const due = site.since + rules.wrongSiteDwellS * 1000;
      if (now > due && due <= last.t + silenceMs) this.raiseWrongSite(state, due, last, out);
    }
  }

  /** The deadline moved later: an open OVERDUE episode ends (`time`: the engine's clock for the carrier), and the status follows. */
  deadlineExtended(state: ConsignmentState, time: number, out: RuleEvent[]): void {
    if (!state.overdue || state.arrivedAt !== undefined) return;
    clear(out, 'OVERDUE', subjectOf(state), time, state.overdue, { reason: 'deadline_extended', deadline: state.c.deadline });
    state.overdue = undefined;
    updateStatus(state, time, out);
  }

  /** Clears the episodes that end by themselves (all but SEAL_ALARM), on arrival or unwatch. */
  clearAll(state: ConsignmentState, time: number, reason: string, out: RuleEvent[]): void {
    const c = state.c;
    const subject = subjectOf(state);
    if (state.dev.ep) clear(out, 'ROUTE_DEVIATION', subject, time, state.dev.ep, { reason, maxDistanceM: oneDecimal(state.dev.maxD) });
    if (state.stop.ep) clear(out, 'UNSCHEDULED_STOP', subject, time, state.stop.ep, { reason });
    if (state.sig) clear(out, 'SIGNAL_LOST', subject, time, state.sig.ep, { reason, gapS: (time - state.sig.since) / 1000 });
    if (state.site.ep) clear(out, 'WRONG_SITE', subject, time, state.site.ep, { reason, siteId: state.site.id });
    if (state.overdue) {
      clear(out, 'OVERDUE', subject, time, state.overdue, { reason, lateS: Math.max(0, (time - c.deadline) / 1000) });
    }
    state.dev = freshDeviation();
    state.stop = freshStop();
    state.sig = undefined;
    state.site = freshWrongSite();
    state.overdue = undefined;
  }

  private deviation(state: ConsignmentState, fix: Fix, inOrigin: boolean, rules: RouteRules, out: RuleEvent[]): void {
    const c = state.c;
    if (c.routeId === null) return;
    const route = this.geo.route(c.routeId);
    if (!route) return;
    const toRoute = inOrigin ? undefined : this.geo.distanceToRoute(c.routeId, fix.lon, fix.lat);
    const distanceM = toRoute?.metres ?? 0;
    const halfWidthM = route.corridorM;
    const deviation = state.dev;
    const time = fix.time;
    if (distanceM > halfWidthM) {
      deviation.inN = 0;
      if (deviation.outN === 0) deviation.outSince = time;
      deviation.outN++;
      if (deviation.ep) deviation.maxD = Math.max(deviation.maxD, distanceM);
      else if (deviation.outN >= rules.deviationMinFixes && time - deviation.outSince >= rules.deviationMinSpanS * 1000) {
        deviation.ep = `ROUTE_DEVIATION/c${c.id}/${deviation.outSince}`;
        deviation.since = deviation.outSince;
        deviation.maxD = distanceM;
        raise(out, 'ROUTE_DEVIATION', subjectOf(state), time, fix, deviation.ep, {
          distanceM: oneDecimal(distanceM),
          corridorM: halfWidthM,
          alongM: Math.round(toRoute?.alongM ?? 0),
          routeId: c.routeId,
          since: deviation.outSince,
          fixes: deviation.outN,
        });
        updateStatus(state, time, out);
      }
      return;
    }
    deviation.outN = 0;
    if (!deviation.ep) return;
    deviation.inN = distanceM <= halfWidthM * rules.deviationClearFraction ? deviation.inN + 1 : 0;
    if (deviation.inN >= rules.deviationClearFixes) {
      clear(out, 'ROUTE_DEVIATION', subjectOf(state), time, deviation.ep, {
        maxDistanceM: oneDecimal(deviation.maxD),
        durationS: (time - (deviation.since ?? time)) / 1000,
        distanceM: oneDecimal(distanceM),
      });
      deviation.ep = undefined;
      deviation.inN = 0;
      updateStatus(state, time, out);
    }
  }

  private stop(state: ConsignmentState, fix: Fix, rules: RouteRules, out: RuleEvent[]): void {
    const stop = state.stop;
    const c = state.c;
    const time = fix.time;
    const hasSpeed = fix.speed !== undefined;
    if (stop.since === undefined) {
      // A stop begins at a fix slower than the threshold or, for a fix without speed, one within the
      // stop radius of the previous fix (held in stop.lon/stop.lat, which then anchors the stop).
      const slow = hasSpeed ? fix.speed! < rules.stopSpeedKmh : stop.has && fastDistM(stop.lon, stop.lat, fix.lon, fix.lat) <= rules.stopRadiusM;
      if (!slow) {
        stop.lon = fix.lon;
        stop.lat = fix.lat;
        stop.has = true;
        stop.slowLast = false;
        return;
      }
      if (hasSpeed || !stop.has) {
        stop.lon = fix.lon;
        stop.lat = fix.lat;
        stop.has = true;
      }
      stop.since = time;
      stop.movN = 0;
    } else {
      // Moving again: two fixes in a row at or above the threshold (or, without speed, outside the radius).
      const moving = hasSpeed ? fix.speed! >= rules.stopSpeedKmh : fastDistM(stop.lon, stop.lat, fix.lon, fix.lat) > rules.stopRadiusM;
      if (moving) {
        if (stop.movN === 0) stop.movT = time;
        stop.movN++;
      } else stop.movN = 0;
      if (stop.movN >= 2) {
        if (stop.ep) clear(out, 'UNSCHEDULED_STOP', subjectOf(state), time, stop.ep, { dwellS: (stop.movT - stop.since) / 1000 });
        stop.ep = undefined;
        stop.since = undefined;
        stop.movN = 0;
        stop.slowLast = false;
        stop.lon = fix.lon;
        stop.lat = fix.lat;
        return;
      }
    }
    stop.slowLast = stop.movN === 0;
    if (!stop.slowLast) return;
    stop.inSite = this.geo.sitesAt(fix.lon, fix.lat).length > 0;
    if (!stop.ep && !stop.inSite && time - stop.since > rules.stopMinS * 1000) {
      stop.ep = `UNSCHEDULED_STOP/c${c.id}/${stop.since}`;
      raise(out, 'UNSCHEDULED_STOP', subjectOf(state), time, fix, stop.ep, { dwellS: (time - stop.since) / 1000, since: stop.since, speedKmh: fix.speed });
    }
  }

  private wrongSite(state: ConsignmentState, fix: Fix, rules: RouteRules, out: RuleEvent[]): void {
    const site = state.site;
    const c = state.c;
    const time = fix.time;
    if (site.id !== undefined) {
      if (this.geo.inSite(site.id, fix.lon, fix.lat)) site.outN = 0;
      else if (++site.outN >= rules.siteLeaveFixes) {
        if (site.ep) clear(out, 'WRONG_SITE', subjectOf(state), time, site.ep, { siteId: site.id, dwellS: (time - site.since) / 1000 });
        site.id = undefined;
        site.ep = undefined;
        site.outN = 0;
      }
    }
    if (site.id === undefined) {
      for (const s of this.geo.sitesAt(fix.lon, fix.lat)) {
        if (s.id === c.destSiteId) continue;
        if (s.id === c.originSiteId && !(state.left && rules.originReentryIsWrong)) continue;
        site.id = s.id;
        site.since = time;
        site.outN = 0;
        break;
      }
    }
    if (site.id !== undefined && site.outN === 0 && !site.ep && time - site.since > rules.wrongSiteDwellS * 1000) this.raiseWrongSite(state, time, fix, out);
  }

  private raiseWrongSite(state: ConsignmentState, time: number, at: Place, out: RuleEvent[]): void {
    const wrong = state.site;
    const site = this.geo.site(wrong.id!);
    wrong.ep = `WRONG_SITE/c${state.c.id}/s${wrong.id}/${wrong.since}`;
    raise(out, 'WRONG_SITE', subjectOf(state), time, at, wrong.ep, {
      siteId: wrong.id,
      siteCode: site?.code,
      siteKind: site?.kind,
      dwellS: (time - wrong.since) / 1000,
      since: wrong.since,
      origin: wrong.id === state.c.originSiteId,
    });
  }

  /** The seal flags of an in-order fix: a rising edge raises (or adds a report to the open episode). */
  private sealFlags(state: ConsignmentState, fix: Fix, out: RuleEvent[]): void {
    if (fix.alarm === undefined) return;
    const on = ((fix.alarm >>> 0) & this.config.sealAlarmMask) !== 0;
    const rising = on && !state.seal.bit;
    state.seal.bit = on;
    if (!rising || !state.departed || state.arrivedAt !== undefined) return;
    if (state.seal.ep) {
      state.seal.count++;
      return;
    }
    this.raiseSeal(state, fix, out);
  }

  private raiseSeal(state: ConsignmentState, fix: Fix, out: RuleEvent[]): void {
    state.seal.ep = `SEAL_ALARM/c${state.c.id}/${fix.time}`;
    state.seal.count = 1;
    raise(out, 'SEAL_ALARM', subjectOf(state), fix.time, fix, state.seal.ep, {
      source: 'device',
      alarm: fix.alarm! >>> 0,
      alarms: alarmNames(fix.alarm!),
    });
  }

  private arrive(state: ConsignmentState, fix: Fix, out: RuleEvent[]): void {
    const c = state.c;
    const time = fix.time;
    state.arrivedAt = time;
    const site = this.geo.site(c.destSiteId);
    raise(out, 'ARRIVED', subjectOf(state), time, fix, `ARRIVED/c${c.id}`, {
      siteId: c.destSiteId,
      siteCode: site?.code,
      late: time > c.deadline,
      ...(state.departedAt !== undefined ? { transitS: (time - state.departedAt) / 1000 } : {}),
    });
    this.clearAll(state, time, 'arrived', out);
    updateStatus(state, time, out);
  }

  private rulesOf(routeId: number | null): RouteRules {
    if (routeId === null) return this.config;
    let rules = this.byRoute.get(routeId);
    if (!rules) {
      const overrides = this.config.routes[routeId];
      rules = overrides ? { ...this.config, ...overrides } : this.config;
      this.byRoute.set(routeId, rules);
    }
    return rules;
  }
}

/** The status the consignment's episodes imply; a change is reported. */
function updateStatus(state: ConsignmentState, time: number, out: RuleEvent[]): void {
  const status: ConsignmentStatus = state.arrivedAt !== undefined ? 'arrived' : state.dev.ep ? 'diverted' : state.overdue ? 'overdue' : state.departed ? 'in_transit' : 'planned';
  if (status === state.status) return;
  state.status = status;
  out.push({ kind: 'status', consignmentId: state.c.id, status, time });
}

/** The consignment's open episodes, in the order openEpisodes() has always listed them. */
export function openEpisodesOf(state: ConsignmentState): OpenEpisode[] {
  const list: OpenEpisode[] = [];
  const x = { assetId: state.c.assetId, consignmentId: state.c.id };
  if (state.dev.ep) list.push({ episode: state.dev.ep, type: 'ROUTE_DEVIATION', ...x });
  if (state.stop.ep) list.push({ episode: state.stop.ep, type: 'UNSCHEDULED_STOP', ...x });
  if (state.sig) list.push({ episode: state.sig.ep, type: 'SIGNAL_LOST', ...x });
  if (state.overdue) list.push({ episode: state.overdue, type: 'OVERDUE', ...x });
  if (state.site.ep) list.push({ episode: state.site.ep, type: 'WRONG_SITE', ...x });
  if (state.seal.ep) list.push({ episode: state.seal.ep, type: 'SEAL_ALARM', ...x });
  return list;
}
