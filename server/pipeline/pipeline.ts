// The single entry point for positions: every source (simulator, AIS, JT/T 808, HTTP)
// hands reports here. One pass: validate → resolve asset → latest state → batch store → sinks.
import { POSITION_SOURCES, type PositionReport } from '../../lib/domain';
import { log } from '../log';
import { reportsAccepted, reportsRejected } from '../metrics';
import type { AssetInfo, AssetRegistry } from './assetRegistry';
import type { LatestState } from './latestState';
import type { PositionWriter } from './positionWriter';
import { reasonLabel, validateReport } from './validate';

export type IngestResult = { ok: true } | { ok: false; reason: string };

/** Something downstream that sees each accepted fix once (the rules engine: server/rules/sink.ts). */
export type FixSink = (asset: AssetInfo, report: PositionReport) => void;

export class Pipeline {
  private sinks: FixSink[] = [];
  /** On a node without the rules role: where checked fixes go instead (server/cluster/fixStream.ts). */
  private forward: ((report: PositionReport, storedSource?: string) => void) | undefined;

  constructor(
    private registry: AssetRegistry,
    private latest: LatestState,
    private writer: PositionWriter,
    private now: () => number = Date.now,
  ) {}

  addSink(sink: FixSink): void {
    this.sinks.push(sink);
  }

  /** Sends every checked fix to the rules node instead of taking it here. */
  forwardTo(forward: (report: PositionReport, storedSource?: string) => void): void {
    this.forward = forward;
  }

  /**
   * Validates and accepts one report. Storage is asynchronous and batched. `storedSource` is the
   * source stored with the fix when the credential names it more exactly than the report's
   * protocol does (`http:<token name>`); metrics keep the protocol. `replayed`: read again after a
   * rules node took over (the one before may have stored it already).
   */
  ingest(input: unknown, storedSource?: string, replayed?: boolean): IngestResult {
    const v = validateReport(input, this.now());
    if (!v.ok) return this.reject(input, v.reason);
    const report = v.report;
    if (this.forward) {
      this.forward(report, storedSource);
      return { ok: true };
    }
    const known = this.registry.get(report.assetKey);
    if (known) {
      if (known.kind !== report.kind) return this.reject(input, `kind: asset ${report.assetKey} is a ${known.kind}, not a ${report.kind}`);
      this.accept(known, report, storedSource, replayed);
    } else {
      // First sight: the asset row is created, then the fix goes on. Reports for the same
      // new key share one creation; their order is kept by the promise chain.
      this.registry.create(report.assetKey, report.kind, report.label).then(
        (asset) => this.accept(asset, report, storedSource, replayed),
        (err: Error) => log.error({ key: report.assetKey, err: err.message }, 'could not register asset'),
      );
    }
    return { ok: true };
  }

  /** The newest fix on the map for an asset key, if it has one. */
  latestFix(assetKey: string): { lon: number; lat: number; time: number } | undefined {
    const asset = this.registry.get(assetKey);
    const s = asset && this.latest.assets.get(asset.id);
    return s ? { lon: s.lon, lat: s.lat, time: s.time } : undefined;
  }

  /** Accepts a batch; each bad item is rejected with its reason and the rest still go in. */
  ingestMany(inputs: unknown[]): { accepted: number; rejected: { index: number; reason: string }[] } {
    const rejected: { index: number; reason: string }[] = [];
    inputs.forEach((input, index) => {
      const r = this.ingest(input);
      if (!r.ok) rejected.push({ index, reason: r.reason });
    });
    return { accepted: inputs.length - rejected.length, rejected };
  }

  private accept(asset: AssetInfo, r: PositionReport, storedSource: string = r.source, replayed?: boolean): void {
    reportsAccepted.inc({ source: r.source });
    this.latest.apply(asset.id, asset.kind, r);
    this.writer.add({
      assetId: asset.id,
      time: r.time,
      lon: r.lon,
      lat: r.lat,
      speed: r.speed,
      course: r.course,
      heading: r.heading,
      source: storedSource,
      alarm: r.alarm,
      ...(replayed && { replayed }),
    });
    for (const sink of this.sinks) sink(asset, r);
  }

  private reject(input: unknown, reason: string): IngestResult {
    const claimed = (input as { source?: unknown } | null)?.source;
    const source = (POSITION_SOURCES as readonly unknown[]).includes(claimed) ? String(claimed) : 'unknown';
    reportsRejected.inc({ source, reason: reasonLabel(reason) });
    log.debug({ reason }, 'report rejected');
    return { ok: false, reason };
  }
}
