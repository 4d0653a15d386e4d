'use client';
// Day or month, which one, by district or route; downloads and print.
import { reportUrl, todayCst, type ReportChoice } from './model';

export function ReportControls({ choice, onChange }: { choice: ReportChoice; onChange: (c: ReportChoice) => void }) {
  return (
    <form className="report-controls" aria-label="报表条件 · Report options" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="report-toggle">
        <legend>周期 · Period</legend>
        {(['day', 'month'] as const).map((p) => (
          <label key={p} className={choice.period === p ? 'on' : ''}>
            <input
              type="radio"
              name="period"
              value={p}
              checked={choice.period === p}
              onChange={() => onChange({ ...choice, period: p, date: p === 'month' ? choice.date.slice(0, 7) : todayCst('day') })}
              data-testid={`report-period-${p}`}
            />
            {p === 'day' ? '日报 · Daily' : '月报 · Monthly'}
          </label>
        ))}
      </fieldset>
      <label className="report-date">
        <span>{choice.period === 'day' ? '日期 · Day' : '月份 · Month'}</span>
        <input
          type={choice.period === 'day' ? 'date' : 'month'}
          value={choice.date}
          required
          onChange={(e) => e.target.value && onChange({ ...choice, date: e.target.value })}
          data-testid="report-date"
        />
      </label>
      <fieldset className="report-toggle">
        <legend>分组 · Rows</legend>
        {(['district', 'route'] as const).map((b) => (
          <label key={b} className={choice.by === b ? 'on' : ''}>
            <input type="radio" name="by" value={b} checked={choice.by === b} onChange={() => onChange({ ...choice, by: b })} data-testid={`report-by-${b}`} />
            {b === 'district' ? '按关区 · By district' : '按路线 · By route'}
          </label>
        ))}
      </fieldset>
      <div className="report-actions">
        <a className="btn" href={reportUrl(choice, 'csv')} download data-testid="report-csv">
          下载 CSV · Download CSV
        </a>
        <a className="btn" href={reportUrl(choice, 'xlsx')} download data-testid="report-xlsx">
          下载 XLSX · Download XLSX
        </a>
        <button type="button" className="btn primary" onClick={() => window.print()} data-testid="report-print">
          打印 · Print
        </button>
      </div>
    </form>
  );
}
