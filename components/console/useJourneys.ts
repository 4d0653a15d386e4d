'use client';
// The console's selection: consignments (c12) and carriers without a movement (a5), kept in the
// URL (?s=c12,a5) so a link opens the same picture. Each one's journey is fetched whole once,
// then, while it is open, refreshed every 20 s and at once when an alert about it arrives: a
// refresh asks only for the fixes after the last one held and joins them on.
import { useCallback, useEffect, useRef, useState } from 'react';
import { extendJourney, refreshFrom, type Journey } from '../../lib/journey';
import { getJson } from '../getJson';

export type SubjectKey = `c${number}` | `a${number}`;

export interface Loaded {
  key: SubjectKey;
  journey: Journey | null;
  error: string | null;
}

const REFRESH_MS = 20_000;
export const MAX_SUBJECTS = 6;

export const parseSubjects = (s: string | null): SubjectKey[] =>
  [...new Set((s ?? '').split(',').filter((k): k is SubjectKey => /^[ca][0-9]{1,9}$/.test(k)))].slice(0, MAX_SUBJECTS);

const urlOf = (key: SubjectKey) => `/api/${key[0] === 'c' ? 'consignments' : 'assets'}/${key.slice(1)}/journey`;

/** Still moving, or arrived and waiting for its goods-in and write-off: worth refreshing. */
const isOpen = (j: Journey | null) => !j?.consignment || ['planned', 'in_transit', 'overdue', 'diverted', 'arrived'].includes(j.consignment.status);

export function useJourneys(keys: SubjectKey[]) {
  const [loaded, setLoaded] = useState<Map<SubjectKey, Loaded>>(new Map());
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;

  /** Loads a journey: only what is new since the one held, or (`whole`) all of it again. */
  const load = useCallback((key: SubjectKey, whole = false) => {
    const held = loadedRef.current.get(key)?.journey ?? null;
    const from = whole ? null : refreshFrom(held);
    if (from === null) performance.mark(`tw:journey-request:${key}`); // bench/track measures from here to the drawn track
    getJson<Journey>(from === null ? urlOf(key) : `${urlOf(key)}?from=${from}`).then(
      (journey) =>
        setLoaded((m) => {
          const now = m.get(key)?.journey;
          if (from === null) return new Map(m).set(key, { key, journey, error: null });
          if (!now) return m; // deselected while the refresh was on its way
          return new Map(m).set(key, { key, journey: extendJourney(now, journey), error: null });
        }),
      (e: Error) => setLoaded((m) => new Map(m).set(key, { key, journey: m.get(key)?.journey ?? null, error: e.message })),
    );
  }, []);

  const joined = keys.join(','); // the selection compared by value, not by array identity
  useEffect(() => {
    const keys = parseSubjects(joined);
    for (const k of keys) if (!loadedRef.current.has(k)) load(k);
    setLoaded((m) => new Map([...m].filter(([k]) => keys.includes(k))));
    const timer = setInterval(() => {
      for (const k of keys) if (isOpen(loadedRef.current.get(k)?.journey ?? null)) load(k);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [joined, load]);

  /** An alert about one of the selected carriers: its timeline changes now. */
  const onAlertAbout = useCallback(
    (assetId: number | null) => {
      for (const [k, l] of loadedRef.current) if (l.journey?.asset.id === assetId) load(k);
    },
    [load],
  );

  /** The movement itself changed (an officer's action, e.g. a hand-over to another vehicle): load it whole again. */
  const reload = useCallback((key: SubjectKey) => load(key, true), [load]);

  return { loaded, onAlertAbout, reload };
}
