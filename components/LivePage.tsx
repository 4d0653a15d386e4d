'use client';
// The live overview: every asset moving on the map, with the connection state and counts.
import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { ConnectionBadge } from './ConnectionBadge';
import { TopBar } from './TopBar';
import { useLang } from './I18nProvider';
import { MapLegend } from './map/MapLegend';
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
  const { t } = useLang();
  return (
    <main className="live-page">
      <TopBar>
        <div className="counts">
          <span>
            {t('counts.vehicles')}
            <b data-testid="count-vehicles">{counts.vehicles}</b>
          </span>
          <span>
            {t('counts.vessels')}
            <b data-testid="count-vessels">{counts.vessels}</b>
          </span>
        </div>
        <ConnectionBadge state={state} />
      </TopBar>
      <div className="map-root">
        <LiveMap store={store} tickMs={tickMs} trailSeconds={TRAIL_SECONDS} />
        <MapLegend />
      </div>
    </main>
  );
}
