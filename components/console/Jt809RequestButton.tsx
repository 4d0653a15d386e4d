'use client';
// 向运输平台调取位置: an officer asks the JT/T 809 lower platform that carries this vehicle for its
// positions for 30 minutes. POST /api/assets/{id}/jt809-request {minutes}; the server picks the
// platform, audits and answers; a refusal (e.g. no platform connected) is shown in its words.
import { useState } from 'react';
import { useLang } from '../I18nProvider';
import { csrfToken } from '../UserBox';

const MINUTES = 30;

export function Jt809RequestButton({ assetId }: { assetId: number }) {
  const { t } = useLang();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  async function ask() {
    setBusy(true);
    setSaid(null);
    try {
      const res = await fetch(`/api/assets/${assetId}/jt809-request`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
        body: JSON.stringify({ minutes: MINUTES }),
      });
      const body = await res.json().catch(() => ({}));
      setSaid(res.ok ? t('console.jt809Sent', { name: body.platform?.name ?? '', m: MINUTES }) : typeof body.error === 'string' ? body.error : `HTTP ${res.status}`);
    } catch (err) {
      setSaid((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="jt809-request">
      <button type="button" className="btn" disabled={busy} onClick={ask} data-testid="jt809-request">
        {t('console.jt809Request')}
      </button>
      {said && (
        <span className="secondary small" data-testid="jt809-request-result">
          {said}
        </span>
      )}
    </span>
  );
}
