'use client';
// One value of a document's summary as an officer reads it: gate decisions and directions in
// words, lists joined, yes/no; anything else as it came (always as text, never as markup).
import { isSummaryKey } from '../../lib/linkDocuments';
import { useLang } from '../I18nProvider';

// The values the console has words for; any other is shown as it came.
const WORDED: Record<string, readonly string[]> = { decision: ['release', 'hold', 'manual'], direction: ['in', 'out'] };

export function SummaryValue({ name, value }: { name: string; value: unknown }) {
  const { t } = useLang();
  if (Array.isArray(value)) return <>{value.map(String).join('、')}</>;
  if (typeof value === 'boolean') return <>{t(value ? 'docValue.yes' : 'docValue.no')}</>;
  if (typeof value === 'number') return <span className="mono">{value.toLocaleString()}</span>;
  if (typeof value === 'string' && WORDED[name]?.includes(value)) return <>{t(`docValue.${name}.${value}` as 'docValue.decision.hold')}</>;
  if (value !== null && typeof value === 'object') return <span className="mono">{JSON.stringify(value)}</span>;
  return <>{String(value)}</>;
}

/** The label of a summary key: the console's words for the known keys, the key itself otherwise. */
export function useSummaryLabel() {
  const { t } = useLang();
  return (key: string) => (isSummaryKey(key) ? t(`docKey.${key}`) : key);
}
