// Seeds the accounts: `admin` (HQ supervisor) always, and with the demo world one user per
// level and role. Passwords come from the environment; a missing admin password is generated
// and printed once.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { hashPassword } from './passwords';
import type { Role } from './sessions';

export const DEFAULT_DEMO_PASSWORD = 'demo-2026';

interface SeedUser {
  username: string;
  displayName: string;
  role: Role;
  district: string;
}

/** One per level (HQ 0000, Shanghai direct 2200, Yangshan office 2248) and role, plus Ningbo and Hangzhou. */
export const DEMO_USERS: SeedUser[] = [
  { username: 'hq-viewer', displayName: '总署值班员', role: 'viewer', district: '0000' },
  { username: 'hq-officer', displayName: '总署监控员', role: 'officer', district: '0000' },
  { username: 'hq-supervisor', displayName: '总署主管', role: 'supervisor', district: '0000' },
  { username: 'sh-viewer', displayName: '上海海关值班员', role: 'viewer', district: '2200' },
  { username: 'sh-officer', displayName: '上海海关监控员', role: 'officer', district: '2200' },
  { username: 'sh-supervisor', displayName: '上海海关主管', role: 'supervisor', district: '2200' },
  { username: 'ys-viewer', displayName: '洋山海关值班员', role: 'viewer', district: '2248' },
  { username: 'ys-officer', displayName: '洋山海关监控员', role: 'officer', district: '2248' },
  { username: 'ys-supervisor', displayName: '洋山海关主管', role: 'supervisor', district: '2248' },
  { username: 'nb-officer', displayName: '宁波海关监控员', role: 'officer', district: '3100' },
  { username: 'hz-officer', displayName: '杭州海关监控员', role: 'officer', district: '2900' },
];

async function upsert(pool: pg.Pool, u: SeedUser, password: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO users (username, password_hash, display_name, role, district)
     SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM districts WHERE code = $5)
     ON CONFLICT (username) DO NOTHING`,
    [u.username, await hashPassword(password), u.displayName, u.role, u.district],
  );
  return (rowCount ?? 0) > 0;
}

export async function seedUsers(pool: pg.Pool, opts: { adminPassword?: string; demoPassword?: string; demo: boolean }, say: (msg: string) => void): Promise<void> {
  const exists = await pool.query(`SELECT 1 FROM users WHERE username = 'admin'`);
  if (exists.rowCount === 0) {
    const password = opts.adminPassword ?? randomBytes(12).toString('base64url');
    const created = await upsert(pool, { username: 'admin', displayName: '系统管理员', role: 'supervisor', district: '0000' }, password);
    if (!created) say('No account "admin" created: district 0000 (HQ) is missing from the database');
    else if (opts.adminPassword) say('Created the HQ supervisor account "admin": sign in at /login as admin with the password in TW_ADMIN_PASSWORD');
    else say(`Created the HQ supervisor account "admin": sign in at /login as admin with the generated password ${password}  (shown once; set TW_ADMIN_PASSWORD to choose it)`);
  }
  if (!opts.demo) return;
  const have = await pool.query<{ username: string }>('SELECT username FROM users WHERE username = ANY($1)', [DEMO_USERS.map((u) => u.username)]);
  const missing = DEMO_USERS.filter((u) => !have.rows.some((r) => r.username === u.username));
  for (const u of missing) await upsert(pool, u, opts.demoPassword ?? DEFAULT_DEMO_PASSWORD);
  if (missing.length) say(`Created ${missing.length} demo accounts (hq-/sh-/ys-viewer, -officer, -supervisor; nb-officer, hz-officer) with the demo password`);
}
