'use client';
// The console's one search box: results as you type from GET /api/search (server-side, indexed),
// arrow keys and Enter to pick, Escape to close.
import { useEffect, useRef, useState } from 'react';
import { useLang } from '../I18nProvider';
import type { SearchHit } from '../../lib/search';
import { getJson } from '../getJson';

const DEBOUNCE_MS = 150;

export function SearchBox({ onPick }: { onPick: (hit: SearchHit) => void }) {
  const { t } = useLang();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [state, setState] = useState<'idle' | 'busy' | 'done' | 'error'>('idle');
  const [error, setError] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const request = useRef(0);

  useEffect(() => {
    const text = q.trim();
    if (text.length < 2) {
      setHits([]);
      setState('idle');
      return;
    }
    const id = ++request.current;
    setState('busy');
    const timer = setTimeout(() => {
      getJson<{ items: SearchHit[] }>(`/api/search?q=${encodeURIComponent(text)}&limit=12`).then(
        (r) => {
          if (id === request.current) {
            setHits(r.items);
            setActive(0);
            setState('done');
          }
        },
        (e: Error) => {
          if (id === request.current) {
            setError(e.message);
            setState('error');
          }
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const pick = (hit: SearchHit | undefined) => {
    if (!hit) return;
    onPick(hit);
    setOpen(false);
    setQ('');
  };

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(hits[active]);
    } else if (e.key === 'Escape') setOpen(false);
  };

  const text = q.trim();
  return (
    <div className="search" role="combobox" aria-expanded={open && text.length > 0} aria-haspopup="listbox">
      <input
        type="search"
        className="search-input"
        data-testid="search-input"
        aria-label={t('console.search')}
        placeholder={t('console.searchPlaceholder')}
        value={q}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKey}
      />
      {open && text.length > 0 && (
        <ul className="search-results" role="listbox" data-testid="search-results">
          {text.length < 2 && <li className="search-note">{t('console.typeMore')}</li>}
          {state === 'busy' && hits.length === 0 && <li className="search-note">{t('console.searching')}</li>}
          {state === 'error' && <li className="search-note error">{t('console.loadFailed', { error })}</li>}
          {state === 'done' && hits.length === 0 && <li className="search-note">{t('console.noHits', { q: text })}</li>}
          {hits.map((h, i) => (
            <li
              key={`${h.kind}:${h.id}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'on' : ''}
              data-testid="search-hit"
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <div className="hit-title">
                <span className="mono">{h.title}</span>
                {h.status && <span className={`status-chip cs-${h.status}`}>{t(`consignmentStatus.${h.status}` as 'consignmentStatus.in_transit')}</span>}
                {h.kind === 'asset' && <span className="status-chip">{t(`kind.${h.assetKind}`)}</span>}
              </div>
              <div className="hit-sub secondary">
                {h.kind === 'asset' ? `${t('console.hitAsset')} · ` : ''}
                {h.subtitle}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
