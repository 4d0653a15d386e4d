'use client';
// 处置: resolving needs a note; the dialog will not submit without one.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLang } from '../I18nProvider';
import type { Alert } from './model';

export function ResolveDialog({ alert, onCancel, onSubmit }: { alert: Alert; onCancel: () => void; onSubmit: (note: string) => Promise<string | null> }) {
  const { t } = useLang();
  const [note, setNote] = useState('');
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
  const empty = note.trim().length === 0;
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (empty) {
      setError(t('alerts.noteRequired'));
      return;
    }
    setBusy(true);
    setError(await onSubmit(note.trim()));
    setBusy(false);
  }
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onCancel();
      }}
    >
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="resolve-title" onSubmit={submit} data-testid="resolve-dialog">
        <h2 id="resolve-title">{t('alerts.resolveTitle', { id: alert.id })}</h2>
        <div className="dialog-sub">
          {t(`alertType.${alert.type}`)} · {alert.assetLabel ?? t('alerts.noAsset')}
          {alert.consignmentRef ? ` · ${alert.consignmentRef}` : ''}
        </div>
        <label>
          <span>
            {t('alerts.note')} <em aria-hidden>*</em>
          </span>
          <textarea
            ref={area}
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
              setError(null);
            }}
            required
            maxLength={2000}
            rows={4}
            placeholder={t('alerts.notePlaceholder')}
            data-testid="resolve-note"
          />
        </label>
        {error && (
          <div className="form-error" role="alert">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('alerts.cancel')}
          </button>
          <button type="submit" className="btn primary" disabled={empty || busy} data-testid="resolve-submit">
            {t('alerts.submitResolve')}
          </button>
        </div>
      </form>
    </div>
  );
}
