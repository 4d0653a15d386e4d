// The edge check every source goes through: schema, then plausibility against the clock.
import { MAX_FUTURE_SKEW_MS, PositionReportSchema, type PositionReport } from '../../lib/domain';

export type Validated = { ok: true; report: PositionReport } | { ok: false; reason: string };

export function validateReport(input: unknown, nowMs: number): Validated {
  const parsed = PositionReportSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'report';
    return { ok: false, reason: `${where}: ${issue.message}` };
  }
  const report = parsed.data;
  if (report.time > nowMs + MAX_FUTURE_SKEW_MS) {
    return { ok: false, reason: `time: ${new Date(report.time).toISOString()} is in the future` };
  }
  return { ok: true, report };
}

/** A short, stable label for metrics: the field that failed (`lat`, `time`, …). */
export function reasonLabel(reason: string): string {
  return reason.split(':')[0]!.slice(0, 32);
}
