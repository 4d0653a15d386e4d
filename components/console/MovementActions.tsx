'use client';
// A supervisor's actions on an open movement, in one calm row under its facts: 编辑 Edit, 延长时限
// Extend (the deadline), 换车转运 Hand over, 结案 Close, 撤销 Cancel. Each opens a small dialog; the
// reason is required where the server requires it, and a refusal shows the server's words. The
// server decides role, jurisdiction and state again on every call; this only hides what others
// could not do.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { JourneyConsignment } from '../../lib/journey';
import { getJson } from '../getJson';
import { useLang } from '../I18nProvider';
import { csrfToken } from '../UserBox';
import './movementActions.css';

type Action = 'edit' | 'extend' | 'handover' | 'close' | 'cancel';
const OPEN = ['planned', 'in_transit', 'overdue', 'diverted'];

const BUTTONS: { action: Action; zh: string; en: string; danger?: boolean }[] = [
  { action: 'edit', zh: '编辑', en: 'Edit' },
  { action: 'extend', zh: '延长时限', en: 'Extend' },
  { action: 'handover', zh: '换车转运', en: 'Hand over' },
  { action: 'close', zh: '结案', en: 'Close' },
  { action: 'cancel', zh: '撤销', en: 'Cancel', danger: true },
];

/** Whether the signed-in user is a supervisor (GET /api/auth/me). */
function useIsSupervisor(): boolean {
  const [yes, setYes] = useState(false);
  useEffect(() => {
    getJson<{ user: { role: string } }>('/api/auth/me').then(
      (me) => setYes(me.user.role === 'supervisor'),
      () => setYes(false),
    );
  }, []);
  return yes;
}

/** Sends one action; null when done, else the server's reason. */
async function send(c: JourneyConsignment, action: Action, body: Record<string, unknown>): Promise<string | null> {
  const url = action === 'edit' ? `/api/consignments/${c.id}` : `/api/consignments/${c.id}/${action}`;
  try {
    const res = await fetch(url, {
      method: action === 'edit' ? 'PATCH' : 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify(body),
    });
    if (res.ok) return null;
    const answer = await res.json().catch(() => ({}));
    return typeof answer.error === 'string' ? answer.error : `HTTP ${res.status}`;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A time as a datetime-local value in the browser's zone. */
const localValue = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

export function MovementActions({ consignment: c, onChanged }: { consignment: JourneyConsignment; onChanged: () => void }) {
  const supervisor = useIsSupervisor();
  // The console speaks the page's language (the other one as a tooltip); the dialogs say both.
  const en = useLang().lang === 'en';
  const [open, setOpen] = useState<Action | null>(null);
  if (!supervisor || !OPEN.includes(c.status)) return null;
  return (
    <div className="cp-actions" data-testid="movement-actions">
      {BUTTONS.map((b) => (
        <button
          key={b.action}
          type="button"
          className={`btn${b.danger ? ' danger' : ''}`}
          title={en ? b.zh : b.en}
          onClick={() => setOpen(b.action)}
          data-testid={`action-${b.action}`}
        >
          {en ? b.en : b.zh}
        </button>
      ))}
      {open && (
        <ActionDialog
          consignment={c}
          action={open}
          onCancel={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            onChanged();
          }}
        />
      )}
    </div>
  );
}

function ActionDialog({ consignment: c, action, onCancel, onDone }: { consignment: JourneyConsignment; action: Action; onCancel: () => void; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [sealId, setSealId] = useState(c.sealId ?? '');
  const [goods, setGoods] = useState(c.goods ?? '');
  const [carrier, setCarrier] = useState(c.carrier ?? '');
  const [deadline, setDeadline] = useState(() => localValue(Math.max(Date.parse(c.deadline), Date.now()) + 2 * 3_600_000));
  const [asset, setAsset] = useState('');
  const [vehicles, setVehicles] = useState<{ key: string; label: string | null; plate: string | null }[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useEffect(() => {
    first.current?.focus();
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onCancel]);
  useEffect(() => {
    if (action !== 'handover') return;
    getJson<{ key: string; kind: string; label: string | null; plate: string | null }[]>('/api/assets').then(
      (list) => setVehicles(list.filter((a) => a.kind === c.asset.kind && a.key !== c.asset.key)),
      () => setVehicles([]),
    );
  }, [action, c.asset.kind, c.asset.key]);

  const reasonRequired = action !== 'edit';
  const title = BUTTONS.find((b) => b.action === action)!;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (reasonRequired && !reason.trim()) return setError('请填写原因 · A reason is required');
    const why = reason.trim() ? { reason: reason.trim() } : {};
    const body: Record<string, unknown> =
      action === 'edit'
        ? { sealId, goods, carrier, ...why }
        : action === 'extend'
          ? { deadline: new Date(deadline).toISOString(), ...why }
          : action === 'handover'
            ? { asset: asset.trim(), ...why }
            : why;
    setBusy(true);
    const refused = await send(c, action, body);
    setBusy(false);
    if (refused === null) onDone();
    else setError(`未完成 · Refused: ${refused}`);
  }

  let fields: ReactNode = null;
  if (action === 'edit')
    fields = (
      <>
        <Field zh="关锁号" en="Seal">
          <input ref={first} value={sealId} maxLength={32} onChange={(e) => setSealId(e.target.value)} data-testid="edit-seal" />
        </Field>
        <Field zh="货物" en="Goods">
          <input value={goods} maxLength={200} onChange={(e) => setGoods(e.target.value)} data-testid="edit-goods" />
        </Field>
        <Field zh="承运人" en="Carrier">
          <input value={carrier} maxLength={200} onChange={(e) => setCarrier(e.target.value)} data-testid="edit-carrier" />
        </Field>
      </>
    );
  else if (action === 'extend')
    fields = (
      <Field zh="新时限" en="New deadline">
        <input ref={first} type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} required data-testid="extend-deadline" />
      </Field>
    );
  else if (action === 'handover')
    fields = (
      <Field zh="接运车辆" en="Vehicle taking over">
        <input ref={first} list="handover-vehicles" value={asset} onChange={(e) => setAsset(e.target.value)} placeholder="tel:013912345678" required data-testid="handover-asset" />
        <datalist id="handover-vehicles">
          {vehicles.map((v) => (
            <option key={v.key} value={v.key}>
              {v.plate ?? v.label ?? v.key}
            </option>
          ))}
        </datalist>
      </Field>
    );

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onCancel();
      }}
    >
      <form className="dialog action-dialog" role="dialog" aria-modal="true" aria-labelledby="action-title" onSubmit={submit} data-testid={`dialog-${action}`}>
        <h2 id="action-title">
          {title.zh} <span className="secondary">{title.en}</span>
        </h2>
        <div className="dialog-sub">
          <span className="mono">{c.reference}</span> · {c.asset.plate ?? c.asset.label ?? c.asset.key}
          {action === 'extend' && (
            <>
              {' '}
              · 现时限 Now due <span className="mono">{new Date(c.deadline).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</span>
            </>
          )}
        </div>
        {fields}
        <label>
          <span>
            原因 <span className="secondary">Reason</span> {reasonRequired && <em aria-hidden>*</em>}
          </span>
          <textarea
            ref={action === 'close' || action === 'cancel' ? first : undefined}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setError(null);
            }}
            required={reasonRequired}
            maxLength={500}
            rows={2}
            data-testid="action-reason"
          />
        </label>
        {error && (
          <div className="form-error" role="alert" data-testid="action-error">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            取消 <span className="secondary">Back</span>
          </button>
          <button type="submit" className={`btn primary${action === 'cancel' ? ' danger' : ''}`} disabled={busy} data-testid="action-submit">
            确定 <span className="secondary">{title.en}</span>
          </button>
        </div>
      </form>
    </div>
  );
}

function Field({ zh, en, children }: { zh: string; en: string; children: ReactNode }) {
  return (
    <label>
      <span>
        {zh} <span className="secondary">{en}</span>
      </span>
      {children}
    </label>
  );
}
