'use client';
// The newest alerts along the bottom of the wall, newest first: severity (word and colour), type,
// carrier and movement, time (CST) and age. Ages refresh every 15 s.
import { useEffect, useState } from 'react';
import type { Alert } from '../alerts/model';
import { useFormat, useLang } from '../I18nProvider';

const HM = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

export function AlertTicker({ items }: { items: Alert[] }) {
  const { t } = useLang();
  const f = useFormat();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section className="wall-ticker" data-testid="wall-ticker" aria-label={t('wall.ticker')} aria-live="polite">
      <h2>{t('wall.ticker')}</h2>
      {items.length === 0 && <div className="wall-empty">{t('wall.noAlerts')}</div>}
      <ol>
        {items.map((a) => (
          <li key={a.id} className={`ticker-item ${a.severity}`} data-testid="ticker-item" data-alert-id={a.id} data-state={a.state}>
            <div className="ticker-head">
              <span className="ticker-sev">{t(`severity.${a.severity}`)}</span>
              <span className="ticker-type">{t(`alertType.${a.type}`)}</span>
            </div>
            <div className="ticker-what">
              {a.assetLabel ?? t('alerts.noAsset')}
              {a.consignmentRef && <span className="secondary"> · {a.consignmentRef}</span>}
            </div>
            <div className="ticker-when secondary">
              {HM.format(a.time)} · {f.age(now - a.time)}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
