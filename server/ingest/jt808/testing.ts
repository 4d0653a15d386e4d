// Test helpers for the JT/T 808 ingest: a sink that records what it is handed.
import type { PositionReport } from '../../../lib/domain';
import type { IngestProtocol, IngestSink, VesselStatic } from '../types';

export interface Recorded {
  sink: IngestSink;
  positions: PositionReport[];
  rejects: { protocol: IngestProtocol; reason: string; sample?: string }[];
  ignores: { protocol: IngestProtocol; what: string }[];
  statics: VesselStatic[];
  /** Count of rejects by reason. */
  rejectCounts(): Record<string, number>;
}

export function recordingSink(): Recorded {
  const r: Recorded = {
    positions: [],
    rejects: [],
    ignores: [],
    statics: [],
    sink: {
      position: (p) => {
        r.positions.push(p);
      },
      vesselStatic: (v) => {
        r.statics.push(v);
      },
      rejected: (protocol, reason, sample) => {
        r.rejects.push({ protocol, reason, sample });
      },
      ignored: (protocol, what) => {
        r.ignores.push({ protocol, what });
      },
    },
    rejectCounts() {
      const c: Record<string, number> = {};
      for (const x of r.rejects) c[x.reason] = (c[x.reason] ?? 0) + 1;
      return c;
    },
  };
  return r;
}
