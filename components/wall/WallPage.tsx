'use client';
// The monitoring-centre video wall (/wall): the live map of everything the account may see, KPI
// tiles, open alerts by type, alerts per hour, in-transit by district, and a ticker of the newest
// alerts. Nobody touches it: critical alerts take the camera in turn, ?tour=SECONDS visits each
// district, and after any outage it reconnects, takes a fresh snapshot and refetches the figures.
// ?lod=0 turns level of detail off (for bench/wall's baseline).
import dynamic from 'next/dynamic';
import { useEffect, useMemo, useState } from 'react';
import { ConnectionBadge } from '../ConnectionBadge';
import { useLang } from '../I18nProvider';
import { MapLegend } from '../map/MapLegend';
import { useLiveFeed } from '../map/useLiveFeed';
import { AlertsByType } from './AlertsByType';
import { AlertTicker } from './AlertTicker';
import { DistrictBars } from './DistrictBars';
import { HourlyAlertsChart } from './HourlyAlertsChart';
import { KpiTiles } from './KpiTiles';
import { WallHeader } from './WallHeader';
import { useFlyToQueue } from './useFlyToQueue';
import { useKpis } from './useKpis';
import { useTicker } from './useTicker';
import { useWallView } from './useWallView';

const LiveMap = dynamic(() => import('../map/LiveMap'), { ssr: false });

const TRAIL_SECONDS = 600;
const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** ?tour=SECONDS, ?lod=0, and the map's scale: 1 up to a 1080p screen, 2 on a 4K one (in quarter steps). */
function useParams() {
  const [p, setP] = useState({ tour: 0, lod: true, scale: 0 });
  useEffect(() => {
    const q = new URLSearchParams(location.search);
    const tour = q.get('tour');
    const scale = Math.max(1, Math.floor(Math.min(innerWidth / 1920, innerHeight / 1080) * 4) / 4);
    setP({ tour: tour === null ? 0 : Math.max(10, Number(tour) || 45), lod: q.get('lod') !== '0', scale });
  }, []);
  return p;
}

export default function WallPage() {
  const { t } = useLang();
  const params = useParams();
  const fly = useFlyToQueue();
  const [resync, setResync] = useState(0);
  const kpi = useKpis(resync);
  const ticker = useTicker(resync);
  const { store, state, tickMs, snapshots } = useLiveFeed(TRAIL_SECONDS, {
    onAlert: (a) => {
      ticker.add(a);
      fly.enqueue(a);
      kpi.bump();
    },
    onAlertUpdate: (a) => {
      ticker.update(a);
      kpi.bump();
    },
  });
  // Every snapshot after the first is a reconnection: refetch what the socket did not carry.
  useEffect(() => {
    if (snapshots > 1) setResync((n) => n + 1);
  }, [snapshots]);
  const { view, onWorld, tourDistrict } = useWallView(fly.focus, kpi.kpis?.districts ?? [], params.tour);
  const highlight = useMemo(() => (fly.focus?.alert.assetId ? { assetId: fly.focus.alert.assetId, routeCode: fly.focus.routeCode } : null), [fly.focus]);

  useEffect(() => {
    (window as unknown as Record<string, unknown>).__twWall = {
      get kpiFetches() {
        return kpi.fetches.current;
      },
      get tickerFetches() {
        return ticker.fetches.current;
      },
      get snapshots() {
        return snapshots;
      },
      focus: fly.focus,
      view,
    };
  });

  const a = fly.focus?.alert;
  return (
    <main className="wall" data-testid="wall">
      <WallHeader>
        {a && (
          <div className="wall-focus" data-testid="wall-focus">
            <b>{t('wall.focus')}</b> {t(`alertType.${a.type}`)} · {a.assetLabel ?? ''}
            {a.consignmentRef ? ` · ${a.consignmentRef}` : ''}
            {fly.queued > 0 && <span className="secondary"> · {t('wall.queued', { count: fly.queued })}</span>}
          </div>
        )}
        {!a && tourDistrict && <div className="wall-tour">{t('wall.tour', { name: tourDistrict.name })}</div>}
        <ConnectionBadge state={state} />
      </WallHeader>
      <aside className="wall-left">
        <KpiTiles kpis={kpi.kpis} />
        <div className={`kpi-note${kpi.ok ? '' : ' stale'}`} data-testid="kpi-note">
          {kpi.kpis && t(kpi.ok ? 'wall.updated' : 'wall.kpiStale', { time: TIME.format(kpi.kpis.at) })}
        </div>
      </aside>
      <div className="wall-map">
        {params.scale > 0 && (
          <LiveMap store={store} tickMs={tickMs} trailSeconds={TRAIL_SECONDS} view={view} highlight={highlight} lod={params.lod} onWorld={onWorld} scale={params.scale} />
        )}
        <MapLegend />
      </div>
      <aside className="wall-right">
        <AlertsByType kpis={kpi.kpis} />
        <HourlyAlertsChart kpis={kpi.kpis} />
        <DistrictBars kpis={kpi.kpis} current={tourDistrict?.code ?? null} />
      </aside>
      <AlertTicker items={ticker.items} />
    </main>
  );
}
