'use client';
// The alert feed (/alerts): newest first and live, filtered through GET /api/alerts with
// paging, acknowledged and resolved in place, exported as CSV.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ConnectionBadge } from '../ConnectionBadge';
import { getJson } from '../getJson';
import { useLang } from '../I18nProvider';
import { TopBar } from '../TopBar';
import { csrfToken } from '../UserBox';
import { useAlertSocket } from '../useAlertSocket';
import { useBrowserLocale } from '../useBrowserLocale';
import { AlertRow } from './AlertRow';
import { ResolveDialog } from './ResolveDialog';
import { formatTime } from '../../lib/format';
import { ALERT_TYPES, NO_FILTERS, cstToMs, SEVERITIES, STATES, matches, newestFirst, queryOf, toCsv, type Alert, type Filters } from './model';

const PAGE = 50;
const EXPORT_PAGE = 1000;
const EXPORT_MAX = 20_000;
const FRESH_MS = 8000;

export function AlertFeed() {
  const { t } = useLang();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // The date-time pickers write dates as the reader does (the browser's locale), not in the page language.
  const dateLocale = useBrowserLocale();
  const [items, setItems] = useState<Alert[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [fresh, setFresh] = useState<Map<number, number>>(new Map());
  const [busyId, setBusyId] = useState<number | null>(null);
  const [resolving, setResolving] = useState<Alert | null>(null);
  const [canAct, setCanAct] = useState(false);
  const [exporting, setExporting] = useState(false);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const request = useRef(0);

  useEffect(() => {
    getJson<{ user: { role: string } }>('/api/auth/me').then(
      (me) => setCanAct(me.user.role === 'officer' || me.user.role === 'supervisor'),
      () => setCanAct(false),
    );
    const tick = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(tick);
  }, []);

  const load = useCallback(async (f: Filters, offset: number) => {
    const id = ++request.current;
    setLoading(true);
    setError(null);
    try {
      const page = await getJson<{ total: number; items: Alert[] }>(`/api/alerts?${queryOf(f, PAGE, offset)}`);
      if (id !== request.current) return;
      setTotal(page.total);
      setItems((prev) => {
        const base = offset === 0 ? [] : prev;
        const seen = new Set(base.map((a) => a.id));
        return [...base, ...page.items.filter((a) => !seen.has(a.id))].sort(newestFirst);
      });
    } catch (err) {
      if (id === request.current) setError((err as Error).message);
    } finally {
      if (id === request.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(filters, 0);
  }, [filters, load]);

  const upsert = useCallback((a: Alert, isNew: boolean) => {
    if (itemsRef.current.some((x) => x.id === a.id)) {
      setItems((prev) => prev.map((x) => (x.id === a.id ? a : x)));
      return;
    }
    if (!isNew || !matches(a, filtersRef.current)) return;
    itemsRef.current = [a, ...itemsRef.current];
    setItems((prev) => (prev.some((x) => x.id === a.id) ? prev : [a, ...prev].sort(newestFirst)));
    setTotal((n) => n + 1);
    setFresh((m) => new Map(m).set(a.id, Date.now()));
  }, []);
  const state = useAlertSocket(
    (a) => upsert(a, true),
    (a) => upsert(a, false),
  );

  // The highlight of a just-arrived alert fades after a few seconds.
  useEffect(() => {
    if (fresh.size === 0) return;
    const t = setTimeout(() => setFresh((m) => new Map([...m].filter(([, at]) => Date.now() - at < FRESH_MS))), 1000);
    return () => clearTimeout(t);
  }, [fresh, now]);

  async function act(a: Alert, action: 'ack' | 'resolve', note?: string): Promise<string | null> {
    setBusyId(a.id);
    try {
      const res = await fetch(`/api/alerts/${a.id}/${action}`, {
        method: 'POST',
        headers: { 'x-csrf-token': csrfToken(), ...(note !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: note !== undefined ? JSON.stringify({ note }) : undefined,
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) return t('alerts.actionFailed', { error: body.error ?? `HTTP ${res.status}` });
      upsert(body as Alert, false);
      return null;
    } catch (err) {
      return t('alerts.actionFailed', { error: (err as Error).message });
    } finally {
      setBusyId(null);
    }
  }

  async function exportCsv() {
    setExporting(true);
    try {
      const all: Alert[] = [];
      for (let offset = 0; offset < EXPORT_MAX; offset += EXPORT_PAGE) {
        const page = await getJson<{ total: number; items: Alert[] }>(`/api/alerts?${queryOf(filters, EXPORT_PAGE, offset)}`);
        all.push(...page.items);
        if (page.items.length < EXPORT_PAGE || all.length >= page.total) break;
      }
      const url = URL.createObjectURL(new Blob([toCsv(all, t)], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16).replace(/[-:T]/g, '');
      link.href = url;
      link.download = `alerts-${stamp}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setExporting(false);
    }
  }

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const [district, setDistrict] = useState('');
  const districtOk = district === '' || /^[0-9]{4}$/.test(district);
  const districts = [...new Set(items.flatMap((a) => a.districts ?? []))].sort();
  const dirty = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS) || district !== '';

  return (
    <main className="alerts-page">
      <TopBar>
        <ConnectionBadge state={state} />
      </TopBar>
      <div className="alerts-body">
        <form className="alert-filters" aria-label={t('alerts.filters')} onSubmit={(e) => e.preventDefault()}>
          <label>
            <span>{t('alerts.type')}</span>
            <select value={filters.type} onChange={(e) => set('type', e.target.value as Filters['type'])} data-testid="filter-type">
              <option value="">{t('alerts.all')}</option>
              {ALERT_TYPES.map((x) => (
                <option key={x} value={x}>
                  {t(`alertType.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('alerts.severity')}</span>
            <select value={filters.severity} onChange={(e) => set('severity', e.target.value as Filters['severity'])} data-testid="filter-severity">
              <option value="">{t('alerts.all')}</option>
              {SEVERITIES.map((x) => (
                <option key={x} value={x}>
                  {t(`severity.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('alerts.state')}</span>
            <select value={filters.state} onChange={(e) => set('state', e.target.value as Filters['state'])} data-testid="filter-state">
              <option value="">{t('alerts.all')}</option>
              {STATES.map((x) => (
                <option key={x} value={x}>
                  {t(`alertState.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('alerts.district')}</span>
            <input
              value={district}
              inputMode="numeric"
              maxLength={4}
              placeholder={t('alerts.districtPlaceholder')}
              list="alert-districts"
              aria-invalid={!districtOk}
              onChange={(e) => {
                const v = e.target.value.trim();
                setDistrict(v);
                if (v === '' || /^[0-9]{4}$/.test(v)) set('district', v);
              }}
              data-testid="filter-district"
            />
            <datalist id="alert-districts">
              {districts.map((d) => (
                <option key={d} value={d} />
              ))}
            </datalist>
          </label>
          <label>
            <span>{t('alerts.since')}</span>
            <input type="datetime-local" lang={dateLocale} value={filters.since} onChange={(e) => set('since', e.target.value)} data-testid="filter-since" />
            <FilterTime value={filters.since} testId="filter-since-readout" />
          </label>
          <label>
            <span>{t('alerts.until')}</span>
            <input type="datetime-local" lang={dateLocale} value={filters.until} onChange={(e) => set('until', e.target.value)} data-testid="filter-until" />
            <FilterTime value={filters.until} testId="filter-until-readout" />
          </label>
          <div className="filter-actions">
            <button
              type="button"
              className="btn"
              disabled={!dirty}
              onClick={() => {
                setDistrict('');
                setFilters(NO_FILTERS);
              }}
            >
              {t('alerts.reset')}
            </button>
            <button type="button" className="btn" disabled={exporting} onClick={exportCsv} data-testid="export-csv">
              {exporting ? t('alerts.exporting') : t('alerts.export')}
            </button>
          </div>
        </form>

        <div className="alert-summary" aria-live="polite">
          <span data-testid="alerts-total">{t('alerts.total', { total })}</span>
          <span className="secondary">{t('alerts.shown', { shown: items.length })}</span>
          <span className="secondary">{t('alerts.timeZone')}</span>
        </div>

        {error && (
          <div className="form-error" role="alert">
            {t('alerts.loadFailed', { error })}
          </div>
        )}
        <ol className="alert-list" data-testid="alert-list" aria-label={t('alerts.title')}>
          {items.map((a) => (
            <AlertRow
              key={a.id}
              alert={a}
              now={now}
              canAct={canAct}
              fresh={fresh.has(a.id)}
              busy={busyId === a.id}
              onAck={() => {
                void act(a, 'ack').then((e) => e && setError(e));
              }}
              onResolve={() => setResolving(a)}
            />
          ))}
        </ol>
        {!loading && items.length === 0 && !error && <div className="alert-empty">{t('alerts.empty')}</div>}
        <div className="alert-more">
          {loading ? (
            <span className="secondary">{t('alerts.loading')}</span>
          ) : (
            items.length < total && (
              <button type="button" className="btn" onClick={() => void load(filters, items.length)} data-testid="load-more">
                {t('alerts.loadMore')}
              </button>
            )
          )}
        </div>
      </div>
      {resolving && (
        <ResolveDialog
          alert={resolving}
          onCancel={() => setResolving(null)}
          onSubmit={async (note) => {
            const e = await act(resolving, 'resolve', note);
            if (!e) setResolving(null);
            return e;
          }}
        />
      )}
    </main>
  );
}

/**
 * The chosen time written as the reader writes dates (the browser's locale), on a 24 h clock, in
 * China Standard Time: a picker draws its own value as its engine likes (some by the page language,
 * some with AM/PM), and this says what the filter will ask for.
 */
function FilterTime({ value, testId }: { value: string; testId: string }) {
  const ms = cstToMs(value);
  if (!(ms > 0)) return null;
  return (
    <output className="mono secondary" data-testid={testId}>
      {formatTime(ms)}
    </output>
  );
}
