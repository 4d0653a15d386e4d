'use client';
// The replay clock: a moment inside the selection's time range that advances at ×1…×256 while
// playing. The map reads `ref` every frame; React sees the time ten times a second, enough for
// the slider, the clock and the chart cursor.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface ReplayClock {
  /** The replayed moment (ms), or null when not replaying (the whole track, live). */
  time: number | null;
  playing: boolean;
  speed: number;
  follow: boolean;
}

const UI_MS = 100;

export function useReplayClock(range: { from: number; to: number } | null) {
  const ref = useRef<ReplayClock>({ time: null, playing: false, speed: 32, follow: false });
  const [clock, setClock] = useState<ReplayClock>(ref.current);
  const rangeRef = useRef(range);
  rangeRef.current = range;

  const update = useCallback((patch: Partial<ReplayClock>) => {
    ref.current = { ...ref.current, ...patch };
    setClock(ref.current);
  }, []);

  useEffect(() => {
    let raf = 0;
    let last = performance.now();
    let shown = last;
    const step = (now: number) => {
      raf = requestAnimationFrame(step);
      const dt = now - last;
      last = now;
      const c = ref.current;
      const r = rangeRef.current;
      if (!c.playing || !r) return;
      let time = Math.max(r.from, c.time ?? r.from) + dt * c.speed;
      let playing: boolean = true;
      if (time >= r.to) {
        time = r.to;
        playing = false;
      }
      ref.current = { ...c, time, playing };
      if (!playing || now - shown >= UI_MS) {
        shown = now;
        setClock(ref.current);
      }
    };
    raf = requestAnimationFrame(step);
    return () => cancelAnimationFrame(raf);
  }, []);

  const play = useCallback(() => {
    const r = rangeRef.current;
    if (!r) return;
    const t = ref.current.time;
    // Pressing play at the end starts again from the beginning.
    update({ playing: true, time: t === null || t >= r.to ? r.from : t });
  }, [update]);

  return {
    ref,
    clock,
    play,
    pause: useCallback(() => update({ playing: false }), [update]),
    seek: useCallback((time: number | null) => update({ time }), [update]),
    setSpeed: useCallback((speed: number) => update({ speed }), [update]),
    setFollow: useCallback((follow: boolean) => update({ follow }), [update]),
  };
}
