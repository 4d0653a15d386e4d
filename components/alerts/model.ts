// The feed's filters, and how they and the alert rows (lib/alerts.ts) turn into GET /api/alerts
// queries and CSV.
import type { TFunction } from 'i18next';
import { csvRows } from '../../lib/csv';
import { FALLBACK_LOCALE, formatTime } from '../../lib/format';

export { ALERT_TYPES, type AlertType } from '../../lib/domain';
import type { AlertType } from '../../lib/domain';
export { SEVERITIES, ALERT_STATES as STATES, type AlertState, type Severity } from '../../lib/alerts';
import type { AlertRow, AlertState, Severity } from '../../lib/alerts';

/** The alert as the feed holds it: the row as it travels. */
export type Alert = AlertRow;

export interface Filters {
  type: AlertType | '';
  severity: Severity | '';
  state: AlertState | '';
  district: string; // '' or 4 digits
  since: string; // datetime-local, read as China Standard Time
  until: string;
}

export const NO_FILTERS: Filters = { type: '', severity: '', state: '', district: '', since: '', until: '' };

/** A datetime-local value ("2026-11-27T10:30") read as CST, in ms; NaN when empty or bad. */
export function cstToMs(v: string): number {
  return v ? Date.parse(`${v.length === 16 ? `${v}:00` : v}+08:00`) : NaN;
}

export function queryOf(f: Filters, limit: number, offset: number): string {
  const q = new URLSearchParams();
  if (f.type) q.set('type', f.type);
  if (f.severity) q.set('severity', f.severity);
  if (f.state) q.set('state', f.state);
  if (/^[0-9]{4}$/.test(f.district)) q.set('district', f.district);
  const since = cstToMs(f.since);
  const until = cstToMs(f.until);
  if (since > 0) q.set('since', String(since));
  if (until > 0) q.set('until', String(until));
  q.set('limit', String(limit));
  q.set('offset', String(offset));
  return q.toString();
}

/** Whether a live alert belongs in the list the filters describe (as the server would say). */
export function matches(a: Alert, f: Filters): boolean {
  if (f.type && a.type !== f.type) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.state && a.state !== f.state) return false;
  if (/^[0-9]{4}$/.test(f.district) && !a.districts?.includes(f.district)) return false;
  const since = cstToMs(f.since);
  const until = cstToMs(f.until);
  if (since > 0 && a.time < since) return false;
  if (until > 0 && a.time >= until) return false;
  return true;
}

/** Newest first, as the API orders them (time, then id, descending). */
export function newestFirst(a: Alert, b: Alert): number {
  return b.time - a.time || b.id - a.id;
}

// One fixed form in a file, whoever exports it.
const when = (ms: number | null) => (ms ? formatTime(ms, FALLBACK_LOCALE) : '');

export function toCsv(items: Alert[], t: TFunction): string {
  const head = [
    t('csv.id'),
    t('csv.time'),
    t('csv.type'),
    t('csv.typeCode'),
    t('csv.severity'),
    t('csv.state'),
    t('csv.asset'),
    t('csv.consignment'),
    t('csv.districts'),
    t('csv.ackedBy'),
    t('csv.ackedAt'),
    t('csv.resolvedBy'),
    t('csv.resolvedAt'),
    t('csv.note'),
  ];
  const rows = items.map((a) => [
    a.id,
    when(a.time),
    t(`alertType.${a.type}`),
    a.type,
    t(`severity.${a.severity}`),
    t(`alertState.${a.state}`),
    a.assetLabel ?? '',
    a.consignmentRef ?? '',
    (a.districts ?? []).join(' '),
    a.ackedBy ?? '',
    when(a.ackedAt),
    a.resolvedBy ?? '',
    when(a.resolvedAt),
    a.note ?? '',
  ]);
  // A byte-order mark so spreadsheet programs read the Chinese as UTF-8.
  return '\ufeff' + csvRows([head, ...rows]);
}
