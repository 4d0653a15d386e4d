'use client';
// Webhook subscriptions (/admin/webhooks), supervisors only: each subscription with its state
// (delivered, pending, dead, last success, last error), a form to subscribe a URL to alert types,
// movement events and districts (the signing secret is shown once), enable/disable, redeliver
// dead letters, delete. The server decides jurisdiction on every call.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ALERT_TYPES } from '../../lib/domain';
import { getJson } from '../getJson';
import { useLang } from '../I18nProvider';
import { AdminShell } from './AdminShell';
import { adminCall } from './adminApi';

const EVENT_KINDS: [string, string][] = [
  ['gate_in', '进卡口'],
  ['gate_out', '出卡口'],
  ['goods_in', '入库'],
  ['goods_out', '出库'],
  ['seal_opened', '关锁开启'],
  ['seal_cut', '关锁剪断'],
  ['trn_departed', '转关启运'],
  ['trn_arrived', '转关抵达'],
  ['inspection_result', '查验结果'],
];

interface Subscription {
  id: string;
  url: string;
  alertTypes: string[];
  eventKinds: string[];
  districts: string[];
  enabled: boolean;
  description: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  delivered: number;
  pending: number;
  dead: number;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');

export function WebhooksAdmin() {
  const { t } = useLang();
  const [role, setRole] = useState<string | null>(null);
  const [district, setDistrict] = useState('');
  const [subs, setSubs] = useState<Subscription[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [kinds, setKinds] = useState<string[]>([]);
  const [districts, setDistricts] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setSubs(await getJson<Subscription[]>('/api/webhooks'));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);

  useEffect(() => {
    getJson<{ user: { role: string; district: string } }>('/api/auth/me').then(
      (me) => {
        setRole(me.user.role);
        setDistrict(me.user.district);
        if (me.user.role === 'supervisor') void load();
      },
      () => setRole('none'),
    );
  }, [load]);

  const call = async (method: string, path: string, body?: unknown) => {
    setBusy(true);
    try {
      return await adminCall(method, path, body);
    } finally {
      setBusy(false);
    }
  };

  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const list = districts
        .split(/[\s,，]+/)
        .map((d) => d.trim())
        .filter(Boolean);
      const out = await call('POST', '/api/webhooks', { url, alertTypes: types, eventKinds: kinds, ...(list.length && { districts: list }) });
      setSecret({ url: String(out.url), secret: String(out.secret) });
      setUrl('');
      setTypes([]);
      setKinds([]);
      setDistricts('');
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const toggle = (list: string[], v: string, set: (l: string[]) => void) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  return (
    <AdminShell zh="Webhook 订阅" en="Webhook subscriptions">
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {secret && (
        <section className="webhook-secret" aria-live="polite">
          <b>签名密钥(仅显示一次) · Signing secret, shown once</b>
          <code className="mono">{secret.secret}</code>
          <span className="secondary">
            {secret.url} — 每次投递带 <code>Notification-Signature: sha256=HMAC-SHA256(密钥, 原始请求体)</code>;接收方按 <code>X-TW-Event-Id</code> 去重。
          </span>
          <button className="btn" type="button" onClick={() => setSecret(null)}>
            已保存 · Saved
          </button>
        </section>
      )}
      {role === 'supervisor' && (
        <form className="alert-filters webhook-form" onSubmit={create}>
          <label className="webhook-url">
            接收地址 URL
            <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://receiver.example.cn/hooks/transitwatch" />
          </label>
          <label>
            关区 Districts
            <input value={districts} onChange={(e) => setDistricts(e.target.value)} placeholder={district || '2200, 2248'} />
          </label>
          <fieldset className="webhook-choices">
            <legend>告警类型 Alert types</legend>
            {ALERT_TYPES.map((a) => (
              <label key={a} className="check">
                <input type="checkbox" checked={types.includes(a)} onChange={() => toggle(types, a, setTypes)} />
                {t(`alertType.${a}`)}
              </label>
            ))}
          </fieldset>
          <fieldset className="webhook-choices">
            <legend>运输事件 Movement events</legend>
            {EVENT_KINDS.map(([k, zh]) => (
              <label key={k} className="check">
                <input type="checkbox" checked={kinds.includes(k)} onChange={() => toggle(kinds, k, setKinds)} />
                {zh} <span className="secondary mono">{k}</span>
              </label>
            ))}
          </fieldset>
          <div className="filter-actions">
            <button className="btn primary" type="submit" disabled={busy || !url || types.length + kinds.length === 0}>
              订阅 · Subscribe
            </button>
          </div>
        </form>
      )}
      {role === 'supervisor' && (
        <table className="webhook-table">
          <thead>
            <tr>
              <th>状态 State</th>
              <th>地址 URL</th>
              <th>订阅 Subscribed to</th>
              <th>关区 Districts</th>
              <th className="num">已投递 Delivered</th>
              <th className="num">待投递 Pending</th>
              <th className="num">死信 Dead</th>
              <th>最近成功 Last success</th>
              <th>最近错误 Last error</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {subs.length === 0 && (
              <tr>
                <td colSpan={10} className="secondary">
                  暂无订阅 · No subscriptions
                </td>
              </tr>
            )}
            {subs.map((s) => (
              <tr key={s.id} data-testid="webhook-row">
                <td>
                  <span className={`state-pill ${s.enabled ? (s.dead ? 'warn' : 'on') : 'off'}`}>{s.enabled ? (s.dead ? '● 有死信' : '● 启用') : '○ 停用'}</span>
                </td>
                <td className="mono url">{s.url}</td>
                <td>
                  {[...s.alertTypes.map((a) => t(`alertType.${a as (typeof ALERT_TYPES)[number]}`)), ...s.eventKinds.map((k) => EVENT_KINDS.find(([x]) => x === k)?.[1] ?? k)].join(
                    '、',
                  )}
                </td>
                <td className="mono">{s.districts.join(', ')}</td>
                <td className="num">{s.delivered}</td>
                <td className="num">{s.pending}</td>
                <td className={`num ${s.dead ? 'critical' : ''}`}>{s.dead}</td>
                <td>{when(s.lastSuccessAt)}</td>
                <td className="error-cell" title={s.lastError ?? ''}>
                  {s.lastError ? (
                    <>
                      <span>{s.lastError}</span>
                      <span className="secondary"> {when(s.lastErrorAt)}</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <div className="row-actions">
                    <button className="btn" type="button" disabled={busy} onClick={() => act(() => call('PATCH', `/api/webhooks/${s.id}`, { enabled: !s.enabled }))}>
                      {s.enabled ? '停用' : '启用'}
                    </button>
                    {s.dead > 0 && (
                      <button className="btn" type="button" disabled={busy} onClick={() => act(() => call('POST', `/api/webhooks/${s.id}/redeliver`, {}))}>
                        重新投递
                      </button>
                    )}
                    <button
                      className="btn"
                      type="button"
                      disabled={busy}
                      onClick={() => window.confirm(`删除订阅 ${s.url}?未投递的事件将不再发送。`) && act(() => call('DELETE', `/api/webhooks/${s.id}`))}
                    >
                      删除
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminShell>
  );
}
