// The forwarder's settings from the configuration (server/config.ts): the secret is read from
// FEDERATION_SECRET_FILE, never from an environment variable's value, and refused when others can
// read the file (as the ledger and seal keys are kept 0600).
import { readFileSync, statSync } from 'node:fs';
import type { Config } from '../config';
import { ConfigError } from '../config';
import type { ForwarderOptions } from './forwarder';

export function forwarderOptions(config: Config): ForwarderOptions | undefined {
  if (!config.FEDERATION_UPSTREAM_URL || !config.FEDERATION_REGION || !config.FEDERATION_SECRET_FILE) return undefined;
  const file = config.FEDERATION_SECRET_FILE;
  let secret: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) throw new Error('readable by others: chmod 600 it');
    secret = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`FEDERATION_SECRET_FILE=${file}: ${(err as Error).message}`);
  }
  if (secret.length < 16) throw new ConfigError(`FEDERATION_SECRET_FILE=${file}: no secret in it (the one the national node issued for region ${config.FEDERATION_REGION})`);
  return {
    upstream: config.FEDERATION_UPSTREAM_URL,
    region: config.FEDERATION_REGION,
    secret,
    limits: { entries: config.FEDERATION_BATCH_ENTRIES, positionRows: config.FEDERATION_BATCH_ROWS },
    pollMs: config.FEDERATION_POLL_MS,
    backoffBaseMs: config.FEDERATION_BACKOFF_BASE_MS,
    backoffCapMs: config.FEDERATION_BACKOFF_CAP_MS,
    timeoutMs: 30_000,
  };
}
