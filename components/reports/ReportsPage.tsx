'use client';
// /reports: daily and monthly figures per district or route within the user's jurisdiction
// (GET /api/reports), alerts by type, the deviation heat map, downloads (CSV, XLSX) and a print
// view (reports.css, @media print). The choice lives in the address, so a report can be linked.
import { useEffect, useState } from 'react';
import dynamic from 'next/dynamic';
import { TopBar } from '../TopBar';
import { getJson } from '../getJson';
import { AlertTypeBars } from './AlertTypeBars';
import { ReportControls } from './ReportControls';
import { ReportTable } from './ReportTable';
import { SpotList } from './SpotList';
import { reportUrl, todayCst, type Report, type ReportChoice } from './model';
import './reports.css';

const DeviationMap = dynamic(() => import('./DeviationMap'), { ssr: false });

function initialChoice(): ReportChoice {
  const q = new URLSearchParams(typeof location === 'undefined' ? '' : location.search);
  const period = q.get('period') === 'month' ? 'month' : 'day';
  const date = q.get('date') ?? '';
  const ok = period === 'day' ? /^\d{4}-\d{2}-\d{2}$/.test(date) : /^\d{4}-\d{2}$/.test(date);
  return { period, date: ok ? date : todayCst(period), by: q.get('by') === 'route' ? 'route' : 'district' };
}

const cstText = (iso: string) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(new Date(iso));

export default function ReportsPage() {
  const [choice, setChoice] = useState<ReportChoice | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setChoice(initialChoice()), []);
  useEffect(() => {
    if (!choice) return;
    history.replaceState(null, '', `/reports?${new URLSearchParams({ period: choice.period, date: choice.date, by: choice.by })}`);
    let live = true;
    setError(null);
    getJson<Report>(reportUrl(choice))
      .then((r) => live && setReport(r))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [choice]);

  const shown = report && choice && report.date === choice.date && report.period === choice.period && report.by === choice.by ? report : null;
  return (
    <main className="reports-page">
      <TopBar />
      <div className="reports-body">
        <header className="report-head">
          <h1>
            统计报表 <span className="secondary">Reports</span>
          </h1>
          {report && (
            <p className="report-period" data-testid="report-period">
              {report.period === 'day' ? '日报 · Daily' : '月报 · Monthly'} {report.date} · {report.by === 'district' ? '按关区 · by district' : '按路线 · by route'} ·{' '}
              <span className="secondary">
                {cstText(report.from)} – {cstText(report.to)} 中国标准时间 · China Standard Time
              </span>
            </p>
          )}
        </header>
        {choice && <ReportControls choice={choice} onChange={setChoice} />}
        {error && (
          <div className="form-error" role="alert">
            报表加载失败 · The report did not load: {error}
          </div>
        )}
        {report && (
          <div className={`report-content${shown ? '' : ' loading'}`} aria-busy={!shown}>
            <ReportTable report={report} />
            <p className="report-note secondary">
              运输按出发时间计入本期；准时率 = 截止前到达 / 已到达；告警按发生时间计入，不含提示类事件（已到达）。 · Movements count in the period they departed in; on-time rate =
              arrived by the deadline / arrived; alerts count in the period they were raised, information events (arrived) left out.
              {report.by === 'district' &&
                ' 一票运输计入其经过的每个关区，各行之和可大于合计。 · A movement counts in every district it touches, so rows may add up to more than the total.'}
            </p>
            <div className="report-grid">
              <AlertTypeBars total={report.total} />
              <section className="report-panel report-heat" aria-labelledby="report-heat">
                <h2 id="report-heat">
                  偏离热点 <span className="secondary">Route deviation heat map</span>
                </h2>
                <DeviationMap spots={report.spots} cellDeg={report.cellDeg} />
                <SpotList report={report} />
              </section>
            </div>
          </div>
        )}
      </div>
    </main>
  );
}
