'use client';
// Connects to the live hub, keeps the LiveStore current, and reports the connection state:
// connecting → live → stale (no frame for a while, or disconnected) → live again on its own.
import { useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { decodeFrame, decodeTrails, type AssetMeta } from '../../lib/wire';
import { LiveStore } from './liveStore';

export type FeedState = 'connecting' | 'live' | 'stale';

export function useLiveFeed(trailSeconds: number) {
  const storeRef = useRef<LiveStore | null>(null);
  storeRef.current ??= new LiveStore(trailSeconds);
  const [state, setState] = useState<FeedState>('connecting');
  const [tickMs, setTickMs] = useState(1000);

  useEffect(() => {
    const store = storeRef.current!;
    let tick = 1000;
    const socket = io({ transports: ['websocket'], reconnectionDelayMax: 5000 });
    socket.on('snapshot', (msg: { frame: ArrayBuffer; trails: ArrayBuffer; meta: AssetMeta[]; tickMs: number }) => {
      tick = msg.tickMs;
      setTickMs(msg.tickMs);
      store.reset(decodeFrame(msg.frame), decodeTrails(msg.trails), msg.meta, performance.now());
      setState('live');
    });
    socket.on('assets', (meta: AssetMeta[]) => store.setMeta(meta));
    socket.on('delta', (frame: ArrayBuffer) => {
      store.apply(decodeFrame(frame), performance.now());
      setState('live');
    });
    socket.on('gone', (ids: number[]) => store.remove(ids));
    socket.on('disconnect', () => setState('stale'));
    socket.on('connect_error', (err) => {
      // The session ended: back to the sign-in page, then here again.
      if (err.message === 'sign in first') location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      else setState('stale');
    });
    // A quiet feed is not a dead one, but a feed silent for several ticks is stale.
    const watchdog = setInterval(() => {
      if (socket.connected && store.lastFrameAt && performance.now() - store.lastFrameAt > Math.max(5000, tick * 5)) setState('stale');
    }, 1000);
    return () => {
      clearInterval(watchdog);
      socket.close();
    };
  }, []);

  return { store: storeRef.current, state, tickMs };
}
