// The regions a national node accepts forwarded ledgers from (README.md). HQ provisions one: a code
// (what the region signs as, X-TW-System), a name and a secret shown once, kept sealed like the WMS
// systems' (server/secrets/sealed.ts) because HMAC needs it raw. Issue and revocation are audited.
import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '@/db/transaction';
import { audit } from '@/server/audit';
import { conflict, forbidden, notFound } from '@/server/errors';
import { SYSTEM_PATTERN, verifySignedCall } from '@/server/links/signing';
import { newSharedSecret, type SecretBox } from '@/server/secrets/sealed';

/** Who provisions: an HQ session user, or undefined for the CLI (the machine's operator). */
export interface RegionProvisioner {
  id: number;
  username: string;
  district: string;
}

export const RegionBody = z
  .object({
    code: z.string().regex(SYSTEM_PATTERN, 'a code of 2–40 lower-case letters, digits, _ or -'),
    name: z.string().trim().min(1).max(100),
  })
  .strict();
export type RegionBody = z.infer<typeof RegionBody>;

export interface RegionOut {
  id: number;
  code: string;
  name: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  /** The cursor: the last seq of the region's ledger stored here. */
  lastSeq: number;
  /** The region's newest seq when it last sent; lag = headSeq - lastSeq. */
  headSeq: number;
  lag: number;
  lastBatchAt: string | null;
}

const aad = (code: string) => `federation:${code}`;
const OUT = `id::int, code, name, created_by AS "createdBy", created_at AS "createdAt", revoked_at AS "revokedAt", last_seq::float8 AS "lastSeq",
  head_seq::float8 AS "headSeq", greatest(head_seq - last_seq, 0)::float8 AS lag, last_batch_at AS "lastBatchAt"`;

async function requireHq(c: pg.ClientBase, by: RegionProvisioner | undefined): Promise<void> {
  if (!by) return;
  const hq = (await c.query<{ hq: boolean }>('SELECT is_hq($1) AS hq', [by.district])).rows[0]?.hq;
  if (!hq) throw forbidden('regions are provisioned by HQ only');
}

export async function issueRegion(pool: pg.Pool, box: SecretBox, body: RegionBody, by: RegionProvisioner | undefined, ip: string | null): Promise<RegionOut & { secret: string }> {
  return withTransaction(pool, async (c) => {
    await requireHq(c, by);
    const secret = newSharedSecret();
    const { rows } = await c.query<RegionOut>(
      `INSERT INTO federation_regions (code, name, secret, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING ${OUT}`,
      [body.code, body.name, box.seal(secret, aad(body.code)), by?.username ?? 'cli'],
    );
    if (!rows[0]) throw conflict(`a region with code ${body.code} exists (codes are never reused)`);
    await audit(c, {
      userId: by?.id ?? null,
      username: by?.username ?? 'cli',
      action: 'federation_region_issue',
      entity: 'federation_region',
      entityId: rows[0].id,
      after: rows[0],
      ip,
    });
    return { ...rows[0], secret };
  });
}

export async function listRegions(pool: pg.Pool): Promise<RegionOut[]> {
  return (await pool.query<RegionOut>(`SELECT ${OUT} FROM federation_regions ORDER BY code`)).rows;
}

export async function regionByCode(pool: pg.Pool, code: string): Promise<RegionOut | undefined> {
  return (await pool.query<RegionOut>(`SELECT ${OUT} FROM federation_regions WHERE code = $1`, [code])).rows[0];
}

/** Revokes a region (HQ, audited): its calls are refused from then on; what it forwarded stays. */
export async function revokeRegion(pool: pg.Pool, id: number, by: RegionProvisioner | undefined, ip: string | null): Promise<RegionOut> {
  return withTransaction(pool, async (c) => {
    await requireHq(c, by);
    const before = (await c.query<RegionOut>(`SELECT ${OUT} FROM federation_regions WHERE id = $1 FOR UPDATE`, [id])).rows[0];
    if (!before) throw notFound('no such region');
    if (before.revokedAt) return before;
    const after = (await c.query<RegionOut>(`UPDATE federation_regions SET revoked_at = now() WHERE id = $1 RETURNING ${OUT}`, [id])).rows[0]!;
    await audit(c, { userId: by?.id ?? null, username: by?.username ?? 'cli', action: 'federation_region_revoke', entity: 'federation_region', entityId: id, before, after, ip });
    return after;
  });
}

export interface SignedRegion {
  id: number;
  code: string;
}

let lastPrune = 0;

/**
 * Checks a region's signed call (server/links/signing.ts, as the WMS link does): stale, unsigned,
 * unknown or badly signed → SignedCallError 401 (one answer for unknown and bad signature);
 * a nonce seen before → 409.
 */
export async function verifyRegionCall(
  pool: pg.Pool,
  box: SecretBox,
  req: { method: string; path: string; headers: Headers; body: Buffer },
  opts: { windowSeconds: number; now?: number },
): Promise<SignedRegion> {
  const { name, row } = await verifySignedCall<{ id: string }>(
    req,
    {
      async lookup(code) {
        const r = (await pool.query<{ id: string; secret: string }>('SELECT id, secret FROM federation_regions WHERE code = $1 AND revoked_at IS NULL', [code])).rows[0];
        return r && { secret: box.open(r.secret, aad(code)), row: { id: r.id } };
      },
      async spendNonce(r, nonce) {
        return (await pool.query('INSERT INTO federation_nonces (region_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING', [r.id, nonce])).rowCount !== 0;
      },
    },
    opts,
  );
  const now = opts.now ?? Date.now();
  if (now - lastPrune > 60_000) {
    lastPrune = now;
    await pool.query('DELETE FROM federation_nonces WHERE seen_at < now() - make_interval(secs => $1)', [2 * opts.windowSeconds]);
  }
  return { id: Number(row.id), code: name };
}
