'use client';
// The compact card shown when the pointer rests on a marker (UI.md: name/plate, consignment,
// speed, last fix age).
import type { LiveStore } from './liveStore';
import { formatAge, formatSpeed } from '../../lib/format';

export interface Hovered { x: number; y: number; slot: number }

const STATUS_ZH: Record<string, string> = { normal: '正常', stopped: '停驶', warning: '预警', critical: '告警', stale: '信号丢失' };

export function HoverCard({ store, hovered }: { store: LiveStore; hovered: Hovered }) {
  const s = hovered.slot;
  const id = store.ids[s]!;
  const meta = store.meta.get(id);
  const kind = store.kindOf(s);
  const status = store.statusOf(s);
  return (
    <div className="hover-card" style={{ left: hovered.x + 14, top: hovered.y + 14 }} data-testid="hover-card">
      <div className="hover-title">{meta?.label ?? meta?.key ?? `#${id}`}</div>
      <div className="hover-row"><span>{kind === 'vessel' ? '船舶' : '车辆'}</span><span>{STATUS_ZH[status]}</span></div>
      {meta?.consignment && <div className="hover-row"><span>监管运输</span><span className="mono">{meta.consignment}</span></div>}
      <div className="hover-row"><span>速度</span><span className="mono">{formatSpeed(store.speed[s]!, kind)}</span></div>
      <div className="hover-row"><span>最后定位</span><span className="mono">{formatAge(Date.now() - store.fixTime[s]!)}</span></div>
    </div>
  );
}
