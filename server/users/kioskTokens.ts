// The kiosk tokens a supervisor may see (/api/kiosk-tokens, /admin/kiosk): those of viewer accounts
// in their jurisdiction, with who issued them, use, expiry and revocation. Never the token: only its
// id (the first 16 hex digits of its SHA-256, what issuing returned and revoking takes).
import type pg from 'pg';

export interface KioskTokenOut {
  id: string;
  username: string;
  district: string;
  label: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  changedBy: string | null;
  changedAt: string | null;
}

const iso = (t: Date | null): string | null => (t ? t.toISOString() : null);

export async function listKioskTokens(pool: pg.Pool, district: string): Promise<KioskTokenOut[]> {
  const { rows } = await pool.query(
    `SELECT left(k.id, 16) AS id, u.username, u.district, k.label, c.username AS created_by, k.created_at, k.expires_at, k.revoked_at, k.last_used_at,
            ch.username AS changed_by, ch.at AS changed_at
     FROM kiosk_tokens k JOIN users u ON u.id = k.user_id LEFT JOIN users c ON c.id = k.created_by
     -- The last change (issued, revoked), not a wall signing in with it.
     LEFT JOIN LATERAL (SELECT a.username, a.time AS at FROM audit_log a WHERE a.entity = 'kiosk_token' AND a.entity_id = left(k.id, 16) AND a.action <> 'kiosk_sign_in'
                        ORDER BY a.id DESC LIMIT 1) ch ON true
     WHERE is_hq($1) OR u.district = ANY (visible_districts($1))
     ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC`,
    [district],
  );
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    district: r.district,
    label: r.label,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at),
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
    changedBy: r.changed_by,
    changedAt: iso(r.changed_at),
  }));
}
