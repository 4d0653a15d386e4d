'use client';
// Alerts per hour over the last 24 h as bars, drawn by uPlot (a small canvas chart library that
// works offline). One chart for the life of the wall: new figures go in with setData.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { CSS } from '../../lib/palette';
import { useLang } from '../I18nProvider';
import type { WallKpis } from './useKpis';

const HOUR = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', hour12: false });

function columns(kpis: WallKpis | null): uPlot.AlignedData {
  const rows = kpis?.alertsPerHour ?? [];
  return [rows.map((r) => r.hour / 1000), rows.map((r) => r.count)];
}

export function HourlyAlertsChart({ kpis }: { kpis: WallKpis | null }) {
  const { t } = useLang();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef<uPlot.AlignedData>(columns(kpis));
  data.current = columns(kpis);

  useEffect(() => {
    const el = box.current!;
    const px = parseFloat(getComputedStyle(el).fontSize); // the wall's unit scale, as a font size
    const font = `${Math.round(px)}px "Noto Sans CJK SC", sans-serif`;
    const axis = { stroke: CSS.textSecondary, font, grid: { stroke: CSS.panelBorder, width: 1 }, ticks: { show: false } };
    const u = new uPlot(
      {
        width: el.clientWidth,
        height: el.clientHeight,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: (_u, min, max) => [min - 1800, max + 1800] }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
        axes: [
          { ...axis, grid: { show: false }, space: px * 3.5, size: px * 2.2, values: (_u, splits) => splits.map((s) => HOUR.format(s * 1000)) },
          { ...axis, size: px * 2.6, space: px * 2.2, values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? String(s) : '')) },
        ],
        series: [{}, { fill: 'rgba(239, 68, 68, 0.75)', stroke: CSS.critical, width: 0, points: { show: false }, paths: uPlot.paths.bars!({ size: [0.7, 40] }) }],
      },
      data.current,
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: el.clientHeight }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(data.current);
  }, [kpis]);

  return (
    <section className="wall-panel wall-chart" data-testid="wall-per-hour">
      <h2>{t('wall.perHour')}</h2>
      <div className="chart-box" ref={box} />
    </section>
  );
}
