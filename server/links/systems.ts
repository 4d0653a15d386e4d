// The link systems this server runs: one line per system (server/links/<system>/).
import type { Config } from '../config';
import { gateLink } from './gate/gate';
import { inspectionLink } from './inspection/inspection';
import { manifestLink } from './manifest/manifest';
import { siteLedgerLink } from './site-ledger/site-ledger';
import { transitLink } from './transit/transit';
import type { LinkSystem } from './types';
import { wmsLink } from './wms/wms';
import { zoneLink } from './zone/zone';

export function linkSystems(config: Config): LinkSystem[] {
  return [
    manifestLink as LinkSystem,
    transitLink as LinkSystem,
    inspectionLink({ overdueMinutes: config.LINKS_INSPECTION_MINUTES }) as LinkSystem,
    gateLink as LinkSystem,
    siteLedgerLink({ receiveMinutes: config.LINKS_RECEIVE_MINUTES }) as LinkSystem,
    zoneLink() as LinkSystem, // 金关二期 bonded zones: SAS121 passports, SAS223 pass receipts
    wmsLink as LinkSystem, // warehouse systems' goods in/out, signed (POST /api/links/wms)
  ];
}
