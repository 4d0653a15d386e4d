// The report as the page gets it (GET /api/reports, server/queries/reports.ts), and how its figures read.
import { zhCN } from '../../lib/i18n/zh-CN';
import { en } from '../../lib/i18n/en';

export type Period = 'day' | 'month';
export type By = 'district' | 'route';

export interface Figures {
  movements: number;
  arrived: number;
  onTime: number;
  onTimeRate: number | null;
  meanTransitS: number | null;
  alerts: number;
  alertsByType: { type: string; count: number }[];
}

export interface ReportRow extends Figures {
  key: string;
  nameZh: string;
  nameEn: string;
}

export interface Report {
  period: Period;
  date: string;
  by: By;
  timeZone: string;
  from: string;
  to: string;
  rows: ReportRow[];
  total: Figures;
  cellDeg: number;
  spots: { lon: number; lat: number; count: number }[];
}

export interface ReportChoice {
  period: Period;
  date: string;
  by: By;
}

/** Today (or this month) in China Standard Time: the periods are CST days and months. */
export function todayCst(period: Period, now = new Date()): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return period === 'day' ? day : day.slice(0, 7);
}

export const reportUrl = (c: ReportChoice, format: 'json' | 'csv' | 'xlsx' = 'json') => `/api/reports?${new URLSearchParams({ period: c.period, date: c.date, by: c.by, format })}`;

/** 偏离路线 · Route deviation */
export function typeName(type: string): { zh: string; en: string } {
  const zh = (zhCN.alertType as Record<string, string>)[type] ?? type;
  const e = (en.alertType as Record<string, string>)[type] ?? type;
  return { zh, en: e };
}

export const percent = (rate: number | null) => (rate == null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** 3 h 20 min as "3:20" (hours:minutes); '—' for none. */
export function duration(seconds: number | null): string {
  if (seconds == null) return '—';
  const min = Math.round(seconds / 60);
  return `${Math.floor(min / 60)}:${String(min % 60).padStart(2, '0')}`;
}
