'use client';
// What a customs message did (its summary), as an officer reads it: the known keys labelled in
// the console's words, the known codes (gate decisions, directions, statuses, results, mismatch
// reasons) in words, lists joined; anything else as it came, always as text, never as markup.
// On a document that needs attention the decision and the mismatch are drawn in the critical colour.
import { isCritical, isSummaryKey, summaryEntries, type LinkDocument } from '../../lib/linkDocuments';
import { zhCN } from '../../lib/i18n/zh-CN';
import { formatTime } from '../../lib/format';
import { useLang } from '../I18nProvider';

const CODES = zhCN.docValue;
type CodedKey = 'decision' | 'direction' | 'status' | 'result' | 'mismatch';
const CODED = new Set<string>(['decision', 'direction', 'status', 'result', 'mismatch']);
/** Keys whose value is one of the codes of another (`from`: the status it had). */
const CODED_AS: Record<string, CodedKey> = { from: 'status' };
/** A time written as ISO 8601 (a deadline): shown in the user's zone like every other time. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const CRITICAL_KEYS = new Set(['decision', 'mismatch']);

/** Labels for summary keys and words for their values, in the current language. */
export function useSummaryWords() {
  const { t } = useLang();
  const code = (name: string, v: string): string => {
    const key = CODED_AS[name] ?? name;
    if (ISO_TIME.test(v) && !CODED.has(key)) return formatTime(Date.parse(v));
    return CODED.has(key) && Object.hasOwn(CODES[key as CodedKey], v) ? t(`docValue.${key as CodedKey}.${v}` as 'docValue.decision.hold') : v;
  };
  return {
    label: (key: string) => (isSummaryKey(key) ? t(`docKey.${key}`) : key),
    value: (key: string, v: unknown): string => {
      if (Array.isArray(v)) return v.map((x) => code(key, String(x))).join('、');
      if (typeof v === 'boolean') return t(v ? 'docValue.yes' : 'docValue.no');
      if (typeof v === 'number') return v.toLocaleString();
      if (typeof v === 'string') return code(key, v);
      return JSON.stringify(v);
    },
  };
}

export function SummaryList({ doc }: { doc: LinkDocument }) {
  const words = useSummaryWords();
  const critical = isCritical(doc);
  return (
    <dl className="doc-summary">
      {summaryEntries(doc.summary).map(([k, v]) => (
        <div key={k} className={critical && CRITICAL_KEYS.has(k) ? 'hot' : undefined} data-key={k}>
          <dt>{words.label(k)}</dt>
          <dd>{words.value(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}
