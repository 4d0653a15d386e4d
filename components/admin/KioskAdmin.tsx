'use client';
// Kiosk tokens (/admin/kiosk), supervisors only: the video walls' sign-in links of the jurisdiction
// (for whom, by whom, last used, expiry, revoked), issuing one for a viewer account (the wall link is
// shown once) and revoking one (its walls lose their sessions at once).
import { useState, type FormEvent } from 'react';
import { AdminShell, ChangedBy } from './AdminShell';
import { adminCall, useAdminList } from './adminApi';
import { ShownOnce } from './ShownOnce';
import { When } from './When';
import { formatTime } from '../../lib/format';
import './peopleAdmin.css';

interface KioskToken {
  id: string;
  username: string;
  district: string;
  label: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  changedBy: string | null;
  changedAt: string | null;
}

interface Account {
  username: string;
  displayName: string | null;
  role: string;
  district: string;
  disabled: boolean;
}

function KioskBody() {
  const { items: tokens, error, setError, reload } = useAdminList<KioskToken>('/api/kiosk-tokens');
  const { items: users } = useAdminList<Account>('/api/users');
  const viewers = (users ?? []).filter((u) => u.role === 'viewer' && !u.disabled);
  const [form, setForm] = useState({ username: '', label: '', days: '' });
  const [link, setLink] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      await reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const issue = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const r = await adminCall<{ path: string }>('POST', '/api/kiosk-tokens', {
        username: form.username,
        ...(form.label.trim() && { label: form.label.trim() }),
        ...(form.days && { days: Number(form.days) }),
      });
      setLink(`${location.origin}${r.path}`);
      setForm({ username: form.username, label: '', days: '' });
    });
  };

  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {link && (
        <ShownOnce title="大屏登录链接(仅显示一次) · Wall link, shown once" value={link} onDone={() => setLink(null)}>
          在大屏浏览器中打开此链接即可免密登录(只读)。 · Open it in the wall&apos;s browser: it signs in read-only with no password.
        </ShownOnce>
      )}
      <form className="admin-form" onSubmit={issue} aria-label="签发令牌 Issue a token">
        <label>
          只读账号 Viewer account
          <select name="username" required value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })}>
            <option value="">— 选择 · choose —</option>
            {viewers.map((u) => (
              <option key={u.username} value={u.username}>
                {u.username} {u.displayName ? `· ${u.displayName}` : ''} ({u.district})
              </option>
            ))}
          </select>
        </label>
        <label>
          标签 Label
          <input name="label" maxLength={100} value={form.label} onChange={(e) => setForm({ ...form, label: e.target.value })} placeholder="监控中心大屏 A" />
        </label>
        <label>
          有效天数 Valid days <span className="secondary">(留空不过期 · blank: until revoked)</span>
          <input name="days" type="number" min={1} max={3650} value={form.days} onChange={(e) => setForm({ ...form, days: e.target.value })} />
        </label>
        <button className="btn primary" type="submit" disabled={busy || !form.username}>
          签发 · Issue
        </button>
      </form>
      <table className="admin-table" data-testid="kiosk-table">
        <thead>
          <tr>
            <th>令牌 Token</th>
            <th>账号 Account</th>
            <th>状态 State</th>
            <th>最近使用 Last used</th>
            <th>到期 Expires</th>
            <th>签发 Issued</th>
            <th>最近修改 Last change</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens?.length === 0 && (
            <tr>
              <td colSpan={8} className="secondary">
                暂无令牌 · No kiosk tokens
              </td>
            </tr>
          )}
          {tokens?.map((k) => {
            const expired = k.expiresAt !== null && Date.parse(k.expiresAt) < Date.now();
            return (
              <tr key={k.id} data-testid="kiosk-row" className={k.revokedAt || expired ? 'muted' : ''}>
                <td>
                  <b>{k.label ?? '—'}</b>
                  <div className="secondary mono">{k.id}</div>
                </td>
                <td>
                  {k.username} <span className="secondary mono">{k.district}</span>
                </td>
                <td>
                  <span className={`state-pill ${k.revokedAt || expired ? 'off' : 'on'}`}>{k.revokedAt ? '⊘ 已吊销 Revoked' : expired ? '○ 已过期 Expired' : '● 有效 Live'}</span>
                </td>
                <td>
                  <When at={k.lastUsedAt} never="从未 · never" />
                </td>
                <td>{k.expiresAt ? formatTime(Date.parse(k.expiresAt)) : <span className="secondary">不过期 · never</span>}</td>
                <td>
                  <ChangedBy by={k.createdBy} at={k.createdAt} />
                </td>
                <td>
                  <ChangedBy by={k.changedBy} at={k.changedAt} />
                </td>
                <td>
                  {!k.revokedAt && (
                    <button
                      className="btn"
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        window.confirm(`吊销令牌 ${k.label ?? k.id}?使用它的大屏将立即退出。 · Revoke: its walls sign out at once.`) &&
                        act(() => adminCall('DELETE', `/api/kiosk-tokens/${k.id}`))
                      }
                    >
                      吊销 · Revoke
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

export function KioskAdmin() {
  return (
    <AdminShell zh="大屏令牌" en="Kiosk tokens" wide>
      <KioskBody />
    </AdminShell>
  );
}
