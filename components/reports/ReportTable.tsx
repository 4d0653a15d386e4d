'use client';
// The figures per district or route, the total last.
import { duration, percent, type Figures, type Report } from './model';

function Cells({ f }: { f: Figures }) {
  return (
    <>
      <td className="num">{f.movements}</td>
      <td className="num">{f.arrived}</td>
      <td className="num">{f.onTime}</td>
      <td className="num">{percent(f.onTimeRate)}</td>
      <td className="num">{duration(f.meanTransitS)}</td>
      <td className="num">{f.alerts}</td>
    </>
  );
}

export function ReportTable({ report }: { report: Report }) {
  const what = report.by === 'district' ? '关区 · District' : '路线 · Route';
  return (
    <table className="report-table" data-testid="report-table">
      <thead>
        <tr>
          <th>{what}</th>
          <th className="num">运输数 · Movements</th>
          <th className="num">已到达 · Arrived</th>
          <th className="num">准时 · On time</th>
          <th className="num">准时率 · On-time rate</th>
          <th className="num">平均运输时长 · Mean transit (h:mm)</th>
          <th className="num">告警 · Alerts</th>
        </tr>
      </thead>
      <tbody>
        {report.rows.length === 0 && (
          <tr>
            <td colSpan={7} className="report-empty">
              本期无数据 · Nothing in this period
            </td>
          </tr>
        )}
        {report.rows.map((r) => (
          <tr key={r.key} data-key={r.key}>
            <th scope="row">
              {r.key && <span className="mono report-code">{r.key}</span>} {r.nameZh} <span className="secondary">{r.nameEn}</span>
            </th>
            <Cells f={r} />
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr data-key="total" data-testid="report-total">
          <th scope="row">
            合计 <span className="secondary">Total</span>
          </th>
          <Cells f={report.total} />
        </tr>
      </tfoot>
    </table>
  );
}
