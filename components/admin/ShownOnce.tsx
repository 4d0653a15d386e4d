'use client';
// A secret the server hands out once (a generated password, a kiosk link, a device secret): shown in
// an admin notice as selectable code with a copy button, until the supervisor says it is saved.
import { useState, type ReactNode } from 'react';
import './peopleAdmin.css';

export function ShownOnce({ title, value, children, onDone }: { title: string; value: string; children?: ReactNode; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard (plain http): the code stays selectable
    }
  };
  return (
    <section className="admin-notice shown-once" aria-live="polite" data-testid="shown-once">
      <b>{title}</b>
      <code className="shown-once-value" data-testid="shown-once-value">
        {value}
      </code>
      {children && <span className="secondary">{children}</span>}
      <div className="row-actions">
        <button className="btn" type="button" onClick={copy}>
          {copied ? '已复制 · Copied' : '复制 · Copy'}
        </button>
        <button className="btn" type="button" onClick={onDone}>
          已保存 · Saved
        </button>
      </div>
    </section>
  );
}
