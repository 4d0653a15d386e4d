'use client';
// What an officer needs about one movement at a glance: status, who carries what from where to
// where, departure, deadline, ETA against the deadline, distance off route now, the charts and
// the timeline, and the track to take away (GeoJSON, GPX, KML); for a supervisor, the movement's
// lifecycle actions (MovementActions), after which the journey is loaded again.
import type { Journey } from '../../lib/journey';
import { formatShortTime, formatTime } from '../../lib/format';
import { useFormat, useLang } from '../I18nProvider';
import { useCanAct } from '../useCanAct';
import { DocumentsSection } from './DocumentsSection';
import { Jt809RequestButton } from './Jt809RequestButton';
import { JourneyCharts } from './JourneyCharts';
import { MovementActions } from './MovementActions';
import { Timeline } from './Timeline';

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function ConsignmentPanel({
  journey: j,
  now,
  replayTime,
  onSeek,
  onChanged,
}: {
  journey: Journey;
  now: number;
  replayTime: number | null;
  onSeek: (ms: number) => void;
  /** A lifecycle action changed the movement: load its journey again. */
  onChanged?: () => void;
}) {
  const { t, lang } = useLang();
  const f = useFormat();
  const canAct = useCanAct();
  const c = j.consignment;
  const en = lang === 'en';
  const p = j.progress;
  const duration = (ms: number) => {
    const min = Math.round(Math.abs(ms) / 60_000);
    return min < 60 ? t('console.minutes', { m: min }) : t('console.hours', { h: Math.floor(min / 60), m: min % 60 });
  };
  const deadline = c ? Date.parse(c.deadline) : null;
  const versusDeadline = (at: number) =>
    deadline === null ? null : (
      <span className={at > deadline ? 'late' : 'early'}>
        {at > deadline ? t('console.late', { d: duration(at - deadline) }) : t('console.early', { d: duration(deadline - at) })}
      </span>
    );
  const corridor = j.route?.corridorM;
  const off = p?.offRouteM ?? null;
  const exportUrl = (format: string) => `/api/assets/${j.asset.id}/track?from=${j.window.from}&to=${j.window.to}&format=${format}`;

  return (
    <article className="consignment-panel" data-testid="consignment-panel" data-id={c?.id ?? ''}>
      <header className="cp-head">
        <div className="cp-title">
          <span className="mono" data-testid="cp-reference">
            {c?.reference ?? j.asset.label ?? j.asset.key}
          </span>
          {c && (
            <span className={`status-chip cs-${c.status}`} data-testid="cp-status">
              {t(`consignmentStatus.${c.status}`)}
            </span>
          )}
        </div>
        <div className="cp-carrier">
          {t(`kind.${j.asset.kind}`)} <b>{j.asset.label ?? j.asset.key}</b>
          {c?.sealId && (
            <>
              {' '}
              · {t('console.seal')} <span className="mono">{c.sealId}</span>
            </>
          )}
        </div>
      </header>

      {c && (
        <div className="cp-route">
          <span>{en ? c.origin.nameEn : c.origin.name}</span>
          <span className="arrow">→</span>
          <span className="dest">{en ? c.destination.nameEn : c.destination.name}</span>
        </div>
      )}

      <dl className="facts">
        {c && <Fact label={t('console.carrier')}>{c.carrier ?? '—'}</Fact>}
        {c && <Fact label={t('console.goods')}>{c.goods ?? '—'}</Fact>}
        {c && <Fact label={t('console.route')}>{j.route ? `${en ? j.route.nameEn : j.route.name} · ${j.route.code}` : t('console.noRoute')}</Fact>}
        {c && (
          <Fact label={t('console.departure')}>
            <span className="mono">{formatTime(Date.parse(c.departure))}</span>
          </Fact>
        )}
        {c && (
          <Fact label={t('console.deadline')}>
            <span className="mono">{formatTime(deadline!)}</span>
          </Fact>
        )}
        {c?.arrivedAt ? (
          <Fact label={t('console.arrivedAt')} testId="cp-arrived">
            <span className="mono">{formatTime(Date.parse(c.arrivedAt))}</span> {versusDeadline(Date.parse(c.arrivedAt))}
          </Fact>
        ) : (
          c && (
            <Fact label={t('console.eta')} testId="cp-eta">
              {p?.eta ? (
                <>
                  <span className="mono big">{formatTime(p.eta).slice(5, 16)}</span> {versusDeadline(p.eta)}
                </>
              ) : p && p.recentSpeedKmh !== null && j.route ? (
                t('console.etaStopped')
              ) : (
                t('console.etaNone')
              )}
            </Fact>
          )
        )}
        {corridor !== undefined && off !== null && !c?.arrivedAt && (
          <Fact label={t('console.offRoute')} testId="cp-offroute">
            <span className={off > corridor ? 'out' : 'in'}>{t(off > corridor ? 'console.outCorridor' : 'console.inCorridor', { m: off.toLocaleString(), w: corridor })}</span>
          </Fact>
        )}
        {p?.remainingM != null && !c?.arrivedAt && <Fact label={t('console.remaining')}>{t('console.km', { value: (p.remainingM / 1000).toFixed(1) })}</Fact>}
        {p?.recentSpeedKmh != null && <Fact label={t('console.recentSpeed')}>{f.speed(p.recentSpeedKmh, j.asset.kind)}</Fact>}
        <Fact label={t('console.lastFix')}>
          {p ? (
            <>
              <span className="mono">{formatShortTime(p.at)}</span> <span className="secondary">{f.age(now - p.at)}</span>
            </>
          ) : (
            t('console.noFix')
          )}
        </Fact>
      </dl>

      {c && onChanged && <MovementActions consignment={c} onChanged={onChanged} />}

      <div className="cp-export">
        <span className="secondary">{t('console.export')}</span>
        {(['geojson', 'gpx', 'kml'] as const).map((fmt) => (
          <a key={fmt} className="btn" href={exportUrl(fmt)} download data-testid={`export-${fmt}`}>
            {fmt.toUpperCase()}
          </a>
        ))}
        <span className="secondary small" data-testid="cp-fixes">
          {j.track.simplified ? t('console.simplified', { shown: j.track.fixes.length, total: j.track.total }) : t('console.fixes', { count: j.track.total })}
        </span>
        {canAct && j.asset.kind === 'vehicle' && <Jt809RequestButton assetId={j.asset.id} />}
      </div>

      {c && <DocumentsSection consignmentId={c.id} reference={c.reference} status={c.status} refreshKey={j} now={now} />}
      {j.track.fixes.length > 1 && <JourneyCharts journey={j} replayTime={replayTime} onSeek={onSeek} />}
      <Timeline entries={j.timeline} now={now} onSeek={onSeek} />
    </article>
  );
}
