'use client';
// The bar on every signed-in view: brand (with the other language small), navigation,
// the view's own items, language switch and the user.
import type { ReactNode } from 'react';
import { usePathname } from 'next/navigation';
import { useLang } from './I18nProvider';
import { LangSwitch } from './LangSwitch';
import { UserBox } from './UserBox';

export function TopBar({ children }: { children?: ReactNode }) {
  const { t, tOther } = useLang();
  const path = usePathname();
  const links = [
    { href: '/', label: t('nav.live'), on: path === '/' },
    { href: '/console', label: t('nav.console'), on: path?.startsWith('/console') ?? false },
    { href: '/alerts', label: t('nav.alerts'), on: path?.startsWith('/alerts') ?? false },
    { href: '/wall', label: t('wall.nav'), on: path === '/wall' },
    { href: '/reports', label: t('nav.reports'), on: path?.startsWith('/reports') ?? false },
    { href: '/admin', label: t('nav.admin'), on: path?.startsWith('/admin') ?? false },
  ];
  return (
    <header className="topbar">
      <div className="brand">
        {t('brand.name')} {t('brand.title')}
        <span className="secondary">{tOther('brand.subtitle')}</span>
      </div>
      <nav className="nav" aria-label={t('nav.label')}>
        {/* Plain links: each view opens its own live connection. */}
        {links.map((l) => (
          <a key={l.href} href={l.href} aria-current={l.on ? 'page' : undefined} className={l.on ? 'on' : ''}>
            {l.label}
          </a>
        ))}
      </nav>
      <div className="topbar-items">{children}</div>
      <LangSwitch />
      <UserBox />
    </header>
  );
}
