// The console's picture of one consignment's journey, as GET /api/consignments/{id}/journey
// serves it: the movement, its approved route and sites, its track with each fix's distance off
// the route, its alerts and events as one timeline, and where it stands now (ETA).
import type { Feature, LineString, MultiPolygon, Polygon } from 'geojson';
import type { AssetKind, ConsignmentStatus } from './domain';

export interface JourneyAsset {
  id: number;
  key: string;
  kind: AssetKind;
  label: string | null;
  plate: string | null;
  mmsi: string | null;
}

export interface JourneyConsignment {
  id: number;
  reference: string;
  sealId: string | null;
  status: ConsignmentStatus;
  goods: string | null;
  carrier: string | null;
  districts: string[];
  departure: string;
  deadline: string;
  arrivedAt: string | null;
  asset: JourneyAsset;
  origin: { code: string; name: string; nameEn: string };
  destination: { code: string; name: string; nameEn: string };
  route: string | null;
}

export interface JourneyRoute {
  code: string;
  name: string;
  nameEn: string;
  /** Half-width of the corridor: a fix farther than this from the centre line is off route. */
  corridorM: number;
  lengthM: number;
  path: LineString;
  corridor: Polygon | MultiPolygon;
}

/** One fix: [lon, lat, time (ms), speed (km/h, NaN unknown), metres off the route (NaN without a route)]. */
export type JourneyFix = [number, number, number, number, number];

/** `action`: an officer's change of the movement (edit, extend, hand over, close, cancel), from the audit log. */
export type TimelineKind = 'departure' | 'arrived' | 'deadline' | 'event' | 'alert' | 'action';

export interface TimelineEntry {
  time: number;
  kind: TimelineKind;
  /** The event kind (gate_out, seal_checked…) or the alert type. */
  code?: string;
  severity?: 'info' | 'warning' | 'critical';
  state?: 'open' | 'acknowledged' | 'resolved';
  alertId?: number;
  /** Where it happened, in Chinese and English. */
  site?: string | null;
  siteEn?: string | null;
  lon?: number | null;
  lat?: number | null;
  /** An action: who made it (username). */
  by?: string | null;
  /** An action: why. */
  reason?: string | null;
  /** An action: what it was and what it became (the deadline as ISO 8601, a plate, edited fields as text). */
  from?: string | null;
  to?: string | null;
}

export interface JourneyProgress {
  at: number;
  lon: number;
  lat: number;
  offRouteM: number | null;
  /** Route length left from the nearest point on the route to the destination. */
  remainingM: number | null;
  /** Mean speed over the last 30 minutes of fixes, stops included (km/h). */
  recentSpeedKmh: number | null;
  /** Estimated arrival (ms), or null when it cannot be estimated (arrived, stopped, no route). */
  eta: number | null;
}

/** A consignment's journey, or (consignment null) a carrier's own history when it has no movement. */
export interface Journey {
  asset: JourneyAsset;
  consignment: JourneyConsignment | null;
  route: JourneyRoute | null;
  sites: { origin: Feature<Polygon>; destination: Feature<Polygon> } | null;
  window: { from: number; to: number };
  track: { fixes: JourneyFix[]; simplified: boolean; total: number };
  timeline: TimelineEntry[];
  progress: JourneyProgress | null;
}

/**
 * A journey brought up to date by a refresh that asked only for what came after its last fix
 * (`?from=`): everything from the refresh, its newer fixes joined onto the track already held
 * (a fix held already, from a refresh that crossed this one, is not added twice).
 */
export function extendJourney(held: Journey, since: Journey): Journey {
  const last = held.track.fixes[held.track.fixes.length - 1]?.[2] ?? -Infinity;
  const newer = since.track.fixes.filter((f) => f[2] > last);
  // The refresh's timeline holds the movement's own entries whole but the carrier's other ones
  // only from its window on: keep the earlier ones held.
  const key = (e: TimelineEntry) => (e.alertId !== undefined ? `alert:${e.alertId}` : `${e.kind}:${e.code ?? ''}:${e.time}`);
  const fresh = new Set(since.timeline.map(key));
  const earlier = held.timeline.filter((e) => e.time < since.window.from && !fresh.has(key(e)));
  return {
    ...since,
    timeline: earlier.length ? [...earlier, ...since.timeline].sort((a, b) => a.time - b.time) : since.timeline,
    window: { from: held.window.from, to: Math.max(held.window.to, since.window.to) },
    track: {
      fixes: newer.length ? [...held.track.fixes, ...newer] : held.track.fixes,
      simplified: held.track.simplified,
      total: held.track.total + newer.length,
    },
  };
}

/** The `from` (ms) a refresh asks for: just after the last fix held, or none to load it whole. */
export const refreshFrom = (held: Journey | null): number | null => {
  const last = held?.track.fixes[held.track.fixes.length - 1];
  return last ? last[2] + 1 : null;
};
