'use client';
// Who is signed in and where their jurisdiction lies, with sign-out.
import { useEffect, useState } from 'react';
import { useLang } from './I18nProvider';

interface Me {
  user: { username: string; displayName: string | null; role: string; district: string; districtName: string; level: string };
  csrf: string;
}

const ROLES = ['viewer', 'officer', 'supervisor'] as const;
const isRole = (r: string): r is (typeof ROLES)[number] => (ROLES as readonly string[]).includes(r);

export function csrfToken(): string {
  return (
    document.cookie
      .split('; ')
      .find((c) => c.startsWith('tw_csrf='))
      ?.slice(8) ?? ''
  );
}

export function UserBox() {
  const [me, setMe] = useState<Me | null>(null);
  const { t } = useLang();
  useEffect(() => {
    fetch('/api/auth/me')
      .then((r) => (r.ok ? r.json() : null))
      .then(setMe, () => setMe(null));
  }, []);
  if (!me) return null;
  const signOut = async () => {
    await fetch('/api/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken() } });
    location.assign('/login');
  };
  return (
    <div className="user-box" data-testid="user-box">
      <span>
        <b>{me.user.displayName ?? me.user.username}</b>
        <span className="user-detail">
          {' '}
          · {me.user.districtName} {me.user.district} · {isRole(me.user.role) ? t(`role.${me.user.role}`) : me.user.role}
        </span>
      </span>
      <button type="button" onClick={signOut}>
        {t('user.signOut')}
      </button>
    </div>
  );
}
