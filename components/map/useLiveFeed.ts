'use client';
// Connects to the live hub, keeps the LiveStore current, and reports the connection state:
// connecting → live → stale (no frame for a while, or disconnected) → live again on its own.
import { useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { decodeFrame, decodeTrails, type AssetMeta } from '../../lib/wire';
import { LiveStore } from './liveStore';

export type FeedState = 'connecting' | 'live' | 'stale';

/** Alert events on the same connection, for views that follow them too (the wall). */
export interface AlertHandlers<A> {
  onAlert?: (a: A) => void;
  onAlertUpdate?: (a: A) => void;
}

export function useLiveFeed<A = unknown>(trailSeconds: number, handlers: AlertHandlers<A> = {}) {
  const storeRef = useRef<LiveStore | null>(null);
  storeRef.current ??= new LiveStore(trailSeconds);
  const [state, setState] = useState<FeedState>('connecting');
  const [tickMs, setTickMs] = useState(1000);
  // Counts snapshots: one per (re)connection, so a view can refetch what it shows beside the map.
  const [snapshots, setSnapshots] = useState(0);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    const store = storeRef.current!;
    let tick = 1000;
    const socket = io({ transports: ['websocket'], reconnectionDelayMax: 5000 });
    socket.on('snapshot', (msg: { frame: ArrayBuffer; trails: ArrayBuffer; meta: AssetMeta[]; tickMs: number }) => {
      tick = msg.tickMs;
      setTickMs(msg.tickMs);
      store.reset(decodeFrame(msg.frame), decodeTrails(msg.trails), msg.meta, performance.now());
      setState('live');
      setSnapshots((n) => n + 1);
    });
    socket.on('alert', (a: A) => handlersRef.current.onAlert?.(a));
    socket.on('alert_update', (a: A) => handlersRef.current.onAlertUpdate?.(a));
    socket.on('assets', (meta: AssetMeta[]) => store.setMeta(meta));
    socket.on('delta', (frame: ArrayBuffer) => {
      store.apply(decodeFrame(frame), performance.now());
      setState('live');
    });
    socket.on('gone', (ids: number[]) => store.remove(ids));
    socket.on('disconnect', (reason) => {
      setState('stale');
      // The server closed it on purpose (the session ended, or it is shutting down): Socket.IO
      // would wait for us; try again, and a refused session turns into the sign-in page below.
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 2000);
    });
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

  return { store: storeRef.current, state, tickMs, snapshots };
}
