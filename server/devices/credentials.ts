// Device credentials: a JT/T 808 authentication code or an OsmAnd secret. Each is 128 random
// bits, so an unsalted SHA-256 is enough to store it: nobody can guess or precompute a 2^128
// space, and a slow password hash (argon2) would only cost CPU at every terminal login. Compared
// in constant time so that the time to refuse says nothing about how much of a guess was right.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new credential: 32 uppercase hex digits (128 bits), ASCII so every JT/T 808 terminal can store it. */
export function newCredential(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

export function hashCredential(credential: string): Buffer {
  return createHash('sha256').update(credential, 'utf8').digest();
}

/** Whether `presented` is the credential whose hash is stored (constant time in the hash). */
export function credentialMatches(stored: Buffer | null | undefined, presented: string): boolean {
  if (!stored || stored.length !== 32) return false;
  return timingSafeEqual(stored, hashCredential(presented));
}
