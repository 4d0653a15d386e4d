// The signature of a WMS call (see README.md). The signed string is five lines joined by "\n":
//
//   METHOD            upper case, e.g. POST
//   PATH              the request path without the query, e.g. /api/links/wms
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

/** The headers a WMS sends (the tests and the bench sign with this, as a partner's client would). */
export function signedHeaders(
  system: string,
  secret: string,
  body: string,
  opts: { method?: string; path?: string; timestamp?: number; nonce?: string } = {},
): Record<string, string> {
  const method = opts.method ?? 'POST';
  const path = opts.path ?? '/api/links/wms';
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
