// The link systems this server runs: one line per system (server/links/<system>/).
import type { Config } from '../config';
import { gateLink } from './gate/gate';
import type { LinkSystem } from './types';

export function linkSystems(config: Config): LinkSystem[] {
  void config;
  return [gateLink as LinkSystem];
}
