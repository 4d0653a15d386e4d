// Link counters: messages applied, duplicates answered, refused (by the error kind), per system.
// Labels come from fixed lists (../metricLabels.ts): a sender cannot mint series.
import { Counter, Histogram } from 'prom-client';
import { DOMAIN_ERROR_KINDS } from '../errors';
import { registry } from '../metrics';
import { closeLabels } from '../metricLabels';
import { LINK_SYSTEMS } from './types';

/** Why a signed WMS call was refused before its message was read (server/links/wms/systems.ts). */
export const WMS_AUTH_REASONS = ['unsigned', 'stale', 'signature', 'replay'] as const;

export const LINK_OUTCOMES = ['applied', 'duplicate', 'refused'] as const;

export const linkMessages = closeLabels(
  new Counter({
    name: 'tw_link_messages_total',
    help: 'Customs and partner link messages, by system and outcome (refused: by reason kind)',
    labelNames: ['system', 'via', 'outcome', 'reason'] as const,
    registers: [registry],
  }),
  { system: LINK_SYSTEMS, via: ['http', 'inbox', 'demo'], outcome: LINK_OUTCOMES, reason: ['none', 'size', ...DOMAIN_ERROR_KINDS, 'internal', ...WMS_AUTH_REASONS] },
);

export const linkApplySeconds = closeLabels(
  new Histogram({
    name: 'tw_link_apply_seconds',
    help: 'Time to apply one link message (parse, transaction, commit)',
    labelNames: ['system'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  }),
  { system: LINK_SYSTEMS },
);
