'use client';
// The sign-in form. Errors come from the server in Chinese and English.
import { useState, type FormEvent } from 'react';
import { useLang } from './I18nProvider';

export function LoginForm({ next, demo }: { next: string; demo: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { t, tOther } = useLang();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
      });
      if (res.ok) {
        // Only same-site paths: an open redirect would hand a fresh session's page to anyone.
        location.assign(next.startsWith('/') && !next.startsWith('//') ? next : '/');
        return;
      }
      const body = await res.json().catch(() => ({}));
      setError(body.error ?? t('login.failed', { status: res.status }));
    } catch {
      setError(t('login.unreachable'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="login-panel" onSubmit={submit} aria-label={t('login.label')}>
      <div className="login-brand">{t('brand.name')}</div>
      <div className="login-title">
        {t('brand.title')}
        <span className="secondary">{tOther('brand.subtitle')}</span>
      </div>
      <label>
        <span>
          {t('login.username')} <em>{tOther('login.username')}</em>
        </span>
        <input name="username" autoComplete="username" required autoFocus maxLength={64} />
      </label>
      <label>
        <span>
          {t('login.password')} <em>{tOther('login.password')}</em>
        </span>
        <input name="password" type="password" autoComplete="current-password" required maxLength={200} />
      </label>
      {error && (
        <div className="login-error" role="alert">
          {error}
        </div>
      )}
      <button type="submit" disabled={busy}>
        {busy ? t('login.busy') : t('login.submit')}
      </button>
      {demo && <div className="login-hint">{t('login.demo')}</div>}
    </form>
  );
}
