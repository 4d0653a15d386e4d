// AIS track plausibility. AIS is unauthenticated radio: anyone with a transmitter (or a line into
// a listener) can make up an MMSI and a position with a valid checksum. A fix is drawn, checked
// by the rules and stored only once something confirms it. The rule:
//
//  - Two fixes are CONSISTENT when a vessel could have made the move between them:
//    distance ≤ noiseM + maxSpeed × |Δt|  (60 kn, the upper end of class A and B craft; 500 m for
//    GPS noise and for receive-time stamps that are a few seconds off).
//  - A vessel with a verified fix in the last hour (its ANCHOR: the gate's own, or the map's latest
//    fix after a restart): a fix consistent with the anchor is verified and becomes the anchor.
//    A fix that is not is held as unverified ('off_track').
//  - A vessel without such an anchor (a new MMSI, or silent over an hour): its fix is held
//    ('new_vessel') until a second fix confirms it.
//  - A held fix is CONFIRMED by the next fix of the same MMSI when that one is consistent with it,
//    at least 1 s and at most 10 min apart (the same transmission heard twice is not a second
//    fix). Both are then verified and passed on in time order, and the track re-anchors there: a
//    vessel whose transponder jumped (or that was spoofed while at sea) is found again after two
//    fixes that agree. Only the latest held fix counts: a held fix that the next one does not
//    confirm is replaced by it.
//
// Held fixes are kept in memory only, not stored: storing them would need an asset row per
// made-up MMSI (a sender could fill the asset table and the search with phantoms) and a flag
// that every reader of positions (tracks, replay, restore, ledger) would have to honour. A fix
// that is confirmed is stored with the one that confirms it, so a verified track loses nothing.
// What is lost is a lone fix nothing agreed with, which is counted (tw_ais_unverified_total).
// Static data (names, call signs) of a vessel with no verified fix is held the same way and
// applied when its first fix is verified. Memory is bounded: the oldest held entries go first.
//
// Limits: a sender that may feed the listener (AIS_ALLOW) and sends two agreeing fixes per MMSI
// gets them drawn; the allow-list is the boundary, this gate stops random and jumping fixes.
import type { PositionReport } from '../../../lib/domain';
import { haversineM } from '../../geofence/geo';
import type { VesselStatic } from '../types';

export interface PlausibilityRule {
  /** Fastest plausible speed over ground (knots). */
  maxSpeedKn: number;
  /** Distance allowed on top of maxSpeed × Δt (metres). */
  noiseM: number;
  /** A held fix is confirmed only by a fix at most this far apart in time. */
  confirmWithinMs: number;
  /** …and at least this far apart. */
  minGapMs: number;
  /** A verified fix anchors the track this long; after that the next fix needs confirming. */
  anchorTrustMs: number;
}

export const AIS_PLAUSIBILITY: PlausibilityRule = {
  maxSpeedKn: 60,
  noiseM: 500,
  confirmWithinMs: 10 * 60_000,
  minGapMs: 1000,
  anchorTrustMs: 60 * 60_000,
};

export interface Fix {
  lon: number;
  lat: number;
  time: number;
}

export type HeldReason = 'new_vessel' | 'off_track';

export interface GateOutcome {
  /** Verified fixes to pass on now, oldest first (none, this one, or a held one and this one). */
  release: PositionReport[];
  /** Static data held for the vessel, to apply now that it is verified. */
  statics: VesselStatic[];
  /** Why this fix was held, when it was. */
  held?: HeldReason;
}

const KNOT_MS = 1852 / 3600;

/** Whether a vessel could have been at both fixes (in either order). */
export function consistent(a: Fix, b: Fix, rule: PlausibilityRule = AIS_PLAUSIBILITY): boolean {
  const dtS = Math.abs(b.time - a.time) / 1000;
  return haversineM(a.lon, a.lat, b.lon, b.lat) <= rule.noiseM + rule.maxSpeedKn * KNOT_MS * dtS;
}

/** Whether `next` confirms the held fix `held`. */
export function confirms(held: Fix, next: Fix, rule: PlausibilityRule = AIS_PLAUSIBILITY): boolean {
  const dt = Math.abs(next.time - held.time);
  return dt >= rule.minGapMs && dt <= rule.confirmWithinMs && consistent(held, next, rule);
}

export interface AisTrackGateOptions {
  rule?: PlausibilityRule;
  /** The newest fix already on the map for an asset key (verified earlier, or restored after a restart). */
  lastKnown?: (assetKey: string) => Fix | undefined;
  /** Vessels whose anchor is remembered (default 200 000; the least recently seen go first). */
  maxAnchors?: number;
  /** Held fixes and held static data remembered (default 20 000 each; the oldest go first). */
  maxHeld?: number;
}

/** Decides, per MMSI, which AIS fixes are verified (see the rule above). Pure: the caller gives the clock. */
export class AisTrackGate {
  private rule: PlausibilityRule;
  private anchors = new Map<string, Fix>();
  private held = new Map<string, { report: PositionReport; at: number }>();
  private heldStatic = new Map<string, { update: VesselStatic; at: number }>();
  private maxAnchors: number;
  private maxHeld: number;

  constructor(private opts: AisTrackGateOptions = {}) {
    this.rule = opts.rule ?? AIS_PLAUSIBILITY;
    this.maxAnchors = opts.maxAnchors ?? 200_000;
    this.maxHeld = opts.maxHeld ?? 20_000;
  }

  /** Fixes held now (for tests and the log). */
  get heldCount(): number {
    return this.held.size;
  }

  admit(report: PositionReport, nowMs: number): GateOutcome {
    const key = report.assetKey;
    const anchor = this.anchorOf(key);
    const trusted = anchor && Math.abs(report.time - anchor.time) <= this.rule.anchorTrustMs ? anchor : undefined;
    if (trusted && consistent(trusted, report, this.rule)) {
      this.held.delete(key);
      this.verified(key, report);
      return { release: [report], statics: this.takeStatic(key) };
    }
    const pending = this.held.get(key)?.report;
    if (pending && confirms(pending, report, this.rule)) {
      this.held.delete(key);
      const both = pending.time <= report.time ? [pending, report] : [report, pending];
      for (const r of both) this.verified(key, r);
      return { release: both, statics: this.takeStatic(key) };
    }
    this.held.delete(key);
    this.held.set(key, { report, at: nowMs });
    if (this.held.size > this.maxHeld) this.held.delete(this.held.keys().next().value!);
    return { release: [], statics: [], held: trusted ? 'off_track' : 'new_vessel' };
  }

  /** Static data: applied at once for a vessel with a verified fix, else held (merged) until it has one. */
  admitStatic(update: VesselStatic, nowMs: number): VesselStatic | null {
    const key = `mmsi:${update.mmsi}`;
    if (this.anchorOf(key)) return update;
    const merged = { ...this.heldStatic.get(key)?.update, ...update };
    this.heldStatic.delete(key);
    this.heldStatic.set(key, { update: merged, at: nowMs });
    if (this.heldStatic.size > this.maxHeld) this.heldStatic.delete(this.heldStatic.keys().next().value!);
    return null;
  }

  /** Forgets held fixes too old to be confirmed, and held static data older than half an hour. */
  expire(nowMs: number): void {
    for (const [key, h] of this.held) if (nowMs - h.at > this.rule.confirmWithinMs) this.held.delete(key);
    for (const [key, h] of this.heldStatic) if (nowMs - h.at > 30 * 60_000) this.heldStatic.delete(key);
  }

  /** The newer of the gate's own anchor and the map's latest fix. */
  private anchorOf(key: string): Fix | undefined {
    const own = this.anchors.get(key);
    const known = this.opts.lastKnown?.(key);
    if (!known) return own;
    return !own || known.time > own.time ? known : own;
  }

  private verified(key: string, fix: Fix): void {
    const current = this.anchors.get(key);
    if (current && current.time >= fix.time) return;
    this.anchors.delete(key);
    this.anchors.set(key, { lon: fix.lon, lat: fix.lat, time: fix.time });
    if (this.anchors.size > this.maxAnchors) this.anchors.delete(this.anchors.keys().next().value!);
  }

  private takeStatic(key: string): VesselStatic[] {
    const s = this.heldStatic.get(key);
    if (!s) return [];
    this.heldStatic.delete(key);
    return [s.update];
  }
}
