'use client';
// What the map's colours and shapes mean (colour is never the only signal: the words are here).
import { useLang } from '../I18nProvider';

export function MapLegend() {
  const { t } = useLang();
  return (
    <div className="legend" aria-label={t('legend.label')}>
      <i style={{ background: 'var(--normal)' }} />
      <span>{t('legend.vehicle')}</span>
      <i style={{ background: 'var(--vessel)' }} />
      <span>{t('legend.vessel')}</span>
      <i style={{ background: 'var(--warning)' }} />
      <span>{t('legend.warning')}</span>
      <i style={{ background: 'var(--critical)' }} />
      <span>{t('legend.critical')}</span>
      <i style={{ background: 'var(--stale)' }} />
      <span>{t('legend.stale')}</span>
      <i style={{ border: '1px solid var(--site)', background: 'rgba(167,139,250,0.15)' }} />
      <span>{t('legend.site')}</span>
      <i style={{ border: '1px solid var(--normal)', background: 'rgba(45,212,191,0.15)' }} />
      <span>{t('legend.corridor')}</span>
    </div>
  );
}
