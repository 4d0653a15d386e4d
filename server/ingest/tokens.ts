// Ingest tokens: the credential of each source system (a gate, a warehouse system, a partner
// platform) that posts to /api/ingest/*. A token has a name, a district scope and what it may
// post (positions, events or both). Only its SHA-256 is stored; it is shown once when issued
// (`transitwatch ingest-token`) and revoked by name. Whatever a system posts is stored with the
// source `http:<name>`, never a source the body claims; a signed-in supervisor posts as
// `user:<username>` within their own jurisdiction.
//
// INGEST_TOKEN (the environment) is kept as a legacy token named `env`: HQ scope, both kinds.
// It is one shared secret with national reach, so it is meant for a single trusted bridge or
// tests; real systems get their own scoped tokens.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { auditNow } from '../audit';
import { sha256 } from '../auth/sessions';
import { bearerMatches } from '../http/guard';
import { conflict, invalid, notFound } from '@/server/errors';
import { LINK_SYSTEMS, type LinkSystemName } from '../links/types';

/** positions, events or both (/api/ingest/*); links: every customs link, link:<system>: one (/api/links/*). */
export const INGEST_TOKEN_KINDS = ['positions', 'events', 'both', 'links', ...LINK_SYSTEMS.map((s) => `link:${s}` as const)] as const;
export type IngestTokenKind = (typeof INGEST_TOKEN_KINDS)[number];
/** What one call posts. */
export type IngestKind = 'positions' | 'events' | `link:${LinkSystemName}`;

export const LEGACY_TOKEN_NAME = 'env';
export const TOKEN_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,39}$/;
const TOKEN_PREFIX = 'twi_';

/** Who is posting to /api/ingest/*, as far as the server knows it (never from the body). */
export interface IngestCaller {
  /** The `source` stored with what it posts: `http:<token name>` or `user:<username>`. */
  source: string;
  /** The token name or username. */
  name: string;
  via: 'token' | 'session';
  /** District scope: that district and those below it (HQ: everything). */
  district: string;
  may: ReadonlySet<IngestKind>;
  userId: number | null;
}

const ALL_LINKS: IngestKind[] = LINK_SYSTEMS.map((s) => `link:${s}` as const);
const kindsOf = (kind: IngestTokenKind): ReadonlySet<IngestKind> => new Set(kind === 'both' ? ['positions', 'events'] : kind === 'links' ? ALL_LINKS : [kind]);

export interface IssuedIngestToken {
  name: string;
  district: string;
  kind: IngestTokenKind;
  /** The token itself: shown once. */
  token: string;
  source: string;
}

/** Issues a token. With `issuer` (a supervisor), the district must lie within the issuer's jurisdiction; the CLI passes none. */
export async function issueIngestToken(
  pool: pg.Pool,
  opts: { name: string; district: string; kind: string; issuer?: { id: number; username: string; district: string }; ip?: string },
): Promise<IssuedIngestToken> {
  if (!TOKEN_NAME_PATTERN.test(opts.name)) throw invalid('name: 1 to 40 of a-z 0-9 _ . -, starting with a letter or digit');
  if (opts.name === LEGACY_TOKEN_NAME) throw invalid(`name: "${LEGACY_TOKEN_NAME}" is the INGEST_TOKEN's`);
  if (!(INGEST_TOKEN_KINDS as readonly string[]).includes(opts.kind)) throw invalid(`kind: one of ${INGEST_TOKEN_KINDS.join(', ')}`);
  const kind = opts.kind as IngestTokenKind;
  const { rows } = await pool.query(`SELECT d.code, ($2::text IS NULL OR is_hq($2) OR d.code = ANY (visible_districts($2))) AS within FROM districts d WHERE d.code = $1`, [
    opts.district,
    opts.issuer?.district ?? null,
  ]);
  if (!rows[0] || !rows[0].within) throw notFound(`district: no district ${opts.district}`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  try {
    await pool.query(`INSERT INTO ingest_tokens (id, name, district, kind, created_by) VALUES ($1, $2, $3, $4, $5)`, [
      sha256(token),
      opts.name,
      opts.district,
      kind,
      opts.issuer?.id ?? null,
    ]);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw conflict(`name: a token named ${opts.name} exists or existed (names are not reused)`);
    throw err;
  }
  await auditNow(pool, {
    userId: opts.issuer?.id ?? null,
    username: opts.issuer?.username ?? 'cli',
    action: 'ingest_token_issued',
    entity: 'ingest_token',
    entityId: opts.name,
    after: { district: opts.district, kind },
    ip: opts.ip ?? null,
  });
  return { name: opts.name, district: opts.district, kind, token, source: `http:${opts.name}` };
}

/** Revokes a token by name (within the revoker's jurisdiction, when one is given). False when there is none to revoke. */
export async function revokeIngestToken(pool: pg.Pool, name: string, by?: { id: number; username: string; district: string }, ip?: string): Promise<boolean> {
  const { rows } = await pool.query(
    `UPDATE ingest_tokens SET revoked_at = now()
     WHERE name = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR is_hq($2) OR district = ANY (visible_districts($2)))
     RETURNING name`,
    [name, by?.district ?? null],
  );
  if (!rows[0]) return false;
  await auditNow(pool, { userId: by?.id ?? null, username: by?.username ?? 'cli', action: 'ingest_token_revoked', entity: 'ingest_token', entityId: name, ip: ip ?? null });
  return true;
}

export interface IngestTokenInfo {
  name: string;
  district: string;
  kind: IngestTokenKind;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export async function listIngestTokens(pool: pg.Pool): Promise<IngestTokenInfo[]> {
  const { rows } = await pool.query<IngestTokenInfo>(
    `SELECT name, district, kind, created_at AS "createdAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt" FROM ingest_tokens ORDER BY name`,
  );
  return rows;
}

/** Checks bearer tokens on /api/ingest/*: a stored, unrevoked token, or the legacy INGEST_TOKEN. */
export class IngestTokens {
  private hqCode: Promise<string> | undefined;

  constructor(
    private pool: pg.Pool,
    private legacyToken?: string,
  ) {}

  /** The caller a `Bearer …` header names, or null (absent, malformed, unknown or revoked). */
  async verify(authorization: string | null | undefined): Promise<IngestCaller | null> {
    if (!authorization?.startsWith('Bearer ') || authorization.length > 300) return null;
    if (this.legacyToken && bearerMatches(authorization, this.legacyToken)) {
      return { source: `http:${LEGACY_TOKEN_NAME}`, name: LEGACY_TOKEN_NAME, via: 'token', district: await this.hq(), may: kindsOf('both'), userId: null };
    }
    const token = authorization.slice('Bearer '.length);
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const { rows } = await this.pool.query<{ name: string; district: string; kind: IngestTokenKind; stale: boolean }>(
      `SELECT name, district, kind, (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale
       FROM ingest_tokens WHERE id = $1 AND revoked_at IS NULL`,
      [sha256(token)],
    );
    const t = rows[0];
    if (!t) return null;
    if (t.stale) void this.pool.query('UPDATE ingest_tokens SET last_used_at = now() WHERE id = $1', [sha256(token)]).catch(() => {});
    return { source: `http:${t.name}`, name: t.name, via: 'token', district: t.district, may: kindsOf(t.kind), userId: null };
  }

  /** The HQ district's code (the legacy token's scope); '0000' by the customs convention when none is stored yet. */
  private hq(): Promise<string> {
    this.hqCode ??= this.pool.query<{ code: string }>(`SELECT code FROM districts WHERE level = 'hq' ORDER BY code LIMIT 1`).then(
      ({ rows }) => {
        if (!rows[0]) this.hqCode = undefined; // look again next time: the world may not be seeded yet
        return rows[0]?.code ?? '0000';
      },
      (err: Error) => {
        this.hqCode = undefined;
        throw err;
      },
    );
    return this.hqCode;
  }
}

/** A signed-in supervisor posting by hand: their own name and jurisdiction. */
export function sessionCaller(user: { id: number; username: string; district: string }): IngestCaller {
  return { source: `user:${user.username}`, name: user.username, via: 'session', district: user.district, may: new Set([...kindsOf('both'), ...ALL_LINKS]), userId: user.id };
}
