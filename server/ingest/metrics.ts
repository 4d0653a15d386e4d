// Ingest counters by protocol: frames decoded, rejected (by reason) and ignored, connections, and
// senders refused. Every label value comes from the fixed lists below (anything else is counted
// as 'other', see ../metricLabels.ts): a sender must not be able to mint time series. A new
// reason or kind is added here, or it shows as 'other'.
import { Counter, Gauge } from 'prom-client';
import { registry } from '../metrics';
import { closeLabels, closedLabel } from '../metricLabels';

export const INGEST_PROTOCOLS = ['ais', 'jt808', 'jt809', 'osmand', 'http', 'events'] as const;

/** Rejection reasons: a protocol's reason token, or the field that failed (the text before ':'). */
export const REJECT_REASONS = [
  // AIS (assembler)
  'checksum',
  'format',
  'fragment',
  'payload',
  'oversize',
  // JT/T 808 (framer, codec, session, location body)
  'short',
  'escape',
  'truncated',
  'length',
  'encrypted',
  'phone',
  'garbage',
  'internal',
  'terminal_mismatch',
  'subpackage',
  'subpackage_incomplete',
  'subpackage_too_large',
  'subpackage_timeout',
  'body',
  'auth',
  'unauthenticated',
  'time',
  'coordinates',
  'speed',
  'backlog',
  // OsmAnd (decoder, device lookup)
  'id',
  'lat/lon',
  'timestamp',
  'speed/bearing',
  'device_id',
  'location',
  'location.coords',
  'location.timestamp',
  'unknown device',
  // the position schema's fields (pipeline/validate.ts), and a report that is not an object
  'assetKey',
  'kind',
  'lon',
  'lat',
  'course',
  'heading',
  'source',
  'alarm',
  'label',
  'report',
] as const;

/** Known messages that carry nothing used: AIS message types (1–27) and non-AIS NMEA, JT/T 808 kinds. */
export const IGNORED_KINDS = [
  ...Array.from({ length: 27 }, (_, i) => `type ${i + 1}`),
  'nmea other',
  'unsupported',
  'terminal_response',
  'no_fix',
  'no_fix_alarm',
  // JT/T 809 (session): vehicles a platform may not report, messages taken as information only
  'unknown_plate',
  'plate_not_allowed',
  'registration',
  'exchange_ack',
  'apply_refused',
  'downlink_refused',
  'downlink_lost',
] as const;

export const CLOSE_REASONS = ['idle', 'slow_reader', 'garbage', 'logout', 'closelink', 'revoked'] as const;
export const TRANSPORTS = ['tcp', 'udp'] as const;

/** The label of a reason text: the token before the first ':' ("lat: must be ≤ 90" → "lat"). */
export function reasonToken(reason: string): string {
  return reason.split(':')[0]!.trim();
}

const REJECT_SET: ReadonlySet<string> = new Set(REJECT_REASONS);
/** The closed label a reason text is counted under: its token when listed, else 'other'. */
export function rejectLabel(reason: string): string {
  return closedLabel(REJECT_SET, reasonToken(reason));
}

export const framesDecoded = closeLabels(
  new Counter({
    name: 'tw_ingest_frames_total',
    help: 'Frames or sentences decoded, by protocol',
    labelNames: ['protocol'] as const,
    registers: [registry],
  }),
  { protocol: INGEST_PROTOCOLS },
);
export const framesRejected = closeLabels(
  new Counter({
    name: 'tw_ingest_rejected_total',
    help: 'Frames rejected, by protocol and reason',
    labelNames: ['protocol', 'reason'] as const,
    registers: [registry],
  }),
  { protocol: INGEST_PROTOCOLS, reason: REJECT_REASONS },
);
export const framesIgnored = closeLabels(
  new Counter({
    name: 'tw_ingest_ignored_total',
    help: 'Known messages carrying nothing used, by protocol and kind',
    labelNames: ['protocol', 'kind'] as const,
    registers: [registry],
  }),
  { protocol: INGEST_PROTOCOLS, kind: IGNORED_KINDS },
);
export const ingestConnections = closeLabels(
  new Gauge({
    name: 'tw_ingest_connections',
    help: 'Open ingest connections, by protocol',
    labelNames: ['protocol'] as const,
    registers: [registry],
  }),
  { protocol: INGEST_PROTOCOLS },
);
export const connectionsClosed = closeLabels(
  new Counter({
    name: 'tw_ingest_connections_closed_total',
    help: 'Ingest connections closed by the server, by protocol and reason',
    labelNames: ['protocol', 'reason'] as const,
    registers: [registry],
  }),
  { protocol: INGEST_PROTOCOLS, reason: CLOSE_REASONS },
);
export const sendersRefused = closeLabels(
  new Counter({
    name: 'tw_ingest_senders_refused_total',
    help: 'TCP connections and UDP datagrams refused because the sender is not allowed (AIS_ALLOW), by protocol and transport',
    labelNames: ['protocol', 'transport'] as const,
    registers: [registry],
  }),
  { protocol: INGEST_PROTOCOLS, transport: TRANSPORTS },
);
export const aisUnverified = closeLabels(
  new Counter({
    name: 'tw_ais_unverified_total',
    help: 'AIS positions held as unverified (not drawn, not checked, not stored), by reason: a new vessel awaiting its confirming fix, or a fix off the known track',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
  { reason: ['new_vessel', 'off_track'] },
);
