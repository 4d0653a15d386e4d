'use client';
// The officer console (/console): search, the selected movements on the map with their corridor
// and track, the focused one's facts, charts and timeline, and a replay of them all together.
// The URL holds the selection and the replayed moment (?s=c12,a5&at=ms), so the alert feed can
// link straight to "this consignment at that moment".
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Journey } from '../../lib/journey';
import { ConnectionBadge } from '../ConnectionBadge';
import { useLang } from '../I18nProvider';
import { TopBar } from '../TopBar';
import { useLiveFeed } from '../map/useLiveFeed';
import { ConsignmentPanel } from './ConsignmentPanel';
import { InspectionTasks } from './InspectionTasks';
import { ReplayBar } from './ReplayBar';
import type { SearchHit } from '../../lib/search';
import { SearchBox } from './SearchBox';
import { MAX_SUBJECTS, parseSubjects, useJourneys, type SubjectKey } from './useJourneys';
import { useReplayClock } from './useReplayClock';

const ConsoleMap = dynamic(() => import('./ConsoleMap'), { ssr: false });

function readUrl(): { keys: SubjectKey[]; at: number | null } {
  const p = new URLSearchParams(location.search);
  const at = Number(p.get('at'));
  return { keys: parseSubjects(p.get('s')), at: Number.isFinite(at) && at > 0 ? at : null };
}

export default function ConsolePage() {
  const { t } = useLang();
  const [keys, setKeys] = useState<SubjectKey[]>([]);
  const [focus, setFocus] = useState<SubjectKey | null>(null);
  /** What the URL said when the page opened (read in the browser only, after the first render). */
  const [opened, setOpened] = useState<{ keys: SubjectKey[]; at: number | null } | null>(null);
  const seeked = useRef(false);
  const [now, setNow] = useState(() => Date.now());
  /** The side panel shows the selected movements, or the inspection task list. */
  const [tab, setTab] = useState<'movements' | 'inspections'>('movements');
  const { loaded, onAlertAbout, reload } = useJourneys(keys);
  // One connection: positions for the live markers, alerts for the timelines.
  const { store, state, tickMs } = useLiveFeed(60, {
    onAlert: (a) => onAlertAbout(a.assetId),
    onAlertUpdate: (a) => onAlertAbout(a.assetId),
  });

  useEffect(() => {
    const u = readUrl();
    setKeys(u.keys);
    setFocus(u.keys[0] ?? null);
    setOpened(u);
    const tick = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(tick);
  }, []);

  const journeys = useMemo(() => keys.map((k) => loaded.get(k)?.journey).filter((j): j is Journey => !!j), [keys, loaded]);
  const range = useMemo(() => (journeys.length ? { from: Math.min(...journeys.map((j) => j.window.from)), to: Math.max(...journeys.map((j) => j.window.to)) } : null), [journeys]);
  const replay = useReplayClock(range);
  const openedAt = opened?.at ?? null;

  // A link with ?at= opens the replay at that moment, once the journeys are in.
  const { seek } = replay;
  useEffect(() => {
    if (openedAt === null || !range || seeked.current) return;
    seeked.current = true;
    seek(Math.min(Math.max(openedAt, range.from), range.to));
  }, [openedAt, range, seek]);

  // Keep the URL in step, so the view can be shared or reloaded.
  useEffect(() => {
    if (!opened) return;
    const p = new URLSearchParams();
    if (keys.length) p.set('s', [focus, ...keys.filter((k) => k !== focus)].filter(Boolean).join(','));
    if (replay.clock.time !== null && !replay.clock.playing) p.set('at', String(Math.round(replay.clock.time)));
    history.replaceState(null, '', `/console${p.size ? `?${p}` : ''}`);
  }, [keys, focus, replay.clock.time, replay.clock.playing, opened]);

  const pick = useCallback((hit: SearchHit) => {
    const key: SubjectKey = hit.kind === 'consignment' ? `c${hit.id}` : `a${hit.id}`;
    setKeys((ks) => (ks.includes(key) ? ks : [...ks, key].slice(-MAX_SUBJECTS)));
    setFocus(key);
    setTab('movements');
  }, []);
  const openConsignment = useCallback((id: number) => {
    const key: SubjectKey = `c${id}`;
    setKeys((ks) => (ks.includes(key) ? ks : [...ks, key].slice(-MAX_SUBJECTS)));
    setFocus(key);
    setTab('movements');
  }, []);
  const remove = (key: SubjectKey) => {
    const rest = keys.filter((k) => k !== key);
    setKeys(rest);
    if (focus === key) setFocus(rest[0] ?? null);
  };

  const focused = focus ? loaded.get(focus) : undefined;
  const nameOf = (k: SubjectKey) => {
    const j = loaded.get(k)?.journey;
    return j ? (j.consignment?.reference ?? j.asset.label ?? j.asset.key) : t('console.loading');
  };

  return (
    <main className="console-page">
      <TopBar>
        <ConnectionBadge state={state} />
      </TopBar>
      <div className="console-body">
        <aside className="console-side">
          <SearchBox onPick={pick} />
          <div className="console-tabs" role="tablist" aria-label={t('console.tabs')}>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'movements'}
              className={tab === 'movements' ? 'on' : ''}
              onClick={() => setTab('movements')}
              data-testid="tab-movements"
            >
              {t('console.tabMovements')}
              {keys.length > 0 && <span className="tab-count">{keys.length}</span>}
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'inspections'}
              className={tab === 'inspections' ? 'on' : ''}
              onClick={() => setTab('inspections')}
              data-testid="tab-inspections"
            >
              {t('insp.title')}
            </button>
          </div>
          {tab === 'inspections' ? (
            <div className="console-scroll">
              <InspectionTasks onOpen={openConsignment} now={now} />
            </div>
          ) : (
            <>
              {keys.length > 0 && (
                <ul className="selection" aria-label={t('console.selection')} data-testid="selection">
                  {keys.map((k) => (
                    <li key={k} className={k === focus ? 'on' : ''}>
                      <button type="button" className="sel-name mono" onClick={() => setFocus(k)} aria-pressed={k === focus}>
                        {nameOf(k)}
                      </button>
                      <button type="button" className="sel-x" onClick={() => remove(k)} aria-label={t('console.remove', { name: nameOf(k) })}>
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <div className="console-scroll">
                {!focus && <p className="console-empty">{t('console.empty')}</p>}
                {focus && !focused && <p className="console-empty">{t('console.loading')}</p>}
                {focused?.error && (
                  <p className="console-error" role="alert">
                    {t('console.loadFailed', { error: focused.error })}
                  </p>
                )}
                {focused?.journey && (
                  <ConsignmentPanel journey={focused.journey} now={now} replayTime={replay.clock.time} onSeek={replay.seek} onChanged={() => reload(focused.key)} />
                )}
              </div>
            </>
          )}
        </aside>
        <div className="map-root">
          <ConsoleMap journeys={journeys} focusAssetId={focused?.journey?.asset.id ?? null} clock={replay.ref} store={store} tickMs={tickMs} openedAt={openedAt} />
          {range && (
            <ReplayBar range={range} clock={replay.clock} onPlay={replay.play} onPause={replay.pause} onSeek={replay.seek} onSpeed={replay.setSpeed} onFollow={replay.setFollow} />
          )}
          <div className="legend console-legend" aria-label={t('legend.label')}>
            <i style={{ background: '#ccfbf1' }} />
            <span>{t('console.trackLegendIn')}</span>
            <i style={{ background: 'var(--critical)' }} />
            <span>{t('console.trackLegendOut')}</span>
            <i style={{ background: 'var(--warning)', borderRadius: '50%' }} />
            <span>{t('console.trackLegendAlert')}</span>
            <i style={{ background: '#fff' }} />
            <span>{t('console.trackLegendReplay')}</span>
            <i style={{ border: '1px solid var(--normal)', background: 'rgba(45,212,191,0.15)' }} />
            <span>{t('legend.corridor')}</span>
            <i style={{ border: '1px solid var(--site)', background: 'rgba(167,139,250,0.4)' }} />
            <span>{t('legend.site')}</span>
          </div>
        </div>
      </div>
    </main>
  );
}
