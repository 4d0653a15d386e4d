'use client';
// A time as the admin lists show it (UI.md): relative age first ("3 分钟前"), the absolute time beside it.
import { formatAge, formatTime } from '../../lib/format';

export function When({ at, never = '—' }: { at: string | null | undefined; never?: string }) {
  if (!at) return <span className="secondary">{never}</span>;
  const ms = Date.parse(at);
  return (
    <span className="when" title={formatTime(ms)}>
      {formatAge(Date.now() - ms)} <span className="secondary">{formatTime(ms)}</span>
    </span>
  );
}
