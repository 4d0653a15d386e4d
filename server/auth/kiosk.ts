// Kiosk tokens: a video wall signs in from its URL (/wall?kiosk=TOKEN) with nobody typing a
// password. A supervisor issues a token for a read-only (viewer) account; only its SHA-256 is
// stored. Opening the URL trades the token for an ordinary session cookie and redirects to /wall
// without the token, so Socket.IO and REST work as for anyone else, with the viewer's rights.
//
// Lifetime: a kiosk session lasts as long as its token (its expiry, or a year when it has none)
// instead of SESSION_MAX_HOURS, and has no idle limit, so a wall cut off for hours comes back by
// itself. Its rights stay a viewer's whatever becomes of the account. Revoking the token ends its
// sessions and disconnects their sockets at once (through Sessions).
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { auditNow } from '../audit';
import { AttemptLimiter } from './rateLimit';
import { sha256, type Sessions } from './sessions';
import { invalid, notFound } from '@/server/errors';

export const KIOSK_PARAM = 'kiosk';
const NO_EXPIRY_SESSION_MS = 365 * 24 * 3_600_000;

export interface IssuedKioskToken {
  id: string;
  token: string;
  username: string;
  expiresAt: number | null;
  path: string;
}

/**
 * Issues a token for `username`, which must be an enabled viewer account. With `issuer` (a
 * supervisor's session), the account must lie within the issuer's jurisdiction; the CLI passes none.
 */
export async function issueKioskToken(
  pool: pg.Pool,
  opts: { username: string; label?: string; days?: number; issuer?: { id: number; username: string; district: string }; ip?: string },
): Promise<IssuedKioskToken> {
  const { rows } = await pool.query(
    `SELECT u.id, u.username, u.role, u.disabled, ($2::text IS NULL OR is_hq($2) OR u.district = ANY (visible_districts($2))) AS within
     FROM users u WHERE lower(u.username) = lower($1)`,
    [opts.username, opts.issuer?.district ?? null],
  );
  const u = rows[0];
  if (!u || !u.within) throw notFound(`no such account: ${opts.username}`);
  if (u.disabled) throw invalid(`the account ${u.username} is disabled`);
  if (u.role !== 'viewer') throw invalid(`a kiosk token needs a read-only (viewer) account; ${u.username} is ${u.role}`);
  const token = randomBytes(32).toString('base64url');
  const id = sha256(token);
  const expiresAt = opts.days ? Date.now() + opts.days * 86_400_000 : null;
  await pool.query(`INSERT INTO kiosk_tokens (id, user_id, label, created_by, expires_at) VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0))`, [
    id,
    u.id,
    opts.label ?? null,
    opts.issuer?.id ?? null,
    expiresAt,
  ]);
  await auditNow(pool, {
    userId: opts.issuer?.id ?? null,
    username: opts.issuer?.username ?? 'cli',
    action: 'kiosk_token_issued',
    entity: 'kiosk_token',
    entityId: id.slice(0, 16),
    after: { user: u.username, label: opts.label ?? null, expiresAt },
    ip: opts.ip ?? null,
  });
  return { id: id.slice(0, 16), token, username: u.username, expiresAt, path: `/wall?${KIOSK_PARAM}=${token}` };
}

/** Revokes a token by the id prefix that issuing returned, and ends its sessions. */
export async function revokeKioskToken(pool: pg.Pool, sessions: Sessions, idPrefix: string, by: { id: number; username: string; district: string }, ip?: string): Promise<boolean> {
  const { rows } = await pool.query(
    `UPDATE kiosk_tokens k SET revoked_at = now() FROM users u
     WHERE u.id = k.user_id AND k.id LIKE $1 || '%' AND k.revoked_at IS NULL AND (is_hq($2) OR u.district = ANY (visible_districts($2)))
     RETURNING k.id`,
    [idPrefix, by.district],
  );
  if (!rows[0]) return false;
  await sessions.destroyForKioskTokens(rows.map((r) => r.id));
  await auditNow(pool, { userId: by.id, username: by.username, action: 'kiosk_token_revoked', entity: 'kiosk_token', entityId: idPrefix, ip: ip ?? null });
  return true;
}

/** Trades kiosk tokens for sessions, rate-limited per address like password sign-in. */
export class KioskSignIn {
  private perAddress = new AttemptLimiter(20, 15 * 60_000);

  constructor(
    private pool: pg.Pool,
    private sessions: Sessions,
  ) {}

  /** A session for the token, or null (unknown, revoked, expired, account disabled or no longer a viewer, too many tries). */
  async exchange(token: string, ip: string, userAgent?: string): Promise<{ token: string; csrf: string; expiresAt: number } | null> {
    if (this.perAddress.retryAfter(ip) > 0 || token.length > 100) return null;
    const { rows } = await this.pool.query(
      `UPDATE kiosk_tokens k SET last_used_at = now() FROM users u
       WHERE k.id = $1 AND u.id = k.user_id AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
         AND NOT u.disabled AND u.role = 'viewer'
       RETURNING k.id, k.user_id, u.username, extract(epoch FROM k.expires_at) * 1000 AS expires_at`,
      [sha256(token)],
    );
    const k = rows[0];
    if (!k) {
      this.perAddress.fail(ip);
      await auditNow(this.pool, { action: 'kiosk_sign_in_failed', ip });
      return null;
    }
    const expiresAt = k.expires_at === null ? Date.now() + NO_EXPIRY_SESSION_MS : Number(k.expires_at);
    const session = await this.sessions.create(k.user_id, ip, userAgent, { tokenId: k.id, expiresAt });
    await auditNow(this.pool, { userId: k.user_id, username: k.username, action: 'kiosk_sign_in', entity: 'kiosk_token', entityId: k.id.slice(0, 16), ip });
    return session;
  }
}
