// Sign-in: rate-limited per (user, address) with exponential backoff and per address with a cap,
// argon2id verification, a new session, and an audit record for every attempt.
// Per (user, address), not per user: a stranger's wrong passwords from elsewhere must not lock
// the real user out. The per-address cap stops one address spraying many accounts.
import type pg from 'pg';
import { auditNow } from '../audit';
import { log } from '../log';
import { dummyHash, verifyPassword } from './passwords';
import { AttemptLimiter, BackoffLimiter, type BackoffOptions } from './rateLimit';
import type { Sessions } from './sessions';

export type SignInResult = { ok: true; token: string; csrf: string; expiresAt: number } | { ok: false; status: 401 | 429; reason: string; retryAfterS?: number };

export interface SignInLimits {
  perUserAddress: BackoffOptions;
  /** Failures from one address, whatever the user names, in `addressWindowMs`. */
  perAddressMax: number;
  addressWindowMs: number;
}

export const SIGN_IN_LIMITS: SignInLimits = {
  // 5 free tries, then 2 s, 4 s, 8 s, … up to 15 min between tries; forgotten after a quiet day.
  perUserAddress: { free: 5, baseMs: 2_000, maxMs: 15 * 60_000, forgetMs: 24 * 3_600_000 },
  perAddressMax: 20,
  addressWindowMs: 15 * 60_000,
};

const waitZh = (s: number) => (s < 60 ? `${s} 秒` : `${Math.ceil(s / 60)} 分钟`);
const waitEn = (s: number) => (s < 60 ? `${s} s` : `${Math.ceil(s / 60)} min`);

export class SignIn {
  private perUserAddress: BackoffLimiter;
  private perAddress: AttemptLimiter;

  constructor(
    private pool: pg.Pool,
    private sessions: Sessions,
    limits: SignInLimits = SIGN_IN_LIMITS,
    now: () => number = Date.now,
  ) {
    this.perUserAddress = new BackoffLimiter(limits.perUserAddress, now);
    this.perAddress = new AttemptLimiter(limits.perAddressMax, limits.addressWindowMs, now);
  }

  async attempt(username: string, password: string, ip: string, userAgent?: string): Promise<SignInResult> {
    const name = username.toLowerCase();
    const key = `${name}\n${ip}`;
    const wait = Math.max(this.perUserAddress.retryAfter(key), this.perAddress.retryAfter(ip));
    if (wait > 0) {
      const retryAfterS = Math.ceil(wait / 1000);
      return { ok: false, status: 429, retryAfterS, reason: `登录尝试过多，请 ${waitZh(retryAfterS)}后再试 · Too many sign-in attempts; try again in ${waitEn(retryAfterS)}` };
    }
    const { rows } = await this.pool.query('SELECT id, password_hash, disabled FROM users WHERE lower(username) = $1', [name]);
    const user = rows[0];
    // Verify against a dummy hash when there is no such user, so timing does not tell.
    const good = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
    if (!user || !good || user.disabled) {
      this.perUserAddress.fail(key);
      this.perAddress.fail(ip);
      await auditNow(this.pool, { userId: user?.id ?? null, username, action: 'sign_in_failed', ip }).catch((err: Error) => log.error({ err: err.message }, 'audit failed'));
      return { ok: false, status: 401, reason: '用户名或密码错误 · Wrong username or password' };
    }
    this.perUserAddress.reset(key);
    const session = await this.sessions.create(user.id, ip, userAgent);
    await auditNow(this.pool, { userId: user.id, username, action: 'sign_in', ip });
    return { ok: true, ...session };
  }
}
