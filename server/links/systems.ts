// The link systems this server runs: one line per system (server/links/<system>/).
import type { Config } from '../config';
import type { LinkSystem } from './types';
import { transitLink } from './transit/transit';
import { inspectionLink } from './inspection/inspection';

export function linkSystems(config: Config): LinkSystem[] {
  return [transitLink as LinkSystem, inspectionLink({ overdueMinutes: config.LINKS_INSPECTION_MINUTES }) as LinkSystem];
}
