// The signature of a signed call from a provisioned partner: a WMS (wms/README.md) or a regional
// deployment's federation link (../federation/README.md). The signed string is five lines joined by "\n":
//
//   METHOD            upper case, e.g. POST
//   PATH              the request path without the query, e.g. /api/links/wms, /api/federation/batches
//   TIMESTAMP         X-TW-Timestamp: Unix seconds, decimal
//   NONCE             X-TW-Nonce: 16–64 of [A-Za-z0-9_-], new for every call
//   SHA256(BODY)      lower-case hex SHA-256 of the raw body bytes
//
// X-TW-Signature: sha256=<lower-case hex HMAC-SHA256(secret, that string)>, the secret as the
// UTF-8 bytes of the string issued. Hashing the body first keeps the signed string small and
// leaves no doubt where the body ends.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SYSTEM_HEADER = 'x-tw-system';
export const TIMESTAMP_HEADER = 'x-tw-timestamp';
export const NONCE_HEADER = 'x-tw-nonce';
export const SIGNATURE_HEADER = 'x-tw-signature';
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const SYSTEM_PATTERN = /^[a-z0-9][a-z0-9_-]{1,39}$/;

export function canonicalString(method: string, path: string, timestamp: string, nonce: string, body: Buffer | string): string {
  const digest = createHash('sha256').update(body).digest('hex');
  return `${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${digest}`;
}

export function sign(secret: string, method: string, path: string, timestamp: string, nonce: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret)
    .update(canonicalString(method, path, timestamp, nonce, body))
    .digest('hex')}`;
}

/** Constant-time comparison of a presented signature with the expected one (any length). */
export function signatureMatches(presented: string, expected: string): boolean {
  // Compare digests of both, so that the time does not depend on where they differ or on their lengths.
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}

/** The headers a signed call carries (a partner's client, the federation forwarder, the tests). */
export function signedHeaders(system: string, secret: string, body: string, opts: { method?: string; path: string; timestamp?: number; nonce?: string }): Record<string, string> {
  const method = opts.method ?? 'POST';
  const path = opts.path;
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomBytes(24).toString('base64url');
  return {
    'content-type': 'application/json',
    [SYSTEM_HEADER]: system,
    [TIMESTAMP_HEADER]: ts,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: sign(secret, method, path, ts, nonce, body),
  };
}

/** A refused call: the status, the reason for the sender, and the metric's reason label. */
export class SignedCallError extends Error {
  constructor(
    public status: 401 | 409,
    message: string,
    public reason: 'unsigned' | 'stale' | 'signature' | 'replay',
  ) {
    super(message);
  }
}

/** A key nothing was sealed with: an unknown caller's call is checked against it, and fails the same way. */
const DECOY = randomBytes(32).toString('base64url');

export interface SignedCaller<T> {
  /** The caller's secret (opened), and what the link keeps about it; undefined: unknown or revoked. */
  lookup(name: string): Promise<{ secret: string; row: T } | undefined>;
  /** Spends a nonce of this caller: false when it was used before (a replay). */
  spendNonce(row: T, nonce: string): Promise<boolean>;
}

/**
 * Checks a call's signature, timestamp and nonce against the caller named in X-TW-System. Stale or
 * badly signed: 401; an unknown caller and a bad signature give the same answer (a decoy secret, a
 * constant-time compare). A nonce seen before: 409. The nonce is spent only by a valid call.
 */
export async function verifySignedCall<T>(
  req: { method: string; path: string; headers: Headers; body: Buffer },
  callers: SignedCaller<T>,
  opts: { windowSeconds: number; now?: number },
): Promise<{ name: string; row: T }> {
  const h = (n: string) => req.headers.get(n) ?? '';
  const name = h(SYSTEM_HEADER);
  const ts = h(TIMESTAMP_HEADER);
  const nonce = h(NONCE_HEADER);
  const signature = h(SIGNATURE_HEADER);
  if (!name || !ts || !nonce || !signature)
    throw new SignedCallError(401, `sign the call: ${[SYSTEM_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER].join(', ')}`, 'unsigned');
  if (!/^[0-9]{1,12}$/.test(ts)) throw new SignedCallError(401, `${TIMESTAMP_HEADER}: Unix seconds`, 'unsigned');
  if (!NONCE_PATTERN.test(nonce)) throw new SignedCallError(401, `${NONCE_HEADER}: 16 to 64 of A-Z a-z 0-9 _ -`, 'unsigned');
  const now = opts.now ?? Date.now();
  if (Math.abs(Number(ts) * 1000 - now) > opts.windowSeconds * 1000)
    throw new SignedCallError(401, `${TIMESTAMP_HEADER}: more than ${opts.windowSeconds} s from the server's clock`, 'stale');
  const found = SYSTEM_PATTERN.test(name) ? await callers.lookup(name) : undefined;
  const expected = sign(found?.secret ?? DECOY, req.method, req.path, ts, nonce, req.body);
  if (!signatureMatches(signature, expected) || !found)
    throw new SignedCallError(401, 'the signature does not verify (unknown caller, wrong secret or a changed request)', 'signature');
  if (!(await callers.spendNonce(found.row, nonce))) throw new SignedCallError(409, `${NONCE_HEADER}: already used (a replayed call); sign each call with a new nonce`, 'replay');
  return { name, row: found.row };
}
