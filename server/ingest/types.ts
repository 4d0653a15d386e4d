// What every protocol listener hands on after decoding, and to whom. Nothing downstream of a
// sink knows which wire format a fix came in.
import type { PositionReport } from '../../lib/domain';

/** Static data a vessel broadcasts (AIS types 5, 19, 24) that updates its asset row. */
export interface VesselStatic {
  mmsi: string;
  name?: string;
  callSign?: string;
  imo?: string;
  shipType?: number; // ITU ship and cargo type code
  aisClass?: 'A' | 'B';
  lengthM?: number;
  beamM?: number;
  draughtM?: number;
  destination?: string;
  eta?: string; // "MM-DDTHH:MM" UTC as AIS gives it (no year)
}

export interface IngestSink {
  /** A decoded, plausible fix; the pipeline validates it again at its one entry point. */
  position(report: PositionReport): void;
  vesselStatic(update: VesselStatic): void;
  /** A frame or sentence that could not be used: counted by protocol and reason, logged, skipped. */
  rejected(protocol: IngestProtocol, reason: string, sample?: string): void;
  /** A known message that carries nothing we use (e.g. AIS type 8): counted, not an error. */
  ignored(protocol: IngestProtocol, what: string): void;
}

export type IngestProtocol = 'ais' | 'jt808' | 'jt809' | 'osmand' | 'http' | 'events';
