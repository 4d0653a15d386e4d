// The national side of the link (README.md): GET /api/federation/cursor and POST
// /api/federation/batches, both signed by the region (./regions.ts, server/links/signing.ts).
// Unknown region and bad signature: the same 401; stale timestamp: 401; replayed nonce: 409;
// malformed body: 400 with the reason; a batch that does not start at the cursor: 409 with the
// cursor. Kept free of server-only modules (logging, metrics): the Next route handlers import it.
import type pg from 'pg';
import { z } from 'zod';
import { ApiError, json } from '@/server/http/api';
import { SignedCallError } from '@/server/links/signing';
import type { SecretBox } from '@/server/secrets/sealed';
import { verifyRegionCall, type SignedRegion } from './regions';
import { CursorMismatch, regionCursor, storeBatch } from './store';
import { WireBatch } from './wire';

export interface ReceiverContext {
  pool: pg.Pool;
  secrets?: SecretBox;
  windowSeconds: number;
  /** The server's counters (tw_federation_received_entries_total, tw_federation_refused_total): reached through the context, as a Next route's bundle has its own copy of server/metrics.ts, which /metrics never serves. */
  count?: FederationCounters;
}

export interface FederationCounters {
  received(entries: number): void;
  refused(reason: 'unsigned' | 'stale' | 'signature' | 'replay' | 'body' | 'cursor'): void;
}

async function signedRegion(ctx: ReceiverContext, request: Request, body: Buffer): Promise<SignedRegion> {
  if (!ctx.secrets) throw new ApiError(503, 'secrets are not available');
  try {
    return await verifyRegionCall(
      ctx.pool,
      ctx.secrets,
      { method: request.method, path: new URL(request.url).pathname, headers: request.headers, body },
      { windowSeconds: ctx.windowSeconds },
    );
  } catch (err) {
    if (!(err instanceof SignedCallError)) throw err;
    ctx.count?.refused(err.reason);
    throw new ApiError(err.status, err.message);
  }
}

export async function answerCursor(ctx: ReceiverContext, request: Request): Promise<Response> {
  const region = await signedRegion(ctx, request, Buffer.alloc(0));
  return json(await regionCursor(ctx.pool, region));
}

export async function receiveBatch(ctx: ReceiverContext, request: Request): Promise<Response> {
  const raw = Buffer.from(await request.arrayBuffer());
  const region = await signedRegion(ctx, request, raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    ctx.count?.refused('body');
    throw new ApiError(400, 'the body is not valid JSON');
  }
  const batch = WireBatch.safeParse(parsed);
  if (!batch.success) {
    ctx.count?.refused('body');
    throw new ApiError(400, batch.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  try {
    const stored = await storeBatch(ctx.pool, region, batch.data);
    ctx.count?.received(stored.stored);
    return json(stored);
  } catch (err) {
    if (!(err instanceof CursorMismatch)) throw err;
    ctx.count?.refused('cursor');
    return json({ error: err.message, region: region.code, cursor: err.cursor }, 409);
  }
}

export const RegionIdPath = z.object({ id: z.coerce.number().int().positive() });
