// The link systems this server runs: one line per system (server/links/<system>/).
import type { Config } from '../config';
import { gateLink } from './gate/gate';
import { siteLedgerLink } from './site-ledger/site-ledger';
import type { LinkSystem } from './types';

export function linkSystems(config: Config): LinkSystem[] {
  return [gateLink as LinkSystem, siteLedgerLink({ receiveMinutes: config.LINKS_RECEIVE_MINUTES }) as LinkSystem];
}
