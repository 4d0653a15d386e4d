// Per-route rules thresholds stored by supervisors (route_rules): read and replaced within their
// jurisdiction (a route is theirs when one of its ends lies in a district they see), audited. The
// caller hands a change to the running rules engine. An empty set removes the row: the config file's
// entry for the route (if any) and the defaults apply again.
import type pg from 'pg';
import { withTransaction } from '../../db/transaction';
import { audit } from '../audit';
import type { SessionUser } from '../auth/sessions';
import { notFound } from '../errors';
import type { RouteRulesOverrides } from '../rules/routeRules';

export interface StoredRouteRules {
  code: string;
  routeId: number;
  rules: RouteRulesOverrides;
  updatedAt: string | null;
  updatedBy: string | null;
}

const ROUTE_IN_SCOPE = `
  SELECT r.id, r.code FROM routes r JOIN sites f ON f.id = r.from_site JOIN sites t ON t.id = r.to_site
  WHERE r.code = $1 AND (is_hq($2) OR ARRAY[f.district, t.district] && visible_districts($2))`;

async function routeOf(c: pg.ClientBase, user: SessionUser, code: string, lock = false): Promise<{ id: number; code: string }> {
  const route = (await c.query<{ id: number; code: string }>(`${ROUTE_IN_SCOPE}${lock ? ' FOR UPDATE OF r' : ''}`, [code, user.district])).rows[0];
  // Unknown and not-yours answer alike.
  if (!route) throw notFound(`no route ${code} in your jurisdiction`);
  return route;
}

async function stored(c: pg.ClientBase, route: { id: number; code: string }): Promise<StoredRouteRules> {
  const row = (await c.query(`SELECT rules, to_json(updated_at)#>>'{}' AS at, updated_by FROM route_rules WHERE route_id = $1`, [route.id])).rows[0];
  return { code: route.code, routeId: route.id, rules: row?.rules ?? {}, updatedAt: row?.at ?? null, updatedBy: row?.updated_by ?? null };
}

export async function getRouteRules(pool: pg.Pool, user: SessionUser, code: string): Promise<StoredRouteRules> {
  const c = await pool.connect();
  try {
    return await stored(c, await routeOf(c, user, code));
  } finally {
    c.release();
  }
}

export async function putRouteRules(pool: pg.Pool, user: SessionUser, code: string, rules: RouteRulesOverrides, ip: string): Promise<StoredRouteRules> {
  return withTransaction(pool, async (c) => {
    const route = await routeOf(c, user, code, true);
    const before = await stored(c, route);
    if (Object.keys(rules).length === 0) await c.query('DELETE FROM route_rules WHERE route_id = $1', [route.id]);
    else
      await c.query(
        `INSERT INTO route_rules (route_id, rules, updated_at, updated_by) VALUES ($1, $2, now(), $3)
         ON CONFLICT (route_id) DO UPDATE SET rules = EXCLUDED.rules, updated_at = now(), updated_by = EXCLUDED.updated_by`,
        [route.id, JSON.stringify(rules), user.username],
      );
    const after = await stored(c, route);
    await audit(c, { userId: user.id, username: user.username, action: 'route.rules', entity: 'route', entityId: route.code, before: before.rules, after: after.rules, ip });
    return after;
  });
}
