// Server-side sessions: the browser holds a random token in an HttpOnly cookie; the database
// holds only its SHA-256. Sessions end on sign-out, after `idleMs` without use, or at `absoluteMs`.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { DistrictLevel } from '../../lib/domain';

export const ROLES = ['viewer', 'officer', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  district: string;
  districtName: string;
  level: DistrictLevel;
}

export interface ResolvedSession {
  id: string;
  user: SessionUser;
  csrf: string;
}

interface Cached extends ResolvedSession {
  lastSeen: number;
  expiresAt: number;
  checkedAt: number;
  /** Made from a kiosk token: no idle limit (a wall left through a long network outage must come back by itself). */
  kiosk: boolean;
}

/** Sessions that ended (by id) and users whose sessions ended or whose rights changed. */
export interface SessionsEnded {
  sessionIds: string[];
  userIds: number[];
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const TOUCH_EVERY_MS = 60_000; // write last_seen at most once a minute per session
const RECHECK_MS = 10_000; // re-read a cached session from the database this often (revocation reaches a cache within this)

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

const TOMBSTONE_MS = 5 * 60_000;

export class Sessions {
  private cache = new Map<string, Cached>();
  private listeners = new Set<(e: SessionsEnded) => void>();
  /** Recently ended session ids: a socket whose handshake read its session just before it ended is refused. */
  private ended = new Map<string, number>();

  /** Hears every end of a session (sign-out, expiry, revoke) and every change of a user's rights, at once. */
  onEnded(fn: (e: SessionsEnded) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Whether a session id ended within the last few minutes. */
  wasEnded(id: string): boolean {
    return this.ended.has(id);
  }

  private notify(e: SessionsEnded): void {
    const now = this.now();
    for (const id of e.sessionIds) this.ended.set(id, now);
    for (const [id, at] of this.ended) if (now - at > TOMBSTONE_MS) this.ended.delete(id);
    for (const fn of this.listeners) fn(e);
  }

  constructor(
    private pool: pg.Pool,
    private opts: { idleMs: number; absoluteMs: number },
    private now: () => number = Date.now,
  ) {}

  /** A new session; a kiosk session (see kiosk.ts) names its token and may end later than `absoluteMs`. */
  async create(
    userId: number,
    ip: string | undefined,
    userAgent: string | undefined,
    kiosk?: { tokenId: string; expiresAt: number },
  ): Promise<{ token: string; csrf: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const now = this.now();
    const expiresAt = kiosk?.expiresAt ?? now + this.opts.absoluteMs;
    await this.pool.query(
      `INSERT INTO sessions (id, user_id, csrf, created_at, last_seen, expires_at, ip, user_agent, kiosk_token)
       VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), to_timestamp($4 / 1000.0), to_timestamp($5 / 1000.0), $6, $7, $8)`,
      [sha256(token), userId, csrf, now, expiresAt, ip ?? null, userAgent?.slice(0, 200) ?? null, kiosk?.tokenId ?? null],
    );
    return { token, csrf, expiresAt };
  }

  /** The session a token names, or null when it is unknown, expired or its user disabled. */
  async resolve(token: string | undefined): Promise<ResolvedSession | null> {
    if (!token || token.length > 100) return null;
    const id = sha256(token);
    const now = this.now();
    let s = this.cache.get(id);
    if (!s || now - s.checkedAt > RECHECK_MS) {
      s = (await this.load(id)) ?? undefined;
      if (!s) {
        this.cache.delete(id);
        return null;
      }
      this.cache.set(id, s);
    }
    if (now >= s.expiresAt || (!s.kiosk && now - s.lastSeen >= this.opts.idleMs)) {
      await this.destroyById(id);
      return null;
    }
    if (now - s.lastSeen >= TOUCH_EVERY_MS) {
      s.lastSeen = now;
      await this.pool.query('UPDATE sessions SET last_seen = to_timestamp($2 / 1000.0) WHERE id = $1', [id, now]);
    }
    return { id: s.id, user: s.user, csrf: s.csrf };
  }

  async destroy(token: string | undefined): Promise<void> {
    if (token) await this.destroyById(sha256(token));
  }

  async destroyById(id: string): Promise<void> {
    this.cache.delete(id);
    await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
    this.notify({ sessionIds: [id], userIds: [] });
  }

  /** Ends every session of a user (password change, account disabled). */
  async destroyForUser(userId: number): Promise<void> {
    for (const [id, s] of this.cache) if (s.user.id === userId) this.cache.delete(id);
    const { rows } = await this.pool.query('DELETE FROM sessions WHERE user_id = $1 RETURNING id', [userId]);
    this.notify({ sessionIds: rows.map((r) => r.id), userIds: [userId] });
  }

  /** Ends the sessions made from kiosk tokens (full ids): a revoked wall stops at once. */
  async destroyForKioskTokens(tokenIds: string[]): Promise<void> {
    const { rows } = await this.pool.query('DELETE FROM sessions WHERE kiosk_token = ANY ($1) RETURNING id', [tokenIds]);
    for (const r of rows) this.cache.delete(r.id);
    this.notify({ sessionIds: rows.map((r) => r.id), userIds: [] });
  }

  /**
   * A user's role, district or account changed: call this after writing the change (the one hook
   * for an admin page, the CLI, a seed). Their sessions stay, but are re-read on the next request,
   * and their sockets are disconnected at once; the console reconnects and joins the rooms of its
   * new rights. A process without the live server (the CLI) relies on the socket recheck instead.
   */
  userChanged(userId: number): void {
    for (const [id, s] of this.cache) if (s.user.id === userId) this.cache.delete(id);
    this.notify({ sessionIds: [], userIds: [userId] });
  }

  private async load(id: string): Promise<Cached | null> {
    const { rows } = await this.pool.query(
      `SELECT s.id, s.csrf, s.kiosk_token IS NOT NULL AS kiosk, extract(epoch FROM s.last_seen) * 1000 AS last_seen, extract(epoch FROM s.expires_at) * 1000 AS expires_at,
              u.id AS user_id, u.username, u.display_name, u.district, d.name_zh AS district_name, d.level,
              -- A kiosk session is read-only whatever becomes of its account's role.
              CASE WHEN s.kiosk_token IS NULL THEN u.role ELSE 'viewer' END AS role
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN districts d ON d.code = u.district
       WHERE s.id = $1 AND NOT u.disabled`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      csrf: r.csrf,
      lastSeen: Number(r.last_seen),
      kiosk: r.kiosk,
      expiresAt: Number(r.expires_at),
      checkedAt: this.now(),
      user: { id: r.user_id, username: r.username, displayName: r.display_name, role: r.role, district: r.district, districtName: r.district_name, level: r.level },
    };
  }
}
