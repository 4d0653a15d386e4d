'use client';
// One link message whole (GET /api/links/messages/{id}): who sent it, how and when, what it did,
// and its raw XML or JSON. The raw text came from outside: it is shown as text in a <pre>, never
// parsed into the page as markup.
import { useEffect, useRef, useState } from 'react';
import type { LinkMessage } from '../../lib/linkDocuments';
import { formatTime } from '../../lib/format';
import { getJson } from '../getJson';
import { useLang } from '../I18nProvider';
import { SummaryList } from './SummaryList';
import { systemName } from './systemName';

/** JSON laid out for reading; XML (and JSON that does not parse) exactly as received. */
function readable(m: LinkMessage): string {
  if (m.format !== 'json') return m.raw;
  try {
    return JSON.stringify(JSON.parse(m.raw), null, 2);
  } catch {
    return m.raw;
  }
}

export function RawMessageDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const { t, tOther } = useLang();
  const [message, setMessage] = useState<LinkMessage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    setMessage(null);
    setError(null);
    getJson<LinkMessage>(`/api/links/messages/${id}`).then(
      (m) => live && setMessage(m),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [id]);

  useEffect(() => {
    closeButton.current?.focus();
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);

  const m = message;
  return (
    <div
      className="drawer-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <aside className="drawer" role="dialog" aria-modal="true" aria-labelledby="raw-title" data-testid="raw-drawer">
        <header className="drawer-head">
          <div>
            <h2 id="raw-title">{t('docs.rawTitle', { type: m?.messageType ?? '…' })}</h2>
            {m && (
              <div className="drawer-sub">
                {systemName(t, m.system)} <span className="secondary">{systemName(tOther, m.system)}</span>
              </div>
            )}
          </div>
          <button ref={closeButton} type="button" className="btn" onClick={onClose} data-testid="raw-close">
            {t('docs.close')}
          </button>
        </header>
        {!m && !error && <p className="secondary">{t('docs.rawLoading')}</p>}
        {error && (
          <p className="console-error" role="alert">
            {t('docs.rawFailed', { error })}
          </p>
        )}
        {m && (
          <div className="drawer-body">
            <dl className="facts raw-facts">
              <div className="fact">
                <dt>{t('docs.messageId')}</dt>
                <dd className="mono">{m.messageId}</dd>
              </div>
              <div className="fact">
                <dt>{t('docs.format')}</dt>
                <dd>
                  {m.format.toUpperCase()} · {m.via}
                </dd>
              </div>
              <div className="fact">
                <dt>{t('docs.source')}</dt>
                <dd className="mono">{m.source}</dd>
              </div>
              <div className="fact">
                <dt>{t('docs.district')}</dt>
                <dd className="mono">{m.district}</dd>
              </div>
              {m.sentAt !== null && (
                <div className="fact">
                  <dt>{t('docs.sentAt')}</dt>
                  <dd className="mono">{formatTime(m.sentAt)}</dd>
                </div>
              )}
              <div className="fact">
                <dt>{t('docs.receivedAt')}</dt>
                <dd className="mono">{formatTime(m.receivedAt)}</dd>
              </div>
            </dl>
            {Object.keys(m.summary).length > 0 && (
              <>
                <h3>{t('docs.summary')}</h3>
                <SummaryList doc={m} />
              </>
            )}
            <h3>{t('docs.raw')}</h3>
            <pre className="raw-text" data-testid="raw-text" tabIndex={0}>
              {readable(m)}
            </pre>
          </div>
        )}
      </aside>
    </div>
  );
}
