// Rules thresholds from a JSON file (RULES_CONFIG_FILE): any subset of the defaults, with
// per-route overrides keyed by route code (`"routes": { "R03": { "deviationMinSpanS": 120 } }`).
// Every key must be one the engine knows and every value the same type as its default, or
// start-up stops with the path of the first wrong one. A route the database does not hold (yet) is
// a warning, not a failed start: routes are created at run time.
import { readFileSync } from 'node:fs';
import { DEFAULT_RULES, type RouteRules, type RulesConfig } from './types';
import { RouteRulesOverrides, firstIssue } from './routeRules';

function check(value: unknown, like: unknown, path: string): void {
  if (like === null || typeof like !== 'object' || Array.isArray(like)) {
    if (typeof value !== typeof like || Array.isArray(like) !== Array.isArray(value)) throw new Error(`${path}: expected a ${Array.isArray(like) ? 'list' : typeof like}`);
    if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) throw new Error(`${path}: expected a number ≥ 0`);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}: expected an object`);
  for (const [k, v] of Object.entries(value)) {
    if (!(k in (like as object))) throw new Error(`${path}.${k}: not a rules setting`);
    check(v, (like as Record<string, unknown>)[k], `${path}.${k}`);
  }
}

export function loadRulesConfig(file: string, routeIdByCode: Map<string, number>, warn: (msg: string) => void = () => {}): Partial<RulesConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`RULES_CONFIG_FILE ${file}: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new Error(`RULES_CONFIG_FILE ${file}: expected a JSON object`);
  const { routes: byCode = {}, ...rest } = raw as { routes?: Record<string, unknown> };
  check(rest, DEFAULT_RULES, 'rules');
  const routes: Record<number, Partial<RouteRules>> = {};
  for (const [code, overrides] of Object.entries(byCode)) {
    const parsed = RouteRulesOverrides.safeParse(overrides);
    if (!parsed.success) throw new Error(firstIssue(parsed.error, `rules.routes.${code}`));
    const id = routeIdByCode.get(code);
    if (id === undefined) {
      warn(`RULES_CONFIG_FILE ${file}: rules.routes.${code}: no such route; its thresholds are ignored (set them with PUT /api/routes/${code}/rules once it exists)`);
      continue;
    }
    routes[id] = parsed.data;
  }
  return { ...(rest as Partial<RulesConfig>), routes };
}
