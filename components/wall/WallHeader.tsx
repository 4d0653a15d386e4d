'use client';
// The wall's top line: title and jurisdiction, what the camera is showing, the connection state
// and the China Standard Time clock.
import { useEffect, useState, type ReactNode } from 'react';
import { useLang } from '../I18nProvider';

const CLOCK = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour12: false,
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function WallHeader({ children }: { children?: ReactNode }) {
  const { t, tOther } = useLang();
  const [now, setNow] = useState<number | null>(null);
  const [district, setDistrict] = useState('');
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    fetch('/api/auth/me')
      .then((r) => (r.ok ? r.json() : null))
      .then((me) => me && setDistrict(me.user.districtName))
      .catch(() => {});
    return () => clearInterval(timer);
  }, []);
  return (
    <header className="wall-header">
      <div className="wall-title">
        <b>{t('brand.title')}</b>
        <span>
          {district ? `${district} · ` : ''}
          {t('wall.title')}
        </span>
        <span className="secondary">{tOther('wall.title')}</span>
      </div>
      <div className="wall-header-items">{children}</div>
      <div className="wall-clock" data-testid="wall-clock">
        {now !== null && CLOCK.format(now)}
        <span className="secondary">{t('wall.cst')}</span>
      </div>
    </header>
  );
}
