'use client';
// The audit log (/admin/audit), supervisors only: who changed what and when, within their
// jurisdiction (the server decides which rows: server/queries/audit.ts). Filter by user, action,
// object and time; newest first, "more" for the next page; CSV of the rows the filters select.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { getJson } from '../getJson';
import { AdminShell } from './AdminShell';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from './auditActions';
import './auditLog.css';

interface Row {
  id: string;
  time: string;
  userId: number | null;
  username: string | null;
  userDistrict: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

interface Filters {
  user: string;
  action: string;
  entity: string;
  entityId: string;
  from: string;
  to: string;
}
const NONE: Filters = { user: '', action: '', entity: '', entityId: '', from: '', to: '' };

/** The query string of the filters (datetime-local values are the browser's local time). */
function queryOf(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of ['user', 'action', 'entity', 'entityId'] as const) if (f[k].trim()) q.set(k, f[k].trim());
  if (f.from) q.set('from', String(new Date(f.from).getTime()));
  if (f.to) q.set('to', String(new Date(f.to).getTime()));
  return q;
}

const chinaTime = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** A value as a few characters: a deadline stays readable, a long text is cut. */
function short(v: unknown): string {
  if (v === null || v === undefined) return '—';
  const s = typeof v === 'string' ? (/^\d{4}-\d\d-\d\dT/.test(v) ? chinaTime(v) : v) : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/** "field: before → after" for the fields a row changed (three at most), or the after's fields. */
export function changeSummary(before: unknown, after: unknown): string {
  const b = before && typeof before === 'object' ? (before as Record<string, unknown>) : {};
  const a = after && typeof after === 'object' ? (after as Record<string, unknown>) : {};
  // The reason first: it says the most in the fewest words.
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort((x, y) => Number(y === 'reason') - Number(x === 'reason'));
  const parts = keys.slice(0, 3).map((k) => (k in b && k in a ? `${k}: ${short(b[k])} → ${short(a[k])}` : k in a ? `${k}: ${short(a[k])}` : `${k}: ${short(b[k])} → —`));
  return parts.join('; ') + (keys.length > 3 ? ' …' : '');
}

export function AuditLog() {
  return (
    <AdminShell zh="审计日志" en="Audit log" wide>
      <AuditBody />
    </AdminShell>
  );
}

function AuditBody() {
  const [draft, setDraft] = useState<Filters>(NONE);
  const [applied, setApplied] = useState<Filters>(NONE);
  const [rows, setRows] = useState<Row[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (f: Filters, before: string | null) => {
    setBusy(true);
    try {
      const q = queryOf(f);
      if (before) q.set('before', before);
      const page = await getJson<{ items: Row[]; next: string | null }>(`/api/audit?${q}`);
      setRows((held) => (before ? [...held, ...page.items] : page.items));
      setNext(page.next);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load(applied, null);
  }, [applied, load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...draft });
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const csv = `/api/audit?${(() => {
    const q = queryOf(applied);
    q.set('format', 'csv');
    return q;
  })()}`;

  return (
    <>
      <form className="admin-form audit-filters" onSubmit={submit} data-testid="audit-filters">
        <label>
          用户 · User
          <input value={draft.user} onChange={set('user')} placeholder="username" size={12} data-testid="audit-user" />
        </label>
        <label>
          操作 · Action
          <input value={draft.action} onChange={set('action')} list="audit-actions" placeholder="consignment_*" size={20} data-testid="audit-action" />
          <datalist id="audit-actions">
            {Object.entries(AUDIT_ACTIONS).map(([code, [zh, en]]) => (
              <option key={code} value={code}>
                {zh} · {en}
              </option>
            ))}
          </datalist>
        </label>
        <label>
          对象 · Object
          <select value={draft.entity} onChange={set('entity')} data-testid="audit-entity">
            <option value="">全部 · Any</option>
            {AUDIT_ENTITIES.map(([code, zh, en]) => (
              <option key={code} value={code}>
                {zh} · {en}
              </option>
            ))}
          </select>
        </label>
        <label>
          对象编号 · Object id
          <input value={draft.entityId} onChange={set('entityId')} size={8} data-testid="audit-entity-id" />
        </label>
        <label>
          起 · From
          <input type="datetime-local" value={draft.from} onChange={set('from')} data-testid="audit-from" />
        </label>
        <label>
          止 · To
          <input type="datetime-local" value={draft.to} onChange={set('to')} data-testid="audit-to" />
        </label>
        <button type="submit" className="btn primary" data-testid="audit-apply">
          筛选 · Filter
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setDraft(NONE);
            setApplied(NONE);
          }}
        >
          清除 · Clear
        </button>
        <a className="btn audit-csv" href={csv} download data-testid="audit-csv">
          导出 CSV · Export CSV
        </a>
      </form>

      {error && (
        <p className="form-error" role="alert" data-testid="audit-error">
          {error}
        </p>
      )}

      <table className="admin-table audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>时间 · Time (CST)</th>
            <th>用户 · User</th>
            <th>操作 · Action</th>
            <th>对象 · Object</th>
            <th>变更 · Change</th>
            <th>IP</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const words = AUDIT_ACTIONS[r.action];
            const entity = AUDIT_ENTITIES.find(([code]) => code === r.entity);
            return (
              <tr key={r.id} data-testid="audit-row" data-action={r.action}>
                <td className="mono nowrap">{chinaTime(r.time)}</td>
                <td>
                  {r.username ?? '—'}
                  {r.userDistrict && <span className="secondary"> · {r.userDistrict}</span>}
                </td>
                <td>
                  {words ? words[0] : r.action} <code className="secondary">{r.action}</code>
                </td>
                <td className="nowrap">
                  {r.entity ? (
                    <>
                      {entity ? entity[1] : r.entity} {r.entityId && <span className="mono">#{r.entityId}</span>}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="audit-change">{changeSummary(r.before, r.after)}</td>
                <td className="mono">{r.ip ?? '—'}</td>
              </tr>
            );
          })}
          {rows.length === 0 && !busy && (
            <tr>
              <td colSpan={6} className="secondary">
                没有记录 · No rows
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="audit-more">
        {next && (
          <button type="button" className="btn" disabled={busy} onClick={() => void load(applied, next)} data-testid="audit-more">
            更多 · More
          </button>
        )}
        <span className="secondary">
          {rows.length} 条 · rows{busy ? ' · 加载中… Loading…' : ''}
        </span>
      </div>
    </>
  );
}
