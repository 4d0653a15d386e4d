'use client';
import type { FeedState } from './map/useLiveFeed';
import { CSS } from '../lib/palette';
import { useLang } from './I18nProvider';

const COLOR: Record<FeedState, string> = { connecting: CSS.warning, live: CSS.normal, stale: CSS.stale };

export function ConnectionBadge({ state }: { state: FeedState }) {
  const { t, tOther } = useLang();
  const color = COLOR[state];
  return (
    <div className="badge" data-testid="connection-badge" data-state={state} role="status" aria-live="polite">
      <span className="badge-dot" style={{ background: color, boxShadow: state === 'live' ? `0 0 8px ${color}` : 'none' }} />
      <span>{t(`conn.${state}`)}</span>
      <span className="secondary">{tOther(`conn.${state}`)}</span>
    </div>
  );
}
