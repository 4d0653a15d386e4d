// The signature of a WMS call (see README.md): the links' shared HMAC signing (../signing.ts), whose
// reference client defaults to this link's path.
import { signedHeaders as signed } from '../signing';

export { NONCE_HEADER, NONCE_PATTERN, SIGNATURE_HEADER, SYSTEM_HEADER, SYSTEM_PATTERN, TIMESTAMP_HEADER, canonicalString, sign, signatureMatches } from '../signing';

/** The headers a WMS sends (the tests and the bench sign with this, as a partner's client would). */
export function signedHeaders(
  system: string,
  secret: string,
  body: string,
  opts: { method?: string; path?: string; timestamp?: number; nonce?: string } = {},
): Record<string, string> {
  return signed(system, secret, body, { path: '/api/links/wms', ...opts });
}
