'use client';
// Two small charts under the consignment's facts (UI.md): distance off route over time with the
// corridor's half-width as a band, and speed over time with stops shaded. Both show the replayed
// moment as a line, and a click on either replays from there. uPlot draws them on a canvas.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Journey } from '../../lib/journey';
import { CSS } from '../../lib/palette';
import { stops } from '../../lib/replay';
import { useLang } from '../I18nProvider';

const HEIGHT = 120;
const FONT = '12px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

// Hours and minutes in China Standard Time, 24 h (UI.md).
const HM = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
const timeAxisValues = (_u: uPlot, splits: number[]) => splits.map((s) => HM.format(new Date(s * 1000)));

const axis = (size = 48): uPlot.Axis => ({
  stroke: CSS.textSecondary,
  font: FONT,
  size,
  grid: { stroke: CSS.panelBorder, width: 1 },
  ticks: { stroke: CSS.panelBorder, width: 1 },
});

function chart(el: HTMLElement, width: number, series: uPlot.Series[], data: uPlot.AlignedData, draw: (u: uPlot) => void, onSeek: (ms: number) => void): uPlot {
  const u = new uPlot(
    {
      width,
      height: HEIGHT,
      legend: { show: false },
      cursor: { sync: { key: 'journey' }, y: false, points: { show: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.1] } },
      axes: [{ ...axis(32), values: timeAxisValues }, axis()],
      series: [{}, ...series],
      hooks: { draw: [draw] },
    },
    data,
    el,
  );
  u.over.addEventListener('click', () => {
    const left = u.cursor.left;
    if (left !== undefined && left >= 0) onSeek(u.posToVal(left, 'x') * 1000);
  });
  return u;
}

export function JourneyCharts({ journey, replayTime, onSeek }: { journey: Journey; replayTime: number | null; onSeek: (ms: number) => void }) {
  const { t } = useLang();
  const offEl = useRef<HTMLDivElement>(null);
  const speedEl = useRef<HTMLDivElement>(null);
  const plots = useRef<uPlot[]>([]);
  const timeRef = useRef(replayTime);
  timeRef.current = replayTime;
  const seekRef = useRef(onSeek);
  seekRef.current = onSeek;
  const hasRoute = journey.route !== null;

  useEffect(() => {
    const fixes = journey.track.fixes;
    const x = fixes.map((f) => f[2] / 1000);
    const width = Math.max(200, (speedEl.current?.parentElement?.clientWidth ?? 380) - 4);
    const standing = stops(fixes);
    const cursorLine = (u: uPlot) => {
      const tm = timeRef.current;
      if (tm === null) return;
      const px = u.valToPos(tm / 1000, 'x', true);
      const { ctx, bbox } = u;
      ctx.save();
      ctx.strokeStyle = CSS.text;
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.beginPath();
      ctx.moveTo(px, bbox.top);
      ctx.lineTo(px, bbox.top + bbox.height);
      ctx.stroke();
      ctx.restore();
    };
    const shadeStops = (u: uPlot) => {
      const { ctx, bbox } = u;
      ctx.save();
      ctx.fillStyle = 'rgba(245, 158, 11, 0.18)';
      for (const [a, b] of standing) {
        const x0 = u.valToPos(a / 1000, 'x', true);
        const x1 = u.valToPos(b / 1000, 'x', true);
        ctx.fillRect(x0, bbox.top, Math.max(x1 - x0, 2), bbox.height);
      }
      ctx.restore();
      cursorLine(u);
    };
    const seek = (ms: number) => seekRef.current(ms);
    const made: uPlot[] = [];
    if (hasRoute && offEl.current) {
      const band = journey.route!.corridorM;
      made.push(
        chart(
          offEl.current,
          width,
          [
            { label: t('console.chartCorridor'), stroke: 'rgba(45, 212, 191, 0.6)', fill: 'rgba(45, 212, 191, 0.15)', width: 1, dash: [4, 3], points: { show: false } },
            { label: t('console.chartOffRoute'), stroke: CSS.critical, width: 2, points: { show: false } },
          ],
          [x, x.map(() => band), fixes.map((f) => (Number.isNaN(f[4]) ? null : f[4]))],
          cursorLine,
          seek,
        ),
      );
    }
    if (speedEl.current) {
      made.push(
        chart(
          speedEl.current,
          width,
          [{ label: t('console.chartSpeed'), stroke: CSS.normal, width: 1.5, points: { show: false } }],
          [x, fixes.map((f) => (Number.isNaN(f[3]) ? null : f[3]))],
          shadeStops,
          seek,
        ),
      );
    }
    plots.current = made;
    return () => {
      for (const p of made) p.destroy();
      plots.current = [];
    };
  }, [journey, hasRoute, t]);

  // The replayed moment moved: redraw the cursor line only.
  useEffect(() => {
    for (const p of plots.current) p.redraw(false, false);
  }, [replayTime]);

  return (
    <section className="panel-section charts" aria-label={t('console.charts')}>
      {hasRoute && (
        <>
          <h3>
            {t('console.chartOffRoute')}{' '}
            <span className="chart-key">
              <i className="key-band" />
              {t('console.chartCorridor')} ±{journey.route!.corridorM} m
            </span>
          </h3>
          <div ref={offEl} className="chart" data-testid="chart-offroute" />
        </>
      )}
      <h3>
        {t('console.chartSpeed')}{' '}
        <span className="chart-key">
          <i className="key-stop" />
          {t('console.chartStop')}
        </span>
      </h3>
      <div ref={speedEl} className="chart" data-testid="chart-speed" />
    </section>
  );
}
