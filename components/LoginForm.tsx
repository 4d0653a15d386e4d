'use client';
// The sign-in form. Errors come from the server in Chinese and English.
import { useState, type FormEvent } from 'react';

export function LoginForm({ next, demo }: { next: string; demo: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
      setError(body.error ?? `登录失败 Sign-in failed (HTTP ${res.status})`);
    } catch {
      setError('无法连接服务器 · Cannot reach the server');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="login-panel" onSubmit={submit} aria-label="登录 Sign in">
      <div className="login-brand">TransitWatch</div>
      <div className="login-title">监管运输实时监控<span className="secondary">Customs transit monitoring</span></div>
      <label>
        <span>用户名 <em>Username</em></span>
        <input name="username" autoComplete="username" required autoFocus maxLength={64} />
      </label>
      <label>
        <span>密码 <em>Password</em></span>
        <input name="password" type="password" autoComplete="current-password" required maxLength={200} />
      </label>
      {error && <div className="login-error" role="alert">{error}</div>}
      <button type="submit" disabled={busy}>{busy ? '登录中… Signing in' : '登录 Sign in'}</button>
      {demo && (
        <div className="login-hint">
          演示账号 Demo accounts: hq-viewer · sh-officer · ys-viewer …（密码见 README · password in README）
        </div>
      )}
    </form>
  );
}
