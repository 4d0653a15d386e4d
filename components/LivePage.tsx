'use client';
// The live overview: every asset moving on the map, with the connection state and counts.
import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { ConnectionBadge } from './ConnectionBadge';
import { UserBox } from './UserBox';
import { useLiveFeed } from './map/useLiveFeed';
import type { LiveStore } from './map/liveStore';

// maplibre and deck.gl need the browser: no server rendering for the map.
const LiveMap = dynamic(() => import('./map/LiveMap'), { ssr: false });

const TRAIL_SECONDS = 600;

function useCounts(store: LiveStore) {
  const [counts, setCounts] = useState({ vehicles: 0, vessels: 0 });
  useEffect(() => {
    const t = setInterval(() => {
      let vessels = 0;
      for (let s = 0; s < store.count; s++) if (store.kindOf(s) === 'vessel') vessels++;
      setCounts({ vehicles: store.count - vessels, vessels });
    }, 1000);
    return () => clearInterval(t);
  }, [store]);
  return counts;
}

export default function LivePage() {
  const { store, state, tickMs } = useLiveFeed(TRAIL_SECONDS);
  const counts = useCounts(store);
  return (
    <main className="live-page">
      <header className="topbar">
        <div className="brand">TransitWatch 监管运输实时监控<span className="secondary">Customs transit monitoring</span></div>
        <div className="counts">
          <span>车辆 Vehicles<b data-testid="count-vehicles">{counts.vehicles}</b></span>
          <span>船舶 Vessels<b data-testid="count-vessels">{counts.vessels}</b></span>
        </div>
        <ConnectionBadge state={state} />
        <UserBox />
      </header>
      <div className="map-root">
        <LiveMap store={store} tickMs={tickMs} trailSeconds={TRAIL_SECONDS} />
        <div className="legend" aria-label="图例 legend">
          <i style={{ background: 'var(--normal)' }} /><span>在途车辆 ▲ Vehicle in transit</span>
          <i style={{ background: 'var(--vessel)' }} /><span>船舶 ⬆ Vessel</span>
          <i style={{ background: 'var(--warning)' }} /><span>停驶 / 预警 Stopped / warning</span>
          <i style={{ background: 'var(--critical)' }} /><span>告警 Alert</span>
          <i style={{ background: 'var(--stale)' }} /><span>信号丢失 Signal lost</span>
          <i style={{ border: '1px solid var(--site)', background: 'rgba(167,139,250,0.15)' }} /><span>监管场所 Designated site</span>
          <i style={{ border: '1px solid var(--normal)', background: 'rgba(45,212,191,0.15)' }} /><span>核准路线走廊 Approved corridor</span>
        </div>
      </div>
    </main>
  );
}
