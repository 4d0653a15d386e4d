'use client';
// User accounts (/admin/users), supervisors only: the accounts of the jurisdiction with role,
// district, state, last sign-in and last change; a form to create one (role and district from
// lists; without a password one is generated and shown once); disable/enable, change role, reset a
// password (shown once). The server decides jurisdiction and refuses a supervisor's own lock-out.
import { useEffect, useState, type FormEvent } from 'react';
import { getJson } from '../getJson';
import { AdminShell, ChangedBy, useMe } from './AdminShell';
import { adminCall, useAdminList } from './adminApi';
import { ShownOnce } from './ShownOnce';
import { When } from './When';
import './peopleAdmin.css';

type Role = 'viewer' | 'officer' | 'supervisor';
export const ROLE_WORDS: Record<Role, string> = { viewer: '值班员 · Viewer', officer: '监控员 · Officer', supervisor: '主管 · Supervisor' };

interface User {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  district: string;
  districtName: string;
  disabled: boolean;
  createdAt: string;
  lastSignIn: string | null;
  changedBy: string | null;
  changedAt: string | null;
}

export interface District {
  code: string;
  nameZh: string;
  nameEn: string;
  level: 'hq' | 'direct' | 'office';
  parent: string | null;
}

/** The districts the signed-in user sees, for a select. */
export function useDistricts(): District[] {
  const [districts, setDistricts] = useState<District[]>([]);
  useEffect(() => {
    getJson<{ districts: District[] }>('/api/districts').then(
      (r) => setDistricts(r.districts),
      () => setDistricts([]),
    );
  }, []);
  return districts;
}

export const districtLabel = (d: District) => `${d.level === 'office' ? '\u00a0\u00a0' : ''}${d.code} ${d.nameZh} · ${d.nameEn}`;

function UsersBody() {
  const me = useMe();
  const districts = useDistricts();
  const { items: users, error, setError, reload } = useAdminList<User>('/api/users');
  const [shown, setShown] = useState<{ username: string; password: string; why: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ username: '', displayName: '', role: 'officer' as Role, district: '', password: '' });

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

  const create = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const made = await adminCall<User & { password?: string }>('POST', '/api/users', {
        username: form.username.trim(),
        role: form.role,
        district: form.district || me.district,
        ...(form.displayName.trim() && { displayName: form.displayName.trim() }),
        ...(form.password && { password: form.password }),
      });
      if (made.password) setShown({ username: made.username, password: made.password, why: '新用户的初始密码' });
      setForm({ username: '', displayName: '', role: form.role, district: form.district, password: '' });
    });
  };

  const reset = (u: User) =>
    window.confirm(`重置 ${u.username} 的密码?其会话将立即结束。 · Reset the password of ${u.username}? Their sessions end.`) &&
    act(async () => {
      const r = await adminCall<{ password: string }>('POST', `/api/users/${u.id}/reset-password`);
      setShown({ username: u.username, password: r.password, why: '重置后的新密码' });
    });

  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {shown && (
        <ShownOnce title={`${shown.username}: ${shown.why}(仅显示一次) · Password, shown once`} value={shown.password} onDone={() => setShown(null)}>
          请安全地交给本人;此后无法再次查看。 · Hand it over safely; it cannot be shown again.
        </ShownOnce>
      )}
      <form className="admin-form" onSubmit={create} aria-label="新建用户 Create a user">
        <label>
          用户名 Username
          <input
            name="username"
            required
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.target.value })}
            pattern="[a-z0-9_.\-]{3,32}"
            title="3–32 位 a-z 0-9 _ . -"
            placeholder="ys-officer2"
          />
        </label>
        <label>
          姓名 Display name
          <input name="displayName" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} placeholder="洋山海关监控员" />
        </label>
        <label>
          角色 Role
          <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {(Object.keys(ROLE_WORDS) as Role[]).map((r) => (
              <option key={r} value={r}>
                {ROLE_WORDS[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          关区 District
          <select name="district" value={form.district || me.district} onChange={(e) => setForm({ ...form, district: e.target.value })}>
            {districts.map((d) => (
              <option key={d.code} value={d.code}>
                {districtLabel(d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          密码 Password <span className="secondary">(留空则自动生成 · blank: generated)</span>
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <button className="btn primary" type="submit" disabled={busy || !form.username}>
          新建 · Create
        </button>
      </form>
      <table className="admin-table" data-testid="users-table">
        <thead>
          <tr>
            <th>用户 User</th>
            <th>角色 Role</th>
            <th>关区 District</th>
            <th>状态 State</th>
            <th>最近登录 Last sign-in</th>
            <th>创建 Created</th>
            <th>最近修改 Last change</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users === null && (
            <tr>
              <td colSpan={8} className="secondary">
                加载中… · Loading…
              </td>
            </tr>
          )}
          {users?.map((u) => {
            const self = u.id === me.id;
            return (
              <tr key={u.id} data-testid="user-row" data-username={u.username} className={u.disabled ? 'muted' : ''}>
                <td>
                  <b>{u.username}</b>
                  {self && <span className="secondary"> (本人 · you)</span>}
                  <div className="secondary">{u.displayName ?? ''}</div>
                </td>
                <td>
                  <select
                    aria-label={`${u.username} 角色 Role`}
                    value={u.role}
                    disabled={busy || self}
                    onChange={(e) => {
                      const role = e.target.value as Role;
                      if (window.confirm(`把 ${u.username} 改为 ${ROLE_WORDS[role]}?其会话将立即结束。`)) void act(() => adminCall('PATCH', `/api/users/${u.id}`, { role }));
                    }}
                  >
                    {(Object.keys(ROLE_WORDS) as Role[]).map((r) => (
                      <option key={r} value={r}>
                        {ROLE_WORDS[r]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <span className="mono">{u.district}</span> {u.districtName}
                </td>
                <td>
                  <span className={`state-pill ${u.disabled ? 'off' : 'on'}`}>{u.disabled ? '○ 已停用 Disabled' : '● 启用 Enabled'}</span>
                </td>
                <td>
                  <When at={u.lastSignIn} never="从未 · never" />
                </td>
                <td>
                  <When at={u.createdAt} />
                </td>
                <td>
                  <ChangedBy by={u.changedBy} at={u.changedAt} />
                </td>
                <td>
                  <div className="row-actions">
                    <button
                      className="btn"
                      type="button"
                      disabled={busy || self}
                      onClick={() =>
                        (u.disabled || window.confirm(`停用 ${u.username}?其会话将立即结束。 · Disable ${u.username}? Their sessions end.`)) &&
                        act(() => adminCall('PATCH', `/api/users/${u.id}`, { disabled: !u.disabled }))
                      }
                    >
                      {u.disabled ? '启用 · Enable' : '停用 · Disable'}
                    </button>
                    <button className="btn" type="button" disabled={busy} onClick={() => reset(u)}>
                      重置密码 · Reset password
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

export function UsersAdmin() {
  return (
    <AdminShell zh="用户" en="Users" wide>
      <UsersBody />
    </AdminShell>
  );
}
