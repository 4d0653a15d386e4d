// Prometheus metrics (prom-client), served at /metrics.
// Labels that a sender can reach are closed (metricLabels.ts); the ledger's `kind` is named by
// code only (ledger.ts), never by input.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { POSITION_SOURCES, PositionReportSchema } from '../lib/domain';
import { closeLabels } from './metricLabels';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** A report's claimed source when it is one of ours, else 'unknown' (then 'other' for anything else). */
const REPORT_SOURCES = [...POSITION_SOURCES, 'unknown'];
/** Why the pipeline refused a report: the field that failed, or 'report' for a non-object. */
const REPORT_REASONS = [...Object.keys(PositionReportSchema.shape), 'report'];

export const reportsAccepted = closeLabels(
  new Counter({
    name: 'tw_reports_accepted_total',
    help: 'Position reports accepted by the pipeline',
    labelNames: ['source'] as const,
    registers: [registry],
  }),
  { source: REPORT_SOURCES },
);
export const reportsRejected = closeLabels(
  new Counter({
    name: 'tw_reports_rejected_total',
    help: 'Position reports rejected by the pipeline, by reason',
    labelNames: ['source', 'reason'] as const,
    registers: [registry],
  }),
  { source: REPORT_SOURCES, reason: REPORT_REASONS },
);
export const positionsStored = new Counter({
  name: 'tw_positions_stored_total',
  help: 'Position rows written to PostGIS',
  registers: [registry],
});
export const positionsDropped = new Counter({
  name: 'tw_positions_dropped_total',
  help: 'Position rows dropped: refused by the database for what is in them, or past the hard cap of the store buffer (UDP cannot be held back)',
  registers: [registry],
});
export const positionsPending = new Gauge({
  name: 'tw_positions_pending',
  help: 'Position rows taken and not stored yet',
  registers: [registry],
});
export const replayedSkipped = new Counter({
  name: 'tw_positions_replay_skipped_total',
  help: 'Replayed fixes (read again after a rules node took over) not stored again because the node before had stored them',
  registers: [registry],
});
export const ingestHeld = new Gauge({
  name: 'tw_ingest_held',
  help: '1 while device sockets are paused because the store (or the rules node) is behind',
  registers: [registry],
});
export const storeBatchSeconds = new Histogram({
  name: 'tw_store_batch_seconds',
  help: 'Time to write one batch of positions, with its ledger entry (one transaction)',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
export const liveClients = new Gauge({
  name: 'tw_live_clients',
  help: 'Connected Socket.IO clients',
  registers: [registry],
});
export const liveFrameBytes = new Counter({
  name: 'tw_live_frame_bytes_total',
  help: 'Bytes of binary live frames emitted (per room)',
  registers: [registry],
});
export const assetsTracked = new Gauge({
  name: 'tw_assets_tracked',
  help: 'Assets with a latest position in memory',
  registers: [registry],
});
export const ledgerEntries = new Counter({
  name: 'tw_ledger_entries_total',
  help: 'Ledger entries appended, by kind (positions batches, checkpoints, chained rows)',
  labelNames: ['kind'] as const,
  registers: [registry],
});
export const ledgerAppendSeconds = new Histogram({
  name: 'tw_ledger_append_seconds',
  help: 'Time to append one ledger entry outside the position writer (rows, checkpoints), lock wait included',
  labelNames: ['kind'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers: [registry],
});

// Federation (server/federation/): the regional forwarder's link, and what a national node takes in.
export const federationLinkUp = new Gauge({
  name: 'tw_federation_link_up',
  help: 'The regional forwarder reaches the national node (1) or not (0)',
  registers: [registry],
});
export const federationLastSentSeq = new Gauge({
  name: 'tw_federation_last_sent_seq',
  help: 'The last ledger seq the national node confirmed storing (its cursor for this region)',
  registers: [registry],
});
export const federationLag = new Gauge({
  name: 'tw_federation_lag_entries',
  help: 'Ledger entries of this region not yet stored by the national node',
  registers: [registry],
});
export const federationBatches = closeLabels(
  new Counter({
    name: 'tw_federation_batches_total',
    help: 'Batches the forwarder sent, by outcome: stored, cursor (the national named another cursor; resumed there), failed',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  { outcome: ['stored', 'cursor', 'failed'] },
);
export const federationReceived = new Counter({
  name: 'tw_federation_received_entries_total',
  help: 'Region ledger entries a national node stored',
  registers: [registry],
});
export const federationRefused = closeLabels(
  new Counter({
    name: 'tw_federation_refused_total',
    help: 'Federation calls a national node refused, by reason (a batch not at the cursor: cursor)',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
  { reason: ['unsigned', 'stale', 'signature', 'replay', 'body', 'cursor'] },
);
