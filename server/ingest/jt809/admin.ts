// Provisioning JT/T 809 lower platforms: the one place that writes jt809_platforms. Used by the
// REST handlers (app/api/jt809/platforms) with a supervisor's session, within their jurisdiction
// (the platform's district is theirs or below), and by the CLI without one. Every change is
// audited (and so chained into the ledger); the password and keys never appear in an audit record.
import type pg from 'pg';
import { z } from 'zod';
import { audit } from '../../audit';
import { hashPassword } from '../../auth/passwords';
import { withTransaction } from '../../../db/transaction';
import { conflict, forbidden, invalid } from '../../errors';
import { DistrictCode, Plate } from '../../devices/idents';
import type { Actor } from '../../devices/admin';
import { announcePlatformRevoked } from './links';

const U32 = z.coerce.number().int().min(0).max(0xffffffff);

export const PlatformBody = z
  .object({
    accessCode: U32,
    userId: U32,
    /** 0x1001 carries 8 bytes of password. */
    password: z
      .string()
      .min(6)
      .max(8)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces'),
    name: z.string().trim().min(1).max(64),
    district: DistrictCode,
    plates: z.array(Plate).max(10_000).optional(),
    keys: z.object({ m1: U32, ia1: U32, ic1: U32 }).strict().optional(),
    address: z.union([z.ipv4(), z.ipv6()]).optional(),
  })
  .strict();
export type PlatformBody = z.infer<typeof PlatformBody>;

export interface PlatformOut {
  id: number;
  accessCode: number;
  userId: number;
  name: string;
  district: string;
  plates: string[] | null;
  encrypted: boolean;
  address: string | null;
  state: 'never' | 'logged_in' | 'refused';
  lastLogin: string | null;
  lastContact: string | null;
  lastAddress: string | null;
  createdAt: string;
  revokedAt: string | null;
}

const SELECT = `SELECT id, access_code::float8 AS "accessCode", user_id::float8 AS "userId", name, district, allowed_plates AS plates,
  m1 IS NOT NULL AS encrypted, allowed_address AS address, state, last_login AS "lastLogin", last_contact AS "lastContact",
  last_address AS "lastAddress", created_at AS "createdAt", revoked_at AS "revokedAt" FROM jt809_platforms p`;
// $1: the actor's district (null for the CLI).
const ADMINISTERS = `($1::text IS NULL OR (SELECT is_hq($1)) OR p.district = ANY (SELECT unnest(visible_districts($1))))`;
const who = (by: Actor | undefined) => ({ userId: by?.id ?? null, username: by?.username ?? 'cli' });
const iso = (t: unknown): string | null => (t instanceof Date ? t.toISOString() : null);
function out(r: Record<string, unknown>): PlatformOut {
  return { ...(r as unknown as PlatformOut), lastLogin: iso(r.lastLogin), lastContact: iso(r.lastContact), createdAt: iso(r.createdAt)!, revokedAt: iso(r.revokedAt) };
}

export async function registerPlatform(pool: pg.Pool, body: PlatformBody, by?: Actor, ip?: string): Promise<PlatformOut> {
  const passwordHash = await hashPassword(body.password);
  return withTransaction(pool, async (c) => {
    const d = (
      await c.query(`SELECT ($2::text IS NULL OR (SELECT is_hq($2)) OR $1 = ANY (SELECT unnest(visible_districts($2)))) AS within FROM districts WHERE code = $1`, [
        body.district,
        by?.district ?? null,
      ])
    ).rows[0];
    if (!d) throw invalid(`district: no district ${body.district}`);
    if (!d.within) throw forbidden(`district: ${body.district} is outside your jurisdiction`);
    let id: number;
    try {
      const { rows } = await c.query(
        `INSERT INTO jt809_platforms (access_code, user_id, password_hash, name, district, allowed_plates, m1, ia1, ic1, allowed_address, created_by)
         VALUES ($1, $2, $3, $4, $5, (SELECT array_agg(DISTINCT plate_key(x)) FROM unnest($6::text[]) x), $7, $8, $9, $10, $11) RETURNING id`,
        [
          body.accessCode,
          body.userId,
          passwordHash,
          body.name,
          body.district,
          body.plates ?? null,
          body.keys?.m1 ?? null,
          body.keys?.ia1 ?? null,
          body.keys?.ic1 ?? null,
          body.address ?? null,
          by?.id ?? null,
        ],
      );
      id = rows[0].id;
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw conflict(`accessCode: ${body.accessCode} is registered; revoke it first`);
      throw err;
    }
    const after = {
      accessCode: body.accessCode,
      userId: body.userId,
      name: body.name,
      district: body.district,
      plates: body.plates?.length ?? null,
      encrypted: !!body.keys,
      address: body.address ?? null,
    };
    await audit(c, { ...who(by), action: 'jt809_platform_register', entity: 'jt809_platform', entityId: id, after, ip });
    return out((await c.query(`${SELECT} WHERE id = $1`, [id])).rows[0]);
  });
}

export async function listPlatforms(pool: pg.Pool, district: string, opts: { revoked?: boolean } = {}): Promise<PlatformOut[]> {
  const { rows } = await pool.query(`${SELECT} WHERE ${ADMINISTERS} AND ($2 OR p.revoked_at IS NULL) ORDER BY p.id`, [district, opts.revoked ?? false]);
  return rows.map(out);
}

/** Revokes a platform: its links close and its logins are refused. False: no such live platform for this actor. */
export async function revokePlatform(pool: pg.Pool, id: number, by?: Actor, ip?: string): Promise<boolean> {
  const done = await withTransaction(pool, async (c) => {
    const { rows } = await c.query(
      `UPDATE jt809_platforms p SET revoked_at = now(), revoked_by = $3 WHERE p.id = $2 AND p.revoked_at IS NULL AND ${ADMINISTERS} RETURNING access_code::float8 AS "accessCode", name`,
      [by?.district ?? null, id, by?.id ?? null],
    );
    if (!rows[0]) return false;
    await audit(c, { ...who(by), action: 'jt809_platform_revoke', entity: 'jt809_platform', entityId: id, before: rows[0], ip });
    return true;
  });
  if (done) announcePlatformRevoked(id);
  return done;
}
