// Display formatting shared by views (UI.md: CST, 24 h clock, relative ages in Chinese).
import type { AssetKind } from './domain';
import { kmhToKnots } from './units';

export function formatSpeed(kmh: number, kind: AssetKind): string {
  if (Number.isNaN(kmh)) return '—';
  return kind === 'vessel' ? `${kmhToKnots(kmh).toFixed(1)} 节` : `${Math.round(kmh)} km/h`;
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} 秒前`;
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  if (s < 86400) return `${Math.floor(s / 3600)} 小时前`;
  return `${Math.floor(s / 86400)} 天前`;
}

const CST = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour12: false,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatTime(ms: number): string {
  return CST.format(new Date(ms));
}
