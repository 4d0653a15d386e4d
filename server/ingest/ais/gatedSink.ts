// The AIS listeners' sink: every AIS fix and static message passes the track gate
// (plausibility.ts) first; what it holds is counted and goes no further (not drawn, not checked
// by the rules, not stored).
import { log } from '../../log';
import { aisUnverified } from '../metrics';
import type { IngestSink } from '../types';
import type { AisTrackGate } from './plausibility';

export function gatedAisSink(sink: IngestSink, gate: AisTrackGate, now: () => number = Date.now): IngestSink {
  return {
    position(report) {
      const outcome = gate.admit(report, now());
      if (outcome.held) {
        aisUnverified.inc({ reason: outcome.held });
        log.debug({ assetKey: report.assetKey, reason: outcome.held }, 'AIS fix held as unverified');
      }
      for (const r of outcome.release) sink.position(r);
      for (const s of outcome.statics) sink.vesselStatic(s);
    },
    vesselStatic(update) {
      const pass = gate.admitStatic(update, now());
      if (pass) sink.vesselStatic(pass);
    },
    rejected: (protocol, reason, sample) => sink.rejected(protocol, reason, sample),
    ignored: (protocol, what) => sink.ignored(protocol, what),
  };
}
