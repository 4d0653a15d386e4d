// A report as a file: CSV (one table, a column per alert type) or XLSX (sheets: the summary, alerts
// by type, deviation spots). Headers Chinese first with English beside; the same figures as the JSON.
import writeXlsxFile, { type Cell } from 'write-excel-file/node';
import { csvRows } from '@/lib/csv';
import { zhCN } from '@/lib/i18n/zh-CN';
import { en } from '@/lib/i18n/en';
import type { Report, ReportFigures } from '../queries/reports';

export const SUMMARY_HEADER = [
  '代码 Code',
  '名称 Name',
  'Name (EN)',
  '运输数 Movements',
  '已到达 Arrived',
  '准时 On time',
  '准时率 On-time rate',
  '平均运输时长(分钟) Mean transit (min)',
  '告警 Alerts',
];

const typeName = (type: string): string => {
  const zh = (zhCN.alertType as Record<string, string>)[type];
  const e = (en.alertType as Record<string, string>)[type];
  return zh && e ? `${zh} ${e}` : type;
};

/** Minutes to one decimal, or null. */
export const transitMinutes = (s: number | null): number | null => (s == null ? null : Math.round(s / 6) / 10);

function summaryCells(key: string, nameZh: string, nameEn: string, f: ReportFigures): (string | number | null)[] {
  return [key, nameZh, nameEn, f.movements, f.arrived, f.onTime, f.onTimeRate, transitMinutes(f.meanTransitS), f.alerts];
}

/** Rows of the summary, the total last (code 合计 · Total). */
export function summaryRows(r: Report): (string | number | null)[][] {
  return [...r.rows.map((row) => summaryCells(row.key, row.nameZh, row.nameEn, row)), summaryCells('合计 Total', '合计', 'Total', r.total)];
}

/** A download name: transitwatch-report-day-2026-12-05-district.xlsx */
export const reportFileName = (r: Pick<Report, 'period' | 'date' | 'by'>, ext: 'csv' | 'xlsx'): string => `transitwatch-report-${r.period}-${r.date}-${r.by}.${ext}`;

export function reportCsv(r: Report): string {
  const types = [...new Set(r.total.alertsByType.map((a) => a.type).concat(r.rows.flatMap((row) => row.alertsByType.map((a) => a.type))))].sort();
  const count = (f: ReportFigures, type: string) => f.alertsByType.find((a) => a.type === type)?.count ?? 0;
  const rate = (cells: (string | number | null)[]) => cells.map((c, i) => (i === 6 && typeof c === 'number' ? Math.round(c * 10000) / 10000 : c));
  const body = [...r.rows.map((row) => ({ f: row as ReportFigures, cells: summaryCells(row.key, row.nameZh, row.nameEn, row) })), { f: r.total, cells: summaryRows(r).at(-1)! }];
  // A BOM, so that a spreadsheet opens the UTF-8 (Chinese) text as such.
  return '\uFEFF' + csvRows([[...SUMMARY_HEADER, ...types.map(typeName)], ...body.map((b) => [...rate(b.cells), ...types.map((t) => count(b.f, t))])]);
}

const cell = (value: string | number | null, format?: string): Cell =>
  value == null ? null : typeof value === 'number' ? { value, type: Number, ...(format ? { format } : {}) } : { value, type: String };
const head = (labels: string[]): Cell[] => labels.map((l) => ({ value: l, type: String, fontWeight: 'bold' as const }));

export async function reportXlsx(r: Report): Promise<Buffer> {
  const title = `TransitWatch 统计报表 Report · ${r.period === 'day' ? '日报 Daily' : '月报 Monthly'} ${r.date} (China Standard Time) · ${r.by === 'district' ? '按关区 By district' : '按路线 By route'}`;
  const summary: Cell[][] = [[cell(title)], head(SUMMARY_HEADER), ...summaryRows(r).map((cells) => cells.map((c, i) => cell(c, i === 6 ? '0.0%' : undefined)))];
  const alerts: Cell[][] = [
    head(['代码 Code', '名称 Name', '类型 Type', '类型名称 Type name', '数量 Count']),
    ...r.rows.flatMap((row) => row.alertsByType.map((a) => [cell(row.key), cell(row.nameZh), cell(a.type), cell(typeName(a.type)), cell(a.count)])),
    ...r.total.alertsByType.map((a) => [cell('合计 Total'), cell('合计'), cell(a.type), cell(typeName(a.type)), cell(a.count)]),
  ];
  const spots: Cell[][] = [
    head(['序号 Rank', '经度 Longitude', '纬度 Latitude', '偏离次数 Deviations', `网格 Cell (°)`]),
    ...r.spots.map((s, i) => [cell(i + 1), cell(s.lon), cell(s.lat), cell(s.count), cell(r.cellDeg)]),
  ];
  const widths = (w: number[]) => w.map((width) => ({ width }));
  return writeXlsxFile([
    { data: summary, sheet: '汇总 Summary', columns: widths([14, 18, 22, 16, 14, 14, 18, 30, 12]), stickyRowsCount: 2 },
    { data: alerts, sheet: '告警 Alerts by type', columns: widths([14, 18, 20, 30, 12]), stickyRowsCount: 1 },
    { data: spots, sheet: '偏离热点 Deviation spots', columns: widths([10, 14, 14, 18, 14]), stickyRowsCount: 1 },
  ]).toBuffer();
}
