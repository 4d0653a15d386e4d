'use client';
// Open alerts by type, the largest first, with the severity word beside the colour.
import { useLang } from '../I18nProvider';
import type { WallKpis } from './useKpis';

export function AlertsByType({ kpis }: { kpis: WallKpis | null }) {
  const { t } = useLang();
  const rows = kpis?.openByType ?? [];
  return (
    <section className="wall-panel" data-testid="wall-by-type">
      <h2>{t('wall.byType')}</h2>
      {rows.length === 0 && <div className="wall-empty">{t('wall.noOpenAlerts')}</div>}
      <ul className="by-type">
        {rows.slice(0, 6).map((r) => (
          <li key={r.type} data-type={r.type} className={r.severity}>
            <i aria-hidden />
            <span>{t(`alertType.${r.type}`)}</span>
            <small>{t(`severity.${r.severity}`)}</small>
            <b>{r.count}</b>
          </li>
        ))}
      </ul>
    </section>
  );
}
