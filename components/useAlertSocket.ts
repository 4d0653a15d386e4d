'use client';
// The live connection for views that follow alerts: the same socket.io pattern as useLiveFeed
// (the server puts each socket in its jurisdiction's room), listening to 'alert' (raised) and
// 'alert_update' (acknowledged, resolved, cleared).
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { AlertRow } from '../lib/alerts';
import type { ClientToServer, ServerToClient } from '../lib/wire';
import type { FeedState } from './map/useLiveFeed';

export function useAlertSocket(onAlert: (a: AlertRow) => void, onUpdate: (a: AlertRow) => void): FeedState {
  const [state, setState] = useState<FeedState>('connecting');
  const handlers = useRef({ onAlert, onUpdate });
  handlers.current = { onAlert, onUpdate };
  useEffect(() => {
    const socket: Socket<ServerToClient, ClientToServer> = io({ transports: ['websocket'], reconnectionDelayMax: 5000 });
    socket.on('connect', () => setState('live'));
    socket.on('alert', (a) => handlers.current.onAlert(a));
    socket.on('alert_update', (a) => handlers.current.onUpdate(a));
    socket.on('disconnect', () => setState('stale'));
    socket.on('connect_error', (err) => {
      if (err.message === 'sign in first') location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      else setState('stale');
    });
    return () => {
      socket.close();
    };
  }, []);
  return state;
}
