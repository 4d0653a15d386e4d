'use client';
// Who is signed in and where their jurisdiction lies, with sign-out.
import { useEffect, useState } from 'react';

interface Me {
  user: { username: string; displayName: string | null; role: string; district: string; districtName: string; level: string };
  csrf: string;
}

const ROLE_ZH: Record<string, string> = { viewer: '查看', officer: '处置', supervisor: '主管' };

export function csrfToken(): string {
  return document.cookie.split('; ').find((c) => c.startsWith('tw_csrf='))?.slice(8) ?? '';
}

export function UserBox() {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    fetch('/api/auth/me').then((r) => (r.ok ? r.json() : null)).then(setMe, () => setMe(null));
  }, []);
  if (!me) return null;
  const signOut = async () => {
    await fetch('/api/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken() } });
    location.assign('/login');
  };
  return (
    <div className="user-box" data-testid="user-box">
      <span><b>{me.user.displayName ?? me.user.username}</b> · {me.user.districtName} {me.user.district} · {ROLE_ZH[me.user.role] ?? me.user.role}</span>
      <button type="button" onClick={signOut}>退出 Sign out</button>
    </div>
  );
}
