'use client';
// Connects to the live hub, keeps the LiveStore current, and reports the connection state:
// connecting → live → stale (no frame for a while, or disconnected) → live again on its own.
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { AlertRow } from '../../lib/alerts';
import { decodeFrame, decodeTrails, type ClientToServer, type ServerToClient } from '../../lib/wire';
import { LiveStore } from './liveStore';

export type FeedState = 'connecting' | 'live' | 'stale';

/** Alert events on the same connection, for views that follow them too (the wall). */
export interface AlertHandlers {
  onAlert?: (a: AlertRow) => void;
  onAlertUpdate?: (a: AlertRow) => void;
}

export function useLiveFeed(trailSeconds: number, handlers: AlertHandlers = {}) {
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
    const socket: Socket<ServerToClient, ClientToServer> = io({ transports: ['websocket'], reconnectionDelayMax: 5000 });
    socket.on('snapshot', (msg) => {
      tick = msg.tickMs;
      setTickMs(msg.tickMs);
      store.reset(decodeFrame(msg.frame), decodeTrails(msg.trails), msg.meta, performance.now());
      setState('live');
      setSnapshots((n) => n + 1);
    });
    socket.on('alert', (a) => handlersRef.current.onAlert?.(a));
    socket.on('alert_update', (a) => handlersRef.current.onAlertUpdate?.(a));
    socket.on('assets', (meta) => store.setMeta(meta));
    socket.on('delta', (frame) => {
      store.apply(decodeFrame(frame), performance.now());
      setState('live');
    });
    socket.on('gone', (ids) => store.remove(ids));
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
