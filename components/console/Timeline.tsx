'use client';
// The journey as a list of moments: departure, gate and seal events, alerts, the officers' actions
// (edit, extend, hand over, close, cancel: what changed, who, why), arrival or the deadline. A click
// replays from that moment.
import type { TimelineEntry } from '../../lib/journey';
import { formatShortTime } from '../../lib/format';
import { zhCN } from '../../lib/i18n/zh-CN';
import { SeverityIcon } from '../alerts/SeverityIcon';
import { useFormat, useLang } from '../I18nProvider';
import { actionWord } from './lifecycleWords';
import './lifecycleTimeline.css';

const EVENT_KINDS = zhCN.eventKind;

export function Timeline({ entries, now, onSeek }: { entries: TimelineEntry[]; now: number; onSeek: (ms: number) => void }) {
  const { t, lang } = useLang();
  const f = useFormat();
  const label = (e: TimelineEntry): string => {
    const site = (lang === 'en' ? e.siteEn : e.site) ?? e.site ?? '';
    switch (e.kind) {
      case 'departure':
        return t('console.tlDeparture', { site });
      case 'arrived':
        return t('console.tlArrived', { site });
      case 'deadline':
        return t('console.tlDeadline', { site });
      case 'event':
        // A kind the console has no words for yet is shown by its code rather than as a missing key.
        return `${e.code && Object.hasOwn(EVENT_KINDS, e.code) ? t(`eventKind.${e.code as keyof typeof EVENT_KINDS}`) : (e.code ?? '')}${site ? ` · ${site}` : ''}`;
      case 'alert':
        return `${t(`alertType.${e.code}` as 'alertType.OVERDUE')} · ${t(`alertState.${e.state ?? 'open'}`)}`;
      case 'action': {
        const change =
          e.code === 'consignment_extend'
            ? `${shortTime(e.from)} → ${shortTime(e.to)}`
            : e.code === 'consignment_edit'
              ? (e.to ?? '')
              : e.from || e.to
                ? `${e.from ?? '—'} → ${e.to ?? '—'}`
                : '';
        return `${actionWord(e.code, lang === 'en')}${change ? ` · ${change}` : ''}`;
      }
    }
  };
  return (
    <section className="panel-section" aria-label={t('console.timeline')}>
      <h3>{t('console.timeline')}</h3>
      <ol className="timeline" data-testid="timeline">
        {entries.map((e, i) => (
          <li key={`${e.kind}-${e.alertId ?? i}`} className={`tl tl-${e.kind}${e.severity ? ` sev-${e.severity}` : ''}${e.time > now ? ' future' : ''}`} data-kind={e.kind}>
            <button type="button" onClick={() => onSeek(e.time)} disabled={e.time > now}>
              <span className="tl-mark">{e.kind === 'alert' && e.severity ? <SeverityIcon severity={e.severity} /> : <i />}</span>
              <span className="tl-label">{label(e)}</span>
              <time className="tl-time mono" dateTime={new Date(e.time).toISOString()}>
                {formatShortTime(e.time)}
              </time>
              <span className="tl-age secondary">{e.time <= now ? f.age(now - e.time) : ''}</span>
              {e.kind === 'action' && (
                <span className="tl-detail secondary">
                  {e.by ?? '—'}
                  {e.reason ? ` · ${e.reason}` : ''}
                </span>
              )}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** An ISO time from an action (the old or new deadline), short: MM/DD HH:mm in China time, as the other times here. */
const shortTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }) : '—';
