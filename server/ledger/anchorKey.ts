// The Ed25519 key that signs ledger anchors (./anchor.ts). It lives outside the database, in a
// PEM file readable by its owner only (default DATA_DIR/ledger/anchor-key.pem, LEDGER_KEY_FILE),
// so that whoever can write the database still cannot sign a rewritten history. Created on the
// server's first start; the public half is written beside it (…pub.pem) for outside verifiers.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AnchorSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 over the public key (SPKI DER): names the key in each anchor. */
  id: string;
}

export interface AnchorPublicKey {
  publicKey: KeyObject;
  id: string;
}

export function anchorKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export const publicKeyFile = (keyFile: string): string => keyFile.replace(/(\.pem)?$/, '.pub.pem');

/** Refuses a key file others may read or write, or that is not a plain file of this user's. */
function checkPrivate(file: string): void {
  const st = lstatSync(file);
  if (!st.isFile()) throw new Error(`ledger key ${file} is not a plain file`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new Error(`ledger key ${file} belongs to user ${st.uid}, not to this user (${uid})`);
  if (st.mode & 0o077) throw new Error(`ledger key ${file} is readable or writable by others (mode ${(st.mode & 0o777).toString(8)}): chmod 600 it`);
}

/** Loads the signing key, creating it (mode 0600, in a directory created 0700) when there is none. */
export function loadOrCreateAnchorKey(file: string, say: (msg: string) => void = () => {}): AnchorSigningKey {
  let pem: string;
  try {
    checkPrivate(file);
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const fd = openSync(file, 'wx', 0o600); // wx: never over a key that appeared meanwhile
    try {
      writeSync(fd, pem);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    say(`Created the ledger anchor signing key ${file} (keep it, and a copy of it, away from the database)`);
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`ledger key ${file} is not an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  try {
    writeFileSync(publicKeyFile(file), publicKey.export({ type: 'spki', format: 'pem' }) as string, { flag: 'wx', mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return { privateKey, publicKey, id: anchorKeyId(publicKey) };
}

/**
 * The key that checks anchors: from the private key file (its public half), or from a public key
 * PEM (an outside verifier needs only that). Undefined when the file does not exist.
 */
export function loadAnchorPublicKey(file: string): AnchorPublicKey | undefined {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`ledger key ${file} is not an Ed25519 key`);
  return { publicKey, id: anchorKeyId(publicKey) };
}
