// Ingest counters by protocol: frames decoded, rejected (by reason) and ignored, and connections.
import { Counter, Gauge } from 'prom-client';
import { registry } from '../metrics';

export const framesDecoded = new Counter({
  name: 'tw_ingest_frames_total', help: 'Frames or sentences decoded, by protocol', labelNames: ['protocol'] as const, registers: [registry],
});
export const framesRejected = new Counter({
  name: 'tw_ingest_rejected_total', help: 'Frames rejected, by protocol and reason', labelNames: ['protocol', 'reason'] as const, registers: [registry],
});
export const framesIgnored = new Counter({
  name: 'tw_ingest_ignored_total', help: 'Known messages carrying nothing used, by protocol and kind', labelNames: ['protocol', 'kind'] as const, registers: [registry],
});
export const ingestConnections = new Gauge({
  name: 'tw_ingest_connections', help: 'Open ingest connections, by protocol', labelNames: ['protocol'] as const, registers: [registry],
});
export const connectionsClosed = new Counter({
  name: 'tw_ingest_connections_closed_total', help: 'Ingest connections closed by the server, by protocol and reason', labelNames: ['protocol', 'reason'] as const, registers: [registry],
});
