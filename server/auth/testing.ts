// Test helpers: an account and a session cookie without going through the sign-in page.
import type pg from 'pg';
import { SESSION_COOKIE } from './cookies';
import type { Role, Sessions } from './sessions';

/** Creates a user (and, when missing, an HQ district covering China to hang it on). */
export async function createTestUser(pool: pg.Pool, opts: { username: string; role?: Role; district?: string }): Promise<number> {
  await pool.query(
    `INSERT INTO districts (code, name_zh, name_en, level, area)
     VALUES ('0000', '海关总署', 'General Administration of Customs', 'hq', ST_Multi(ST_MakeEnvelope(73, 3, 136, 54, 4326)))
     ON CONFLICT (code) DO NOTHING`,
  );
  const { rows } = await pool.query(
    `INSERT INTO users (username, password_hash, role, district) VALUES ($1, 'no sign-in', $2, $3)
     ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role RETURNING id`,
    [opts.username, opts.role ?? 'viewer', opts.district ?? '0000'],
  );
  return rows[0].id;
}

export async function sessionCookie(sessions: Sessions, userId: number): Promise<string> {
  const { token } = await sessions.create(userId, '127.0.0.1', 'test');
  return `${SESSION_COOKIE}=${token}`;
}
