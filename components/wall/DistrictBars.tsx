'use client';
// In-transit movements by district as horizontal bars (HTML: Chinese names stay crisp at any
// size), with each district's open alerts beside them.
import { useLang } from '../I18nProvider';
import type { WallKpis } from './useKpis';

export function DistrictBars({ kpis, current }: { kpis: WallKpis | null; current: string | null }) {
  const { t, lang } = useLang();
  const rows = kpis?.districts ?? [];
  const max = Math.max(1, ...rows.map((d) => d.inTransit));
  return (
    <section className="wall-panel" data-testid="wall-districts">
      <h2>{t('wall.byDistrict')}</h2>
      <ul className="district-bars">
        {rows.map((d) => (
          <li key={d.code} data-code={d.code} className={d.code === current ? 'on' : ''}>
            <span className="district-name">{lang === 'en' ? d.nameEn : d.name}</span>
            <span className="district-bar">
              <i style={{ width: `${(d.inTransit / max) * 100}%` }} />
            </span>
            <b>{d.inTransit}</b>
            {d.openAlerts > 0 && <em>{t('wall.districtAlerts', { count: d.openAlerts })}</em>}
          </li>
        ))}
      </ul>
    </section>
  );
}
