// The link systems this server runs: one line per system (server/links/<system>/).
import type { Config } from '../config';
import type { LinkSystem } from './types';
import { zoneLink } from './zone/zone';

export function linkSystems(config: Config): LinkSystem[] {
  void config;
  return [
    zoneLink() as LinkSystem, // 金关二期 bonded zones: SAS121 passports, SAS223 pass receipts
  ];
}
