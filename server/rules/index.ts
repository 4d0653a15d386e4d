// The rules engine's public face (the facade in engine.ts, one file per rule beside it; types.ts; wiring in sink.ts).
export { RulesEngine, type RulesState } from './engine';
export { rulesSink, type RulesSinkOptions } from './sink';
export {
  ALERT_MAP_STATUS,
  ALERT_SEVERITY,
  ALERT_TYPES,
  DEFAULT_RULES,
  DEFAULT_SEAL_ALARM_MASK,
  rulesConfig,
  type AisGapConfig,
  type AlertType,
  type AssetRef,
  type Fix,
  type OutsideEvent,
  type RendezvousConfig,
  type RouteRules,
  type RuleAlert,
  type RuleEvent,
  type RulesConfig,
  type Severity,
  type WatchedConsignment,
} from './types';
