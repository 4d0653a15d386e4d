'use client';
// Critical alerts take the wall's camera one at a time: fly to the alert, highlight the asset and
// its corridor for a few seconds, return to the overview, then the next. Alerts that arrive
// together queue; a storm keeps only the newest MAX_QUEUE (the ticker lists every one).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Alert } from '../alerts/model';

export const FLY_MS = 2500; // LiveMap's camera animation
const HOLD_MS = 6000;
const MAX_QUEUE = 10;
const REMEMBER = 500; // alert ids remembered so that one is never shown twice

export interface Focus {
  alert: Alert;
  routeCode: string | null;
}

export function useFlyToQueue() {
  const [focus, setFocus] = useState<Focus | null>(null);
  const [queued, setQueued] = useState(0);
  const queue = useRef<Alert[]>([]);
  const seen = useRef<number[]>([]);
  const busy = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Named so the timer below can call it again: the binding `step` is not set while this runs first.
  const step = useCallback(function showNext() {
    const next = queue.current.shift();
    setQueued(queue.current.length);
    if (!next) {
      busy.current = false;
      return;
    }
    busy.current = true;
    setFocus({ alert: next, routeCode: null });
    // The corridor to brighten is the movement's route.
    if (next.consignmentId) {
      fetch(`/api/consignments/${next.consignmentId}`)
        .then((r) => (r.ok ? r.json() : null))
        .then((c: { route: string | null } | null) => {
          if (c?.route) setFocus((f) => (f?.alert.id === next.id ? { ...f, routeCode: c.route } : f));
        })
        .catch(() => {});
    }
    timer.current = setTimeout(() => {
      setFocus(null); // back to the overview…
      timer.current = setTimeout(showNext, FLY_MS + 500); // …then the next one
    }, FLY_MS + HOLD_MS);
  }, []);

  const enqueue = useCallback(
    (a: Alert) => {
      if (a.severity !== 'critical' || a.lon == null || a.lat == null || seen.current.includes(a.id)) return;
      seen.current.push(a.id);
      if (seen.current.length > REMEMBER) seen.current.splice(0, seen.current.length - REMEMBER);
      queue.current.push(a);
      if (queue.current.length > MAX_QUEUE) queue.current.splice(0, queue.current.length - MAX_QUEUE);
      setQueued(queue.current.length);
      if (!busy.current) step();
    },
    [step],
  );

  useEffect(() => () => clearTimeout(timer.current), []);

  return { focus, queued, enqueue };
}
