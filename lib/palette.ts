// UI.md palette, as RGB(A) for deck.gl and as CSS for components.
import type { AssetStatus } from './domain';

export type RGBA = [number, number, number, number];

const hex = (h: string, a = 255): RGBA => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), a];

export const CSS = {
  background: '#0b1320',
  land: '#1a2433',
  panel: '#111b2a',
  panelBorder: '#223047',
  text: '#e6edf6',
  textSecondary: '#8fa3bf',
  normal: '#2dd4bf',
  vessel: '#60a5fa',
  vesselB: '#93c5fd',
  warning: '#f59e0b',
  critical: '#ef4444',
  stale: '#64748b',
  site: '#a78bfa',
} as const;

export const RGB = {
  normal: hex(CSS.normal),
  vessel: hex(CSS.vessel),
  warning: hex(CSS.warning),
  critical: hex(CSS.critical),
  stale: hex(CSS.stale),
  site: hex(CSS.site),
  corridorFill: hex(CSS.normal, 38), // 15 %
  corridorLine: hex(CSS.normal, 153), // 60 %
};

/** Marker colour by status; vessels moving normally are blue, vehicles teal. */
export function statusColor(status: AssetStatus, vessel: boolean): RGBA {
  switch (status) {
    case 'critical':
      return RGB.critical;
    case 'warning':
    case 'stopped':
      return RGB.warning;
    case 'stale':
      return RGB.stale;
    default:
      return vessel ? RGB.vessel : RGB.normal;
  }
}
