// What a node does (issue 12, "1+N"): the same code starts as any mix of roles.
//  - web:    the HTTP server: pages, REST, and the Socket.IO clients;
//  - ingest: the device listeners (AIS, JT/T 808, JT/T 809, OsmAnd);
//  - rules:  the movement picture: latest state, stored positions, rules, alerts and the live frames.
// One node with all three (the default) needs nothing but the database. Nodes that split them
// share one PostgreSQL and one Redis (REDIS_URL): server/cluster/README.md.
export const ROLES = ['web', 'ingest', 'rules'] as const;
export type Role = (typeof ROLES)[number];
export type Roles = ReadonlySet<Role>;

export const ALL_ROLES = 'web,ingest,rules';

/** TW_ROLES as a set; a word that is no role, or no role at all, is an Error naming it. */
export function parseRoles(value: string): Set<Role> {
  const words = value
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (!words.length) throw new Error(`no role: use any of ${ROLES.join(', ')}`);
  for (const w of words) if (!(ROLES as readonly string[]).includes(w)) throw new Error(`${w} is no role (${ROLES.join(', ')})`);
  return new Set(words as Role[]);
}

/** Every role on this node: the whole system in one process. */
export const isWholeSystem = (roles: Roles) => ROLES.every((r) => roles.has(r));
