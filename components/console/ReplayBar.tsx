'use client';
// Replay controls under the map: play/pause, ×1…×256, a time slider over the selection's range,
// the replayed moment in CST, and whether the map follows the carrier.
import { formatTime } from '../../lib/format';
import { REPLAY_SPEEDS } from '../../lib/replay';
import { useLang } from '../I18nProvider';
import type { ReplayClock } from './useReplayClock';

export function ReplayBar({
  range,
  clock,
  onPlay,
  onPause,
  onSeek,
  onSpeed,
  onFollow,
}: {
  range: { from: number; to: number };
  clock: ReplayClock;
  onPlay: () => void;
  onPause: () => void;
  onSeek: (t: number | null) => void;
  onSpeed: (s: number) => void;
  onFollow: (f: boolean) => void;
}) {
  const { t } = useLang();
  const time = clock.time ?? range.to;
  return (
    <div className="replay-bar" data-testid="replay-bar" aria-label={t('replay.label')}>
      <button
        type="button"
        className="btn primary replay-play"
        data-testid={clock.playing ? 'replay-pause' : 'replay-play'}
        onClick={clock.playing ? onPause : onPlay}
        aria-label={clock.playing ? t('replay.pause') : t('replay.play')}
      >
        {clock.playing ? '❚❚' : '▶'} <span>{clock.playing ? t('replay.pause') : t('replay.play')}</span>
      </button>
      <label className="replay-speed">
        <span className="secondary">{t('replay.speed')}</span>
        <select value={clock.speed} onChange={(e) => onSpeed(Number(e.target.value))} data-testid="replay-speed">
          {REPLAY_SPEEDS.map((s) => (
            <option key={s} value={s}>
              ×{s}
            </option>
          ))}
        </select>
      </label>
      <input
        type="range"
        className="replay-slider"
        data-testid="replay-slider"
        aria-label={t('replay.time')}
        min={range.from}
        max={range.to}
        step={1000}
        value={Math.min(Math.max(time, range.from), range.to)}
        onChange={(e) => onSeek(Number(e.target.value))}
      />
      <time
        className={`replay-time mono${clock.time === null ? ' secondary' : ''}`}
        data-testid="replay-time"
        data-replaying={clock.time !== null}
        dateTime={new Date(time).toISOString()}
      >
        {formatTime(time)}
      </time>
      <label className="replay-follow">
        <input type="checkbox" checked={clock.follow} onChange={(e) => onFollow(e.target.checked)} data-testid="replay-follow" />
        <span>{t('replay.follow')}</span>
      </label>
      <button
        type="button"
        className="btn"
        onClick={() => {
          onPause();
          onSeek(null);
        }}
        disabled={clock.time === null}
        data-testid="replay-end"
      >
        {t('replay.toEnd')}
      </button>
    </div>
  );
}
