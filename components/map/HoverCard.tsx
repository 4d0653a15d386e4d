'use client';
// The compact card shown when the pointer rests on a marker (UI.md: name/plate, consignment,
// speed, last fix age).
import type { LiveStore } from './liveStore';
import { useFormat, useLang } from '../I18nProvider';

export interface Hovered {
  x: number;
  y: number;
  slot: number;
}

export function HoverCard({ store, hovered }: { store: LiveStore; hovered: Hovered }) {
  const s = hovered.slot;
  const id = store.ids[s]!;
  const meta = store.meta.get(id);
  const kind = store.kindOf(s);
  const status = store.statusOf(s);
  const { t } = useLang();
  const f = useFormat();
  return (
    <div className="hover-card" style={{ left: hovered.x + 14, top: hovered.y + 14 }} data-testid="hover-card">
      <div className="hover-title">{meta?.label ?? meta?.key ?? `#${id}`}</div>
      <div className="hover-row">
        <span>{t(`kind.${kind}`)}</span>
        <span>{t(`status.${status}`)}</span>
      </div>
      {meta?.consignment && (
        <div className="hover-row">
          <span>{t('hover.consignment')}</span>
          <span className="mono">{meta.consignment}</span>
        </div>
      )}
      <div className="hover-row">
        <span>{t('hover.speed')}</span>
        <span className="mono">{f.speed(store.speed[s]!, kind)}</span>
      </div>
      <div className="hover-row">
        <span>{t('hover.lastFix')}</span>
        <span className="mono">{f.age(Date.now() - store.fixTime[s]!)}</span>
      </div>
    </div>
  );
}
