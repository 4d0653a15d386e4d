// Sign-in: rate-limited per user and per address, argon2id verification, a new session,
// and an audit record for every attempt.
import type pg from 'pg';
import { auditNow } from '../audit';
import { log } from '../log';
import { dummyHash, verifyPassword } from './passwords';
import { AttemptLimiter } from './rateLimit';
import type { Sessions } from './sessions';

export type SignInResult =
  | { ok: true; token: string; csrf: string; expiresAt: number }
  | { ok: false; status: 401 | 429; reason: string; retryAfterS?: number };

const WINDOW_MS = 15 * 60_000;

export class SignIn {
  private perUser = new AttemptLimiter(5, WINDOW_MS);
  private perAddress = new AttemptLimiter(20, WINDOW_MS);

  constructor(private pool: pg.Pool, private sessions: Sessions) {}

  async attempt(username: string, password: string, ip: string, userAgent?: string): Promise<SignInResult> {
    const userKey = username.toLowerCase();
    const wait = Math.max(this.perUser.retryAfter(userKey), this.perAddress.retryAfter(ip));
    if (wait > 0) {
      const retryAfterS = Math.ceil(wait / 1000);
      return { ok: false, status: 429, retryAfterS, reason: `登录尝试过多，请 ${Math.ceil(retryAfterS / 60)} 分钟后再试 · Too many sign-in attempts; try again in ${Math.ceil(retryAfterS / 60)} min` };
    }
    const { rows } = await this.pool.query('SELECT id, password_hash, disabled FROM users WHERE lower(username) = $1', [userKey]);
    const user = rows[0];
    // Verify against a dummy hash when there is no such user, so timing does not tell.
    const good = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
    if (!user || !good || user.disabled) {
      this.perUser.fail(userKey);
      this.perAddress.fail(ip);
      await auditNow(this.pool, { userId: user?.id ?? null, username, action: 'sign_in_failed', ip }).catch((err: Error) => log.error({ err: err.message }, 'audit failed'));
      return { ok: false, status: 401, reason: '用户名或密码错误 · Wrong username or password' };
    }
    this.perUser.reset(userKey);
    const session = await this.sessions.create(user.id, ip, userAgent);
    await auditNow(this.pool, { userId: user.id, username, action: 'sign_in', ip });
    return { ok: true, ...session };
  }
}
