// Metric labels from a closed set. Every distinct label value is a new time series kept for the
// life of the process, so a label must never carry what a sender chose (a device id, a reason
// text with the offending input in it). closeLabels() makes a metric map every value outside
// its label's fixed list to 'other', at the metric itself, so no call site can forget.
import type { Counter, Gauge, Histogram } from 'prom-client';

export const OTHER_LABEL = 'other';

type Labels = Record<string, string | number>;
type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

/** The label value as recorded: the value itself when listed, else 'other'. */
export function closedLabel(allowed: ReadonlySet<string>, value: unknown): string {
  const text = String(value);
  return allowed.has(text) ? text : OTHER_LABEL;
}

/**
 * Wraps the metric's label-taking methods (inc, dec, set, observe, labels, startTimer, remove,
 * zero) so that each label value outside `allowed[label]` is recorded as 'other'. Every label
 * the metric has must be listed. Returns the metric, for `export const m = closeLabels(new …)`.
 */
export function closeLabels<M extends AnyMetric>(metric: M, allowed: Record<string, readonly string[]>): M {
  const sets = new Map(Object.entries(allowed).map(([k, v]) => [k, new Set(v)]));
  const names = (metric as unknown as { labelNames: string[] }).labelNames;
  for (const n of names) if (!sets.has(n)) throw new Error(`closeLabels: no list of values for label "${n}"`);
  const close = (labels: Labels): Labels => {
    const out: Labels = {};
    for (const [k, v] of Object.entries(labels)) out[k] = closedLabel(sets.get(k) ?? new Set(), v);
    return out;
  };
  const isLabels = (a: unknown): a is Labels => typeof a === 'object' && a !== null && !Array.isArray(a);
  const m = metric as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;

  // (labels, value) | (value) for inc/dec/set/observe. (Exemplars are not enabled on our metrics.)
  for (const method of ['inc', 'dec', 'set', 'observe']) {
    const original = m[method]?.bind(metric);
    if (!original) continue;
    m[method] = (a?: unknown, b?: unknown) => (isLabels(a) ? original(close(a), b) : original(a, b));
  }
  // (…values in labelNames order) | (labels) for labels/remove; (labels) for zero.
  for (const method of ['labels', 'remove', 'zero']) {
    const original = m[method]?.bind(metric);
    if (!original) continue;
    m[method] = (...args: unknown[]) => {
      if (isLabels(args[0])) return original(close(args[0]));
      return original(...args.map((v, i) => closedLabel(sets.get(names[i]!) ?? new Set(), v)));
    };
  }
  const startTimer = m.startTimer?.bind(metric);
  if (startTimer) {
    m.startTimer = (labels?: unknown) => {
      const end = startTimer(isLabels(labels) ? close(labels) : labels) as (more?: Labels) => unknown;
      return (more?: Labels) => end(more === undefined ? undefined : close(more));
    };
  }
  return metric;
}
