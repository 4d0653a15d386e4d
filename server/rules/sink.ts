// Wires the rules engine into the pipeline: a FixSink that hands each accepted fix to the engine
// (in the fix's own time) and passes what it decided on.
import type { FixSink } from '../pipeline/pipeline';
import type { RulesEngine } from './engine';
import type { RuleEvent } from './types';

export interface RulesSinkOptions {
  /** AIS class of a vessel, when known (AIS_GAP thresholds); the engine's default class otherwise. */
  aisClassOf?: (assetId: number) => 'A' | 'B' | undefined;
}

/**
 * A pipeline sink: `pipeline.addSink(rulesSink(engine, (events) => alerts.apply(events)))`.
 * `engine` may be a getter, so that a restored engine can take over without re-wiring.
 */
export function rulesSink(engine: RulesEngine | (() => RulesEngine), emit: (events: RuleEvent[]) => void, opts: RulesSinkOptions = {}): FixSink {
  const get = typeof engine === 'function' ? engine : () => engine;
  return (asset, report) => {
    const events = get().onFix(
      { id: asset.id, kind: asset.kind, aisClass: asset.kind === 'vessel' ? opts.aisClassOf?.(asset.id) : undefined },
      { time: report.time, lon: report.lon, lat: report.lat, speed: report.speed, course: report.course, alarm: report.alarm },
    );
    if (events.length) emit(events);
  };
}
