// Episode bookkeeping: every rule reports through these two, so that an alert is one episode with a
// stable id, raised once and cleared once, and carries its severity and map status from one table.
import { ALERT_MAP_STATUS, ALERT_SEVERITY, type AlertType, type RuleEvent } from './types';

/** Whom an episode is about: an asset, and the consignment when the rule is one of a consignment. */
export interface Subject {
  assetId: number;
  consignmentId?: number;
}

/** Where an episode happened, when known. */
export type Place = { lon: number; lat: number } | undefined;

export function raise(out: RuleEvent[], type: AlertType, subject: Subject, time: number, at: Place, episode: string, detail: Record<string, unknown>): void {
  const { assetId, consignmentId } = subject;
  out.push({
    kind: 'raised',
    alert: {
      type,
      severity: ALERT_SEVERITY[type],
      mapStatus: ALERT_MAP_STATUS[type],
      assetId,
      ...(consignmentId !== undefined ? { consignmentId } : {}),
      time,
      ...(at ? { lon: at.lon, lat: at.lat } : {}),
      detail,
      episode,
    },
  });
}

export function clear(out: RuleEvent[], type: AlertType, subject: Subject, time: number, episode: string, detail?: Record<string, unknown>): void {
  const { assetId, consignmentId } = subject;
  out.push({ kind: 'cleared', type, assetId, ...(consignmentId !== undefined ? { consignmentId } : {}), time, episode, ...(detail ? { detail } : {}) });
}

/** An episode open now, as openEpisodes() lists it. */
export interface OpenEpisode {
  episode: string;
  type: AlertType;
  assetId: number;
  consignmentId?: number;
}

/** Rounds to one decimal (distances and speeds in alert details). */
export const oneDecimal = (x: number): number => Math.round(x * 10) / 10;
