'use client';
// The frame of every /admin page: the top bar, the sections' sub-navigation, and the signed-in
// user (a supervisor, or the page says it needs one). The server decides jurisdiction on every
// call; this only spares a viewer a page of refused requests.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { usePathname } from 'next/navigation';
import { getJson } from '../getJson';
import { TopBar } from '../TopBar';
import { ADMIN_SECTIONS } from './adminSections';
import './admin.css';

export interface Me {
  id: number;
  username: string;
  role: 'viewer' | 'officer' | 'supervisor';
  district: string;
}

const MeContext = createContext<Me | null>(null);

/** The signed-in supervisor, inside an AdminShell. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside AdminShell');
  return me;
}

export function AdminShell({ zh, en, children, wide = false }: { zh: string; en: string; children: ReactNode; wide?: boolean }) {
  const path = usePathname();
  const [me, setMe] = useState<Me | null | 'none'>(null);
  useEffect(() => {
    getJson<{ user: Me }>('/api/auth/me').then(
      (r) => setMe(r.user),
      () => setMe('none'),
    );
  }, []);
  return (
    <div className="admin-page">
      <TopBar />
      <nav className="admin-nav" aria-label="管理 Administration">
        {ADMIN_SECTIONS.map((s) => (
          <a key={s.href} href={s.href} className={path?.startsWith(s.href) ? 'on' : ''} aria-current={path?.startsWith(s.href) ? 'page' : undefined}>
            {s.zh}
            <span className="secondary">{s.en}</span>
          </a>
        ))}
      </nav>
      <main className={`admin-body${wide ? ' wide' : ''}`}>
        <h1 className="admin-title">
          {zh} <span className="secondary">{en}</span>
        </h1>
        {me === null && <p className="secondary">加载中… · Loading…</p>}
        {me === 'none' && <p className="form-error">未登录 · Not signed in</p>}
        {me !== null && me !== 'none' && me.role !== 'supervisor' && <p className="form-error">需要主管权限 · Supervisors only</p>}
        {me !== null && me !== 'none' && me.role === 'supervisor' && <MeContext.Provider value={me}>{children}</MeContext.Provider>}
      </main>
    </div>
  );
}

/** "who, when" of a row's last change, as every admin list shows it. */
export function ChangedBy({ by, at }: { by: string | null | undefined; at: string | null | undefined }) {
  if (!at) return <span className="secondary">—</span>;
  return (
    <span className="changed-by">
      {by ?? '—'} <span className="secondary">{new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</span>
    </span>
  );
}
