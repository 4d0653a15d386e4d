'use client';
// The newest alerts for the ticker: fetched at start and after every reconnection (`resync`),
// then kept current from the live 'alert' and 'alert_update' events. Information-only alerts
// (ARRIVED) stay off the wall. Holds at most SIZE alerts, however long the wall runs.
import { useCallback, useEffect, useRef, useState } from 'react';
import { newestFirst, type Alert } from '../alerts/model';

const SIZE = 5;
const notable = (a: Alert) => a.severity !== 'info';

export function useTicker(resync: number) {
  const [items, setItems] = useState<Alert[]>([]);
  const fetches = useRef(0);

  useEffect(() => {
    let live = true;
    fetches.current++;
    fetch('/api/alerts?limit=60', { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((body: { items: Alert[] }) => {
        if (live) setItems(body.items.filter(notable).slice(0, SIZE));
      })
      .catch(() => {
        /* keep what is shown; the next reconnection refetches */
      });
    return () => {
      live = false;
    };
  }, [resync]);

  const add = useCallback((a: Alert) => {
    if (!notable(a)) return;
    setItems((list) => [a, ...list.filter((x) => x.id !== a.id)].sort(newestFirst).slice(0, SIZE));
  }, []);
  const update = useCallback((a: Alert) => {
    setItems((list) => (list.some((x) => x.id === a.id) ? list.map((x) => (x.id === a.id ? a : x)) : list));
  }, []);

  return { items, add, update, fetches };
}
