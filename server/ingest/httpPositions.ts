// POST /api/ingest/positions, behind the route: each report is checked on its own, stored with
// the caller's source (`http:<token>` / `user:<name>`; a `source` in the body is ignored), and
// only for assets within the caller's scope. A caller with HQ scope may also introduce new
// assets; any other caller may report only on assets it can see (home district or an open
// movement within its scope). An unknown asset and one outside the scope get the same answer.
import type pg from 'pg';
import type { PositionReport } from '../../lib/domain';
import type { Pipeline } from '../pipeline/pipeline';
import { validateReport } from '../pipeline/validate';
import { framesDecoded, framesRejected, rejectLabel } from './metrics';
import type { IngestCaller } from './tokens';

export interface HttpPositionsResult {
  accepted: number;
  rejected: { index: number; reason: string }[];
}

/** The asset keys among `keys` the caller may report on, or 'all' for an HQ scope. */
async function keysInScope(pool: pg.Pool, district: string, keys: string[]): Promise<Set<string> | 'all'> {
  const { rows } = await pool.query<{ hq: boolean; keys: string[] }>(
    `SELECT is_hq($1) AS hq, coalesce((SELECT array_agg(key) FROM visible_assets($1) WHERE key = ANY ($2::text[])), '{}') AS keys`,
    [district, keys],
  );
  return rows[0]!.hq ? 'all' : new Set(rows[0]!.keys);
}

export async function ingestHttpPositions(pool: pg.Pool, pipeline: Pipeline, caller: IngestCaller, items: unknown[], now = Date.now()): Promise<HttpPositionsResult> {
  const rejected: { index: number; reason: string }[] = [];
  // The server says where a report came from: whatever the body claims is replaced.
  const reports = items.map((item) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? { ...item, source: 'http' } : item));
  const valid: { index: number; report: PositionReport }[] = [];
  reports.forEach((input, index) => {
    const v = validateReport(input, now);
    if (v.ok) valid.push({ index, report: v.report });
    else rejected.push({ index, reason: v.reason });
  });
  const scope = valid.length ? await keysInScope(pool, caller.district, [...new Set(valid.map((v) => v.report.assetKey))]) : 'all';
  let accepted = 0;
  for (const { index, report } of valid) {
    if (scope !== 'all' && !scope.has(report.assetKey)) {
      rejected.push({ index, reason: `assetKey: no asset ${report.assetKey} that you may report on` });
      continue;
    }
    const r = pipeline.ingest(report, caller.source);
    if (r.ok) accepted++;
    else rejected.push({ index, reason: r.reason });
  }
  rejected.sort((a, b) => a.index - b.index);
  framesDecoded.inc({ protocol: 'http' }, accepted);
  for (const r of rejected) framesRejected.inc({ protocol: 'http', reason: rejectLabel(r.reason) });
  return { accepted, rejected };
}
