'use client';
// The busiest deviation cells as numbers: what the heat map shows, readable on paper too.
import type { Report } from './model';

export function SpotList({ report }: { report: Report }) {
  const km = Math.round(report.cellDeg * 111);
  return (
    <table className="report-table report-spots" data-testid="report-spots">
      <caption>
        偏离热点{' '}
        <span className="secondary">
          Top deviation spots (cells of {report.cellDeg}°, about {km} km)
        </span>
      </caption>
      <thead>
        <tr>
          <th className="num">#</th>
          <th>位置 · Centre</th>
          <th className="num">次数 · Count</th>
        </tr>
      </thead>
      <tbody>
        {report.spots.length === 0 && (
          <tr>
            <td colSpan={3} className="report-empty">
              本期无偏离 · No deviations in this period
            </td>
          </tr>
        )}
        {report.spots.map((s, i) => (
          <tr key={`${s.lon},${s.lat}`}>
            <td className="num">{i + 1}</td>
            <td className="mono">
              {s.lon.toFixed(2)}°E {s.lat.toFixed(2)}°N
            </td>
            <td className="num">{s.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
