'use client';
// 查验任务: the inspection tasks of the officer's sites (GET /api/inspections), grouped by the
// inspecting site: which movement, which truck, why it was flagged, when, and when it arrived. A
// task whose movement arrived long ago without a result is drawn in the warning colour and says so
// in words. Clicking a task opens its movement in the console. Asked again every few seconds while
// shown, so a result message takes the task off the open list without a reload.
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatShortTime } from '../../lib/format';
import { INSPECTION_OVERDUE_MINUTES, groupTasks, isOverdue, type InspectionTask } from '../../lib/inspectionTasks';
import { SeverityIcon } from '../alerts/SeverityIcon';
import { getJson } from '../getJson';
import { useFormat, useLang } from '../I18nProvider';
import { useSummaryWords } from './SummaryList';

const REFRESH_MS = 5000;
const STATES = ['open', 'done', 'all'] as const;
type TaskState = (typeof STATES)[number];

interface SiteOption {
  code: string;
  nameZh: string;
  nameEn: string;
}

function TaskItem({ task, now, onOpen }: { task: InspectionTask; now: number; onOpen: () => void }) {
  const { t } = useLang();
  const f = useFormat();
  const words = useSummaryWords();
  const overdue = isOverdue(task, now);
  const flagged = Date.parse(task.flaggedAt);
  const arrived = task.arrivedAt ? Date.parse(task.arrivedAt) : null;
  return (
    <li>
      <button
        type="button"
        className={`task${overdue ? ' overdue' : ''}${task.result ? ' done' : ''}`}
        onClick={onOpen}
        data-testid="inspection-task"
        data-reference={task.reference}
        data-overdue={overdue}
      >
        <div className="task-head">
          {overdue && <SeverityIcon severity="warning" />}
          <span className="mono task-ref">{task.reference}</span>
          <span className="mono task-plate">{task.plate ?? '—'}</span>
        </div>
        <div className="task-reason">{task.reason}</div>
        <dl className="task-times">
          <div>
            <dt>{t('insp.flaggedAt')}</dt>
            <dd>
              <span className="mono">{formatShortTime(flagged)}</span> <span className="secondary">{f.age(Math.max(0, now - flagged))}</span>
            </dd>
          </div>
          <div>
            <dt>{t('insp.arrivedAt')}</dt>
            <dd data-testid="task-arrived">
              {arrived === null ? (
                <span className="secondary">{t('insp.notArrived')}</span>
              ) : (
                <>
                  <span className="mono">{formatShortTime(arrived)}</span> <span className="secondary">{f.age(Math.max(0, now - arrived))}</span>
                </>
              )}
            </dd>
          </div>
          {task.result && (
            <div>
              <dt>{t('insp.result')}</dt>
              <dd data-testid="task-result">
                {words.value('result', task.result)}
                {task.newSeal ? ` · ${task.newSeal}` : ''}
              </dd>
            </div>
          )}
        </dl>
        {overdue && <div className="task-overdue">{t('insp.overdue', { m: INSPECTION_OVERDUE_MINUTES })}</div>}
      </button>
    </li>
  );
}

export function InspectionTasks({ onOpen, now }: { onOpen: (consignmentId: number) => void; now: number }) {
  const { t, tOther, lang } = useLang();
  const [sites, setSites] = useState<SiteOption[]>([]);
  const [site, setSite] = useState('');
  const [state, setState] = useState<TaskState>('open');
  const [tasks, setTasks] = useState<InspectionTask[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);

  useEffect(() => {
    getJson<{ features: { properties: SiteOption }[] }>('/api/sites').then(
      (fc) => setSites(fc.features.map((x) => x.properties).sort((a, b) => a.code.localeCompare(b.code))),
      () => setSites([]), // the list still works for all sites
    );
  }, []);

  const load = useCallback(() => {
    const n = ++asked.current;
    const q = new URLSearchParams({ state });
    if (site) q.set('site', site);
    getJson<{ tasks: InspectionTask[] }>(`/api/inspections?${q}`).then(
      (r) => {
        if (n !== asked.current) return; // overtaken by a newer question
        setTasks(r.tasks);
        setError(null);
      },
      (e: Error) => n === asked.current && setError(e.message),
    );
  }, [site, state]);

  useEffect(() => {
    setTasks(null);
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const groups = groupTasks(tasks ?? [], now);
  const overdue = (tasks ?? []).filter((x) => isOverdue(x, now)).length;

  return (
    <section className="insp-tasks" aria-label={t('insp.title')} data-testid="inspection-tasks">
      <h3>
        <span>
          {t('insp.title')} <span className="other-lang">{tOther('insp.title')}</span>
        </span>
        {tasks && (
          <span data-testid="inspection-count">
            {t('insp.count', { count: tasks.length })}
            {overdue > 0 && <span className="task-overdue-count"> · {t('insp.overdueCount', { count: overdue })}</span>}
          </span>
        )}
      </h3>
      <div className="insp-filters">
        <select aria-label={t('insp.site')} value={site} onChange={(e) => setSite(e.target.value)} data-testid="inspection-site">
          <option value="">{t('insp.allSites')}</option>
          {sites.map((s) => (
            <option key={s.code} value={s.code}>
              {lang === 'en' ? s.nameEn : s.nameZh} · {s.code}
            </option>
          ))}
        </select>
        <div className="seg" role="group" aria-label={t('insp.state')}>
          {STATES.map((s) => (
            <button key={s} type="button" aria-pressed={state === s} className={state === s ? 'on' : ''} onClick={() => setState(s)} data-testid={`inspection-state-${s}`}>
              {t(`insp.${s}`)}
            </button>
          ))}
        </div>
      </div>
      {!tasks && !error && <p className="secondary small">{t('insp.loading')}</p>}
      {error && (
        <p className="console-error small" role="alert">
          {t('insp.loadFailed', { error })}
        </p>
      )}
      {tasks && tasks.length === 0 && <p className="console-empty">{t(state === 'done' ? 'insp.emptyDone' : 'insp.empty')}</p>}
      {groups.map(({ site: code, ...g }) => (
        <div key={code} className="task-group" data-testid="inspection-site-group" data-site={code}>
          <div className="doc-group-head">
            <span className="doc-sys">{g.name}</span>
            <span className="other-lang mono">
              {code} · {g.tasks.length}
            </span>
          </div>
          <ul className="task-list">
            {g.tasks.map((task) => (
              <TaskItem key={task.id} task={task} now={now} onOpen={() => onOpen(task.consignmentId)} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
