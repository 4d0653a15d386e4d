'use client';
// The wall's figures from GET /api/kpis: every 10 s, soon after an alert, and at once after a
// reconnection (`resync` changes). A failed fetch keeps the last figures and says so.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WallKpis } from '../../server/queries/kpis';

export type { WallKpis, DistrictKpi } from '../../server/queries/kpis';

const EVERY_MS = 10_000;
const AFTER_ALERT_MS = 1500;

export function useKpis(resync: number) {
  const [kpis, setKpis] = useState<WallKpis | null>(null);
  const [ok, setOk] = useState(true);
  const fetches = useRef(0);
  const soon = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef(false);

  const load = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    fetches.current++;
    try {
      const r = await fetch('/api/kpis', { cache: 'no-store' });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      setKpis(await r.json());
      setOk(true);
    } catch {
      setOk(false);
    } finally {
      inFlight.current = false;
    }
  }, []);

  useEffect(() => {
    void load();
    const t = setInterval(() => void load(), EVERY_MS);
    return () => clearInterval(t);
  }, [load, resync]);

  useEffect(() => () => clearTimeout(soon.current), []);

  /** An alert came or changed: refresh shortly (alerts that come together share one fetch). */
  const bump = useCallback(() => {
    clearTimeout(soon.current);
    soon.current = setTimeout(() => void load(), AFTER_ALERT_MS);
  }, [load]);

  return { kpis, ok, bump, fetches };
}
