'use client';
// The big numbers, readable across the room: assets live, in transit, arrived today, on-time
// rate, open alerts. A dash until the first figures arrive.
import { useLang } from '../I18nProvider';
import type { WallKpis } from './useKpis';

const NUM = new Intl.NumberFormat('zh-CN');

function Tile({ id, label, value, sub, tone }: { id: string; label: string; value: string; sub?: string; tone?: 'critical' }) {
  return (
    <div className={`kpi-tile${tone ? ` ${tone}` : ''}`} data-testid={`kpi-${id}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-testid={`kpi-${id}-value`}>
        {value}
      </div>
      {sub && <div className="kpi-sub">{sub}</div>}
    </div>
  );
}

export function KpiTiles({ kpis }: { kpis: WallKpis | null }) {
  const { t } = useLang();
  const n = (v: number | undefined) => (v === undefined ? t('wall.none') : NUM.format(v));
  const rate = kpis?.onTimeRate;
  return (
    <section className="kpi-tiles" aria-label={t('wall.title')}>
      <Tile id="assets-live" label={t('wall.assetsLive')} value={n(kpis?.assetsLive)} />
      <Tile id="in-transit" label={t('wall.inTransit')} value={n(kpis?.inTransit)} />
      <Tile id="arrived-today" label={t('wall.arrivedToday')} value={n(kpis?.arrivedToday)} />
      <Tile
        id="on-time"
        label={t('wall.onTimeRate')}
        value={rate == null ? t('wall.none') : `${(rate * 100).toFixed(1)}%`}
        sub={kpis ? t('wall.onTimeOf', { onTime: kpis.onTimeToday, arrived: kpis.arrivedToday }) : undefined}
      />
      <Tile id="open-alerts" label={t('wall.openAlerts')} value={n(kpis?.openAlerts)} tone={kpis?.openAlerts ? 'critical' : undefined} />
    </section>
  );
}
