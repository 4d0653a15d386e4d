'use client';
// One alert in the feed: severity (bar, shape and label), what and who, when (relative beside
// CST), its state, and the actions open to an officer.
import { formatTime } from '../../lib/format';
import { useFormat, useLang } from '../I18nProvider';
import { SeverityIcon } from './SeverityIcon';
import type { Alert } from './model';

const consoleHref = (a: Alert): string | null => (a.consignmentId ? `/console?s=c${a.consignmentId}&at=${a.time}` : a.assetId ? `/console?s=a${a.assetId}&at=${a.time}` : null);

export function AlertRow({
  alert: a,
  now,
  canAct,
  fresh,
  busy,
  onAck,
  onResolve,
}: {
  alert: Alert;
  now: number;
  canAct: boolean;
  fresh: boolean;
  busy: boolean;
  onAck: () => void;
  onResolve: () => void;
}) {
  const { t } = useLang();
  const f = useFormat();
  return (
    <li className={`alert-row sev-${a.severity} st-${a.state}${fresh ? ' fresh' : ''}`} data-testid="alert-row" data-id={a.id} data-state={a.state} data-severity={a.severity}>
      <div className="alert-sev">
        <SeverityIcon severity={a.severity} />
        <span>{t(`severity.${a.severity}`)}</span>
      </div>
      <div className="alert-main">
        <div className="alert-type">
          {/* Opens the console on this movement (or carrier) at the alert's moment. */}
          {consoleHref(a) ? (
            <a href={consoleHref(a)!} data-testid="alert-open">
              {t(`alertType.${a.type}`)}
            </a>
          ) : (
            t(`alertType.${a.type}`)
          )}
          <span className="alert-id mono">#{a.id}</span>
        </div>
        <div className="alert-meta">
          <span>
            {a.assetKind ? t(`kind.${a.assetKind}`) : t('alerts.asset')} <b>{a.assetLabel ?? t('alerts.noAsset')}</b>
          </span>
          {a.consignmentRef && (
            <span>
              {t('alerts.consignment')} <b className="mono">{a.consignmentRef}</b>
            </span>
          )}
          {a.districts?.length > 0 && (
            <span>
              {t('alerts.district')} <span className="mono">{a.districts.join(' · ')}</span>
            </span>
          )}
        </div>
      </div>
      <div className="alert-time">
        <div className="alert-age">{f.age(now - a.time)}</div>
        <time className="mono secondary" dateTime={new Date(a.time).toISOString()} title={t('alerts.timeZone')}>
          {formatTime(a.time)}
        </time>
      </div>
      <div className="alert-state">
        <span className={`state-chip st-${a.state}`} data-testid="alert-state">
          {t(`alertState.${a.state}`)}
        </span>
        {a.state === 'acknowledged' && a.ackedBy && <div className="alert-who">{t('alerts.ackedBy', { who: a.ackedBy, time: a.ackedAt ? formatTime(a.ackedAt) : '' })}</div>}
        {a.state === 'resolved' && a.resolvedBy && (
          <div className="alert-who">{t('alerts.resolvedBy', { who: a.resolvedBy, time: a.resolvedAt ? formatTime(a.resolvedAt) : '' })}</div>
        )}
        {a.note && (
          <div className="alert-note" data-testid="alert-note">
            {a.note}
          </div>
        )}
        {a.clearedAt && a.state !== 'resolved' && <div className="alert-who">{t('alerts.cleared', { time: formatTime(a.clearedAt) })}</div>}
      </div>
      <div className="alert-actions">
        {canAct && a.state === 'open' && (
          <button type="button" className="btn" disabled={busy} onClick={onAck} data-testid="ack-button">
            {t('alerts.acknowledge')}
          </button>
        )}
        {canAct && a.state !== 'resolved' && (
          <button type="button" className="btn primary" disabled={busy} onClick={onResolve} data-testid="resolve-button">
            {t('alerts.resolve')}
          </button>
        )}
      </div>
    </li>
  );
}
