// Secrets the server must be able to read back (HMAC keys it signs or verifies with: WMS systems,
// webhook subscriptions) are kept in the database sealed: AES-256-GCM under a key kept in a file
// outside it (SECRETS_KEY_FILE, default DATA_DIR/secrets/seal.key, created 0600). A copy of the
// database alone gives no secret; each sealed value is bound to its row (the AAD), so one cannot be
// moved onto another row. Hashing is not possible here: HMAC needs the raw secret on both sides.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  private constructor(private key: Buffer) {}

  /** The key in `file`, created (random, 0600) when missing. */
  static fromFile(file: string): SecretBox {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${file}: not a ${KEY_BYTES}-byte key (base64)`);
    return new SecretBox(key);
  }

  static forConfig(config: { SECRETS_KEY_FILE?: string; DATA_DIR: string }): SecretBox {
    return SecretBox.fromFile(config.SECRETS_KEY_FILE ?? resolve(config.DATA_DIR, 'secrets', 'seal.key'));
  }

  seal(plain: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(aad));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `${VERSION}:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  /** The secret; throws when the value was sealed under another key or for another row. */
  open(sealed: string, aad: string): string {
    if (!sealed.startsWith(`${VERSION}:`)) throw new Error('not a sealed secret');
    const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES)).setAAD(Buffer.from(aad));
    d.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([d.update(raw.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
  }
}

/** A new shared secret to give a partner: 32 random bytes, base64url. */
export function newSharedSecret(): string {
  return randomBytes(32).toString('base64url');
}
