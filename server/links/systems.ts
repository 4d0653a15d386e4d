// The link systems this server runs: one line per system (server/links/<system>/).
import type { Config } from '../config';
import type { LinkSystem } from './types';
import { transitLink } from './transit/transit';

export function linkSystems(config: Config): LinkSystem[] {
  void config;
  return [transitLink as LinkSystem];
}
