// Provisioned warehouse systems and the check of their signed calls. A system is trusted only once
// a supervisor (or the machine's operator, with the CLI) issued it: a name (X-TW-System), a
// district, the site codes it reports on (all within that district) and a secret shown once. Issue
// and revocation are audited. The secret is kept sealed (server/secrets/sealed.ts).
import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '@/db/transaction';
import { audit } from '@/server/audit';
import { conflict, forbidden, invalid, notFound } from '@/server/errors';
import { newSharedSecret, type SecretBox } from '@/server/secrets/sealed';
import type { LinkCaller } from '../types';
import { verifySignedCall } from '../signing';
import { SYSTEM_PATTERN } from './signature';

/** Who provisions: a supervisor's session user, or undefined for the CLI (the machine's operator, HQ scope). */
export interface Provisioner {
  id: number;
  username: string;
  district: string;
}

export const WmsSystemBody = z
  .object({
    name: z.string().regex(SYSTEM_PATTERN, 'a name of 2–40 lower-case letters, digits, _ or -'),
    district: z.string().regex(/^[0-9]{4}$/, 'a 4-digit district code'),
    sites: z
      .array(z.string().trim().min(1).max(32))
      .min(1)
      .max(200)
      .transform((s) => [...new Set(s)]),
  })
  .strict();
export type WmsSystemBody = z.infer<typeof WmsSystemBody>;

export interface WmsSystemOut {
  id: number;
  name: string;
  district: string;
  sites: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const aad = (name: string) => `wms:${name}`;
const OUT = `id::int, name, district, sites, created_by AS "createdBy", created_at AS "createdAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

/** Issues a system; the secret is in this answer only. */
export async function issueWmsSystem(
  pool: pg.Pool,
  box: SecretBox,
  body: WmsSystemBody,
  by: Provisioner | undefined,
  ip: string | null,
): Promise<WmsSystemOut & { secret: string }> {
  return withTransaction(pool, async (c) => {
    const actorDistrict = by?.district ?? '0000';
    const ok = await c.query<{ ok: boolean }>('SELECT (is_hq($1) OR $2 = ANY (visible_districts($1))) AS ok FROM districts WHERE code = $2', [actorDistrict, body.district]);
    if (!ok.rows[0]) throw invalid(`district: no district ${body.district}`);
    if (!ok.rows[0].ok) throw forbidden(`district ${body.district} is outside your jurisdiction`);
    const sites = await c.query<{ code: string }>('SELECT code FROM sites WHERE code = ANY ($1) AND district = ANY (visible_districts($2))', [body.sites, body.district]);
    const missing = body.sites.filter((s) => !sites.rows.some((r) => r.code === s));
    if (missing.length) throw invalid(`sites: ${missing.slice(0, 10).join(', ')} ${missing.length === 1 ? 'is not a site' : 'are not sites'} of district ${body.district}`);
    const secret = newSharedSecret();
    const { rows } = await c.query<WmsSystemOut>(
      `INSERT INTO wms_systems (name, district, sites, secret, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO NOTHING RETURNING ${OUT}`,
      [body.name, body.district, body.sites, box.seal(secret, aad(body.name)), by?.username ?? 'cli'],
    );
    if (!rows[0]) throw conflict(`a WMS system named ${body.name} exists (names are never reused)`);
    await audit(c, { userId: by?.id ?? null, username: by?.username ?? 'cli', action: 'wms_system_issue', entity: 'wms_system', entityId: rows[0].id, after: rows[0], ip });
    return { ...rows[0], secret };
  });
}

export async function listWmsSystems(pool: pg.Pool, district: string): Promise<WmsSystemOut[]> {
  const { rows } = await pool.query<WmsSystemOut>(`SELECT ${OUT} FROM wms_systems WHERE is_hq($1) OR district = ANY (visible_districts($1)) ORDER BY name`, [district]);
  return rows;
}

/** Revokes a system in the actor's jurisdiction (audited); its calls are refused from then on. */
export async function revokeWmsSystem(pool: pg.Pool, id: number, by: Provisioner | undefined, ip: string | null): Promise<WmsSystemOut> {
  return withTransaction(pool, async (c) => {
    const before = (
      await c.query<WmsSystemOut>(`SELECT ${OUT} FROM wms_systems WHERE id = $1 AND (is_hq($2) OR district = ANY (visible_districts($2))) FOR UPDATE`, [id, by?.district ?? '0000'])
    ).rows[0];
    if (!before) throw notFound('no such WMS system');
    if (before.revokedAt) return before;
    const after = (await c.query<WmsSystemOut>(`UPDATE wms_systems SET revoked_at = now() WHERE id = $1 RETURNING ${OUT}`, [id])).rows[0]!;
    await audit(c, { userId: by?.id ?? null, username: by?.username ?? 'cli', action: 'wms_system_revoke', entity: 'wms_system', entityId: id, before, after, ip });
    return after;
  });
}

/** A refused call (401 or 409): the shared signed-call error (../signing.ts). */
export { SignedCallError as WmsAuthError } from '../signing';

/**
 * Checks a call's signature, timestamp and nonce (../signing.ts); the caller it acts as (source
 * `wms:<name>`, its district and sites). Stale or badly signed: 401; unknown system and bad
 * signature give the same answer. A nonce seen before (within the window): 409.
 */
export async function verifyWmsCall(
  pool: pg.Pool,
  box: SecretBox,
  req: { method: string; path: string; headers: Headers; body: Buffer },
  opts: { windowSeconds: number; now?: number },
): Promise<LinkCaller & { systemId: number }> {
  type Row = { id: string; district: string; sites: string[] };
  const { name, row } = await verifySignedCall<Row>(
    req,
    {
      async lookup(system) {
        const r = (await pool.query<Row & { secret: string }>('SELECT id, district, sites, secret FROM wms_systems WHERE name = $1 AND revoked_at IS NULL', [system])).rows[0];
        return r && { secret: box.open(r.secret, aad(system)), row: r };
      },
      async spendNonce(r, nonce) {
        const fresh = await pool.query('INSERT INTO wms_nonces (system_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING', [r.id, nonce]);
        return fresh.rowCount !== 0;
      },
    },
    opts,
  );
  const systemId = Number(row.id);
  await pool.query('UPDATE wms_systems SET last_used_at = now() WHERE id = $1', [systemId]);
  await pruneNonces(pool, opts.windowSeconds, opts.now ?? Date.now());
  return { source: `wms:${name}`, district: row.district, sites: row.sites, userId: null, via: 'http', systemId };
}

let lastPrune = 0;
/** Forgets nonces older than twice the window (at most once a minute): their timestamps are stale. */
async function pruneNonces(pool: pg.Pool, windowSeconds: number, now: number): Promise<void> {
  if (now - lastPrune < 60_000) return;
  lastPrune = now;
  await pool.query('DELETE FROM wms_nonces WHERE seen_at < now() - make_interval(secs => $1)', [2 * windowSeconds]);
}
