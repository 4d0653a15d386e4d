// Domain types shared by browser and server (see DESIGN.md, Domain).
import { z } from 'zod';
import './zodBrowser';

export type LonLat = [number, number];

export const DISTRICT_LEVELS = ['hq', 'direct', 'office'] as const;
export type DistrictLevel = (typeof DISTRICT_LEVELS)[number];

export const SITE_KINDS = ['port_terminal', 'bonded_zone', 'warehouse', 'inspection', 'border'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

/** Zone kinds (what each means for the rules: server/geofence/index.ts). */
export const ZONE_KINDS = ['restricted', 'anchorage', 'bonded'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

export const ASSET_KINDS = ['vehicle', 'vessel'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export const CONSIGNMENT_STATUSES = ['planned', 'in_transit', 'arrived', 'diverted', 'overdue', 'closed', 'cancelled'] as const;
export type ConsignmentStatus = (typeof CONSIGNMENT_STATUSES)[number];

export const POSITION_SOURCES = ['sim', 'ais', 'jt808', 'jt809', 'osmand', 'http', 'replay'] as const;
export type PositionSource = (typeof POSITION_SOURCES)[number];

/** How far ahead of the server clock a fix may be stamped before it is refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * A position report as every source hands it to the pipeline: one fix of one asset.
 * `assetKey` names the asset in the source's own terms (`mmsi:413000001`,
 * `tel:013912345678`, `plate:沪A12345`); the pipeline maps it to an asset id.
 * Speed is km/h for every kind (the UI shows knots for vessels); course is degrees true.
 */
export const PositionReportSchema = z.object({
  assetKey: z.string().min(3).max(64),
  kind: z.enum(ASSET_KINDS),
  time: z.number().int().positive(), // ms since epoch, UTC
  lon: z.number().finite().gte(-180).lte(180),
  lat: z.number().finite().gte(-90).lte(90),
  speed: z.number().finite().gte(0).lt(2000).optional(),
  course: z.number().finite().gte(0).lt(360).optional(),
  heading: z.number().finite().gte(0).lt(360).optional(),
  source: z.enum(POSITION_SOURCES),
  alarm: z.number().int().nonnegative().optional(), // device alarm flags, a u32 set (lib/deviceAlarms.ts)
  label: z.string().max(64).optional(), // plate or vessel name, for a first sight
});
export type PositionReport = z.infer<typeof PositionReportSchema>;

/** Status shown on the map, by priority (see UI.md palette). */
export const ASSET_STATUSES = ['normal', 'stopped', 'warning', 'critical', 'stale'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];
export const assetStatusCode = (s: AssetStatus): number => ASSET_STATUSES.indexOf(s);

/** Alert types (DESIGN.md, Alerts), shared by the rules engine, the REST filters and the UI. */
export const ALERT_TYPES = [
  'ROUTE_DEVIATION',
  'UNSCHEDULED_STOP',
  'SIGNAL_LOST',
  'OVERDUE',
  'WRONG_SITE',
  'ARRIVED',
  'SEAL_ALARM',
  'AIS_GAP',
  'RENDEZVOUS',
  'ZONE_ENTRY',
  // Raised by the customs links (server/links/), not by the rules engine.
  'GATE_MISMATCH',
  'NOT_RECEIVED',
  'UNDECLARED_OUT',
  'ZONE_UNAUTHORISED',
  'INSPECTION_OVERDUE',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
