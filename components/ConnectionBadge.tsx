'use client';
import type { FeedState } from './map/useLiveFeed';
import { CSS } from '../lib/palette';

const LOOK: Record<FeedState, { zh: string; en: string; color: string }> = {
  connecting: { zh: '连接中', en: 'Connecting', color: CSS.warning },
  live: { zh: '实时', en: 'Live', color: CSS.normal },
  stale: { zh: '数据陈旧', en: 'Stale', color: CSS.stale },
};

export function ConnectionBadge({ state }: { state: FeedState }) {
  const look = LOOK[state];
  return (
    <div className="badge" data-testid="connection-badge" data-state={state} role="status" aria-live="polite">
      <span className="badge-dot" style={{ background: look.color, boxShadow: state === 'live' ? `0 0 8px ${look.color}` : 'none' }} />
      <span>{look.zh}</span>
      <span className="secondary">{look.en}</span>
    </div>
  );
}
