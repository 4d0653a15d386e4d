'use client';
// Alerts of the period by type, as small bars (the total's, largest first), the word beside the colour.
import { typeName, type Figures } from './model';

const CRITICAL = new Set(['ROUTE_DEVIATION', 'SEAL_ALARM', 'WRONG_SITE', 'RENDEZVOUS', 'ZONE_ENTRY', 'GATE_MISMATCH', 'UNDECLARED_OUT', 'ZONE_UNAUTHORISED']);

export function AlertTypeBars({ total }: { total: Figures }) {
  const max = Math.max(1, ...total.alertsByType.map((a) => a.count));
  return (
    <section className="report-panel" aria-labelledby="report-by-type">
      <h2 id="report-by-type">
        告警类型 <span className="secondary">Alerts by type</span>
      </h2>
      {total.alertsByType.length === 0 && <p className="report-empty">本期无告警 · No alerts in this period</p>}
      <ul className="report-bars" data-testid="report-bars">
        {total.alertsByType.map((a) => {
          const name = typeName(a.type);
          return (
            <li key={a.type} data-type={a.type} className={CRITICAL.has(a.type) ? 'critical' : 'warning'}>
              <span className="report-bar-label">
                {name.zh} <span className="secondary">{name.en}</span>
              </span>
              <span className="report-bar-track">
                <i style={{ width: `${(a.count / max) * 100}%` }} />
              </span>
              <b className="num">{a.count}</b>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
