// Per-route thresholds: one zod schema for both sources, the RULES_CONFIG_FILE's "routes" entries and
// the stored ones (route_rules, set by supervisors with PUT /api/routes/{code}/rules). A route with a
// stored row uses it in place of the file's entry; the engine takes a change without a restart.
import { z } from 'zod';
import { DEFAULT_RULES, type RouteRules } from './types';

const Seconds = z.number().finite().min(0, 'a number ≥ 0');

/** Any subset of the per-route thresholds; an unknown key is refused by name. */
export const RouteRulesOverrides = z.strictObject({
  deviationMinFixes: z.number().int().min(1).max(1000).optional(),
  deviationMinSpanS: Seconds.max(86_400).optional(),
  deviationClearFraction: z.number().gt(0).max(1).optional(),
  deviationClearFixes: z.number().int().min(1).max(1000).optional(),
  stopSpeedKmh: Seconds.max(200).optional(),
  stopMinS: Seconds.max(86_400).optional(),
  stopRadiusM: Seconds.max(100_000).optional(),
  signalLostFactor: z.number().min(1).max(100).optional(),
  signalLostMinS: Seconds.max(86_400).optional(),
  expectedIntervalS: z.number().min(1).max(86_400).optional(),
  wrongSiteDwellS: Seconds.max(86_400).optional(),
  siteLeaveFixes: z.number().int().min(1).max(1000).optional(),
  departFixes: z.number().int().min(1).max(1000).optional(),
  departMarginM: Seconds.max(100_000).optional(),
  originReentryIsWrong: z.boolean().optional(),
}) satisfies z.ZodType<Partial<RouteRules>>;

export type RouteRulesOverrides = z.infer<typeof RouteRulesOverrides>;

/** The per-route thresholds as defaults (the file's global settings over the built-in ones). */
export function routeDefaults(config: RouteRules): RouteRules {
  const out = {} as Record<string, unknown>;
  for (const k of Object.keys(RouteRulesOverrides.shape)) out[k] = (config as unknown as Record<string, unknown>)[k] ?? (DEFAULT_RULES as unknown as Record<string, unknown>)[k];
  return out as unknown as RouteRules;
}

/** The first problem of a parse, as `path: message`. */
export function firstIssue(err: z.ZodError, prefix: string): string {
  const i = err.issues[0]!;
  const keys = i.code === 'unrecognized_keys' ? `.${i.keys[0]}` : '';
  return `${[prefix, ...i.path.map(String)].join('.')}${keys}: ${i.code === 'unrecognized_keys' ? 'not a rules setting' : i.message}`;
}
