'use client';
// 布控查验: an officer flags a movement for inspection, with a reason (required; the server audits
// it). POST /api/consignments/{id}/inspection {reason}; a refusal is shown with the server's words.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLang } from '../I18nProvider';
import { csrfToken } from '../UserBox';

/** Sends the flag; null when done, else the reason it was refused. */
export async function flagForInspection(consignmentId: number, reason: string): Promise<string | null> {
  try {
    const res = await fetch(`/api/consignments/${consignmentId}/inspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify({ reason }),
    });
    if (res.ok) return null;
    const body = await res.json().catch(() => ({}));
    return typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
  } catch (err) {
    return (err as Error).message;
  }
}

export function FlagInspectionDialog({ reference, onCancel, onSubmit }: { reference: string; onCancel: () => void; onSubmit: (reason: string) => Promise<string | null> }) {
  const { t } = useLang();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    area.current?.focus();
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onCancel]);
  const empty = reason.trim().length === 0;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (empty) {
      setError(t('docs.reasonRequired'));
      return;
    }
    setBusy(true);
    const refused = await onSubmit(reason.trim());
    setBusy(false);
    if (refused !== null) setError(t('docs.flagFailed', { error: refused }));
  }
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onCancel();
      }}
    >
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="flag-title" onSubmit={submit} data-testid="flag-dialog">
        <h2 id="flag-title">{t('docs.flagTitle', { reference })}</h2>
        <div className="dialog-sub">{t('docs.flagHint')}</div>
        <label>
          <span>
            {t('docs.reason')} <em aria-hidden>*</em>
          </span>
          <textarea
            ref={area}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setError(null);
            }}
            required
            maxLength={500}
            rows={3}
            placeholder={t('docs.reasonPlaceholder')}
            data-testid="flag-reason"
          />
        </label>
        {error && (
          <div className="form-error" role="alert" data-testid="flag-error">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('docs.cancel')}
          </button>
          <button type="submit" className="btn primary" disabled={empty || busy} data-testid="flag-submit">
            {t('docs.submitFlag')}
          </button>
        </div>
      </form>
    </div>
  );
}
