// The link systems this server runs: one line per system (server/links/<system>/).
import type { Config } from '../config';
import { inspectionLink } from './inspection/inspection';
import { manifestLink } from './manifest/manifest';
import { transitLink } from './transit/transit';
import type { LinkSystem } from './types';

export function linkSystems(config: Config): LinkSystem[] {
  return [manifestLink as LinkSystem, transitLink as LinkSystem, inspectionLink({ overdueMinutes: config.LINKS_INSPECTION_MINUTES }) as LinkSystem];
}
