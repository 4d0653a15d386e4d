// The alert as it crosses the wire (REST and Socket.IO): one row type for server and browser.
// The server selects it with ALERT_COLUMNS (server/alerts/alertService.ts); keep the two in step.
import type { AlertType, AssetKind } from './domain';

/** Severities, most urgent first (the order the feed's filter lists them in). */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** An alert's lifecycle: open → acknowledged → resolved. */
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** One alert row as it travels. Times are ms since epoch. */
export interface AlertRow {
  id: number;
  episode: string | null;
  type: AlertType;
  severity: Severity;
  assetId: number | null;
  consignmentId: number | null;
  time: number;
  lon: number | null;
  lat: number | null;
  detail: Record<string, unknown> | null;
  state: AlertState;
  ackedBy: string | null;
  ackedAt: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  note: string | null;
  clearedAt: number | null;
  districts: string[];
  assetLabel: string | null;
  assetKind: AssetKind | null;
  consignmentRef: string | null;
}
