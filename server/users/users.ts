// User accounts as a supervisor administers them (/api/users, /admin/users): list, create, change
// (role, district, display name, disabled) and reset a password, each within the supervisor's
// jurisdiction as stored and as written, each audited in its own transaction. A user outside the
// jurisdiction and one that does not exist answer the same 404. Passwords and their hashes never
// reach a log, an audit record or an answer, except a generated password, shown once to the
// supervisor who asked for it.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '../../db/transaction';
import { audit } from '../audit';
import { hashPassword } from '../auth/passwords';
import { ROLES, type Role, type Sessions } from '../auth/sessions';
import { conflict, forbidden, notFound } from '../errors';
import { LAST_CHANGE } from '../queries/lastChange';

/** Who acts: a supervisor's session user. */
export interface Actor {
  id: number;
  username: string;
  district: string;
}

export const Username = z.string().regex(/^[a-z0-9_.-]{3,32}$/, 'username: 3–32 of a-z 0-9 _ . -');
const DisplayName = z
  .string()
  .trim()
  .min(1, 'displayName: 1–60 characters')
  .max(60, 'displayName: 1–60 characters')
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'displayName: no control characters');
export const Password = z.string().min(12, 'password: at least 12 characters').max(200, 'password: at most 200 characters');
const District = z.string().regex(/^[0-9]{4}$/, 'district: 4 digits');

export const CreateUserBody = z.strictObject({
  username: Username,
  displayName: DisplayName.optional(),
  role: z.enum(ROLES),
  district: District,
  password: Password.optional().meta({ description: 'omitted: one is generated and shown once in the answer' }),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const PatchUserBody = z
  .strictObject({
    displayName: DisplayName.nullable().optional(),
    role: z.enum(ROLES).optional(),
    district: District.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one of displayName, role, district, disabled' });
export type PatchUserBody = z.infer<typeof PatchUserBody>;

export interface UserOut {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  district: string;
  districtName: string;
  disabled: boolean;
  createdAt: string;
  lastSignIn: string | null;
  changedBy: string | null;
  changedAt: string | null;
}

/** A password for a person to type once and change: 16 characters of base64url (96 bits). */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

// $1 is the actor's district: the users of the districts it sees (HQ all).
const WITHIN = `(is_hq($1) OR u.district = ANY (visible_districts($1)))`;
const USER_SELECT = `
  SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.district, d.name_zh AS "districtName", u.disabled,
         u.created_at AS "createdAt", greatest(si.at, se.at) AS "lastSignIn", ch.username AS "changedBy", ch.at AS "changedAt"
  FROM users u JOIN districts d ON d.code = u.district
  LEFT JOIN LATERAL (SELECT a.time AS at FROM audit_log a WHERE a.user_id = u.id AND a.action IN ('sign_in', 'kiosk_sign_in') ORDER BY a.id DESC LIMIT 1) si ON true
  LEFT JOIN LATERAL (SELECT max(s.created_at) AS at FROM sessions s WHERE s.user_id = u.id) se ON true
  LEFT JOIN LATERAL (${LAST_CHANGE('user', 'u.id')}) ch ON true`;

const iso = (t: Date | null): string | null => (t ? t.toISOString() : null);
function userOut(r: Record<string, unknown>): UserOut {
  return {
    id: r.id as number,
    username: r.username as string,
    displayName: (r.displayName as string | null) ?? null,
    role: r.role as Role,
    district: r.district as string,
    districtName: r.districtName as string,
    disabled: r.disabled as boolean,
    createdAt: iso(r.createdAt as Date)!,
    lastSignIn: iso(r.lastSignIn as Date | null),
    changedBy: (r.changedBy as string | null) ?? null,
    changedAt: iso(r.changedAt as Date | null),
  };
}

/** The row as the audit trail keeps it: never the password hash. */
const auditable = (r: { username: string; display_name: string | null; role: string; district: string; disabled: boolean }) => ({
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  district: r.district,
  disabled: r.disabled,
});

async function checkDistrict(c: pg.ClientBase, code: string, by: Actor): Promise<void> {
  // An unknown code and one outside the jurisdiction answer alike: the tree of others is not probed.
  const { rows } = await c.query(`SELECT 1 FROM districts WHERE code = $1 AND (is_hq($2) OR code = ANY (visible_districts($2)))`, [code, by.district]);
  if (!rows[0]) throw forbidden(`district: ${code} is not a district in your jurisdiction`);
}

const NO_USER = (id: number) => notFound(`no such user: ${id}`);

/** The users of the districts the actor sees, by district then username. */
export async function listUsers(pool: pg.Pool, by: Actor): Promise<UserOut[]> {
  const { rows } = await pool.query(`${USER_SELECT} WHERE ${WITHIN} ORDER BY u.district, u.username`, [by.district]);
  return rows.map(userOut);
}

async function readUser(c: pg.ClientBase, id: number): Promise<UserOut> {
  return userOut((await c.query(`${USER_SELECT} WHERE u.id = $1`, [id])).rows[0]);
}

/** Creates an account in a district of the actor's jurisdiction; without a password one is generated and returned once. */
export async function createUser(pool: pg.Pool, body: CreateUserBody, by: Actor, ip?: string): Promise<UserOut & { password?: string }> {
  const generated = body.password === undefined ? generatePassword() : undefined;
  const hash = await hashPassword(body.password ?? generated!);
  const user = await withTransaction(pool, async (c) => {
    await checkDistrict(c, body.district, by);
    // Sign-in compares names without case; so does the check for a taken one.
    const { rows } = await c.query(
      `INSERT INTO users (username, password_hash, display_name, role, district)
       SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM users WHERE lower(username) = lower($1))
       ON CONFLICT (username) DO NOTHING
       RETURNING id, username, display_name, role, district, disabled`,
      [body.username, hash, body.displayName ?? null, body.role, body.district],
    );
    if (!rows[0]) throw conflict(`username: ${body.username} is taken`);
    await audit(c, { userId: by.id, username: by.username, action: 'user_create', entity: 'user', entityId: rows[0].id, after: auditable(rows[0]), ip });
    return readUser(c, rows[0].id);
  });
  return generated ? { ...user, password: generated } : user;
}

/**
 * Changes an account within the actor's jurisdiction (as stored, and the new district as written).
 * A supervisor may not disable, demote or move themselves. A change of rights (role, district,
 * disabled) ends the user's sessions at once; a new display name only refreshes them.
 */
export async function updateUser(pool: pg.Pool, sessions: Sessions, id: number, body: PatchUserBody, by: Actor, ip?: string): Promise<UserOut> {
  const { out, rightsChanged } = await withTransaction(pool, async (c) => {
    const stored = (
      await c.query(`SELECT u.id, u.username, u.display_name, u.role, u.district, u.disabled FROM users u WHERE u.id = $2 AND ${WITHIN} FOR UPDATE OF u`, [by.district, id])
    ).rows[0];
    if (!stored) throw NO_USER(id);
    if (id === by.id && ((body.disabled ?? false) || (body.role !== undefined && body.role !== stored.role) || (body.district !== undefined && body.district !== stored.district)))
      throw forbidden('you cannot disable, demote or move your own account');
    if (body.district !== undefined && body.district !== stored.district) await checkDistrict(c, body.district, by);
    const { rows } = await c.query(
      `UPDATE users SET display_name = CASE WHEN $2 THEN $3 ELSE display_name END, role = coalesce($4, role), district = coalesce($5, district), disabled = coalesce($6, disabled)
       WHERE id = $1 RETURNING id, username, display_name, role, district, disabled`,
      [id, body.displayName !== undefined, body.displayName ?? null, body.role ?? null, body.district ?? null, body.disabled ?? null],
    );
    const after = rows[0];
    const rightsChanged = after.role !== stored.role || after.district !== stored.district || after.disabled !== stored.disabled;
    await audit(c, { userId: by.id, username: by.username, action: 'user_update', entity: 'user', entityId: id, before: auditable(stored), after: auditable(after), ip });
    return { out: await readUser(c, id), rightsChanged };
  });
  if (rightsChanged) await sessions.destroyForUser(id);
  else sessions.userChanged(id);
  return out;
}

/** A new generated password for an account in the actor's jurisdiction, returned once; the user's sessions end. */
export async function resetPassword(pool: pg.Pool, sessions: Sessions, id: number, by: Actor, ip?: string): Promise<{ user: UserOut; password: string }> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  const user = await withTransaction(pool, async (c) => {
    const { rows } = await c.query(`UPDATE users u SET password_hash = $3 WHERE u.id = $2 AND ${WITHIN} RETURNING u.id`, [by.district, id, hash]);
    if (!rows[0]) throw NO_USER(id);
    await audit(c, { userId: by.id, username: by.username, action: 'user_password_reset', entity: 'user', entityId: id, ip });
    return readUser(c, id);
  });
  await sessions.destroyForUser(id);
  return { user, password };
}
