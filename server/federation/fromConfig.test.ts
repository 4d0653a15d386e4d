// The forwarder's settings: all three FEDERATION_* or none, and the secret from a file only others cannot read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { forwarderOptions } from './fromConfig';

test('FEDERATION_*: all three or none; the secret file must be 0600 and hold a secret', () => {
  assert.equal(forwarderOptions(loadConfig({})), undefined, 'no federation by default');
  assert.throws(() => loadConfig({ FEDERATION_UPSTREAM_URL: 'http://national:3000' }), /set all three .* or none/);
  assert.throws(() => loadConfig({ FEDERATION_UPSTREAM_URL: 'ftp://x', FEDERATION_REGION: 'sh', FEDERATION_SECRET_FILE: '/x' }), /FEDERATION_UPSTREAM_URL/);
  const dir = mkdtempSync(join(tmpdir(), 'tw-fed-config-'));
  try {
    const file = join(dir, 'secret');
    writeFileSync(file, 'a'.repeat(43) + '\n');
    const env = { FEDERATION_UPSTREAM_URL: 'http://national:3000', FEDERATION_REGION: 'shanghai', FEDERATION_SECRET_FILE: file };
    chmodSync(file, 0o644);
    assert.throws(
      () => forwarderOptions(loadConfig(env)),
      (err: Error) => err instanceof ConfigError && /readable by others/.test(err.message),
    );
    chmodSync(file, 0o600);
    const o = forwarderOptions(loadConfig(env))!;
    assert.equal(o.secret, 'a'.repeat(43));
    assert.equal(o.region, 'shanghai');
    assert.deepEqual(o.limits, { entries: 500, positionRows: 3000 });
    writeFileSync(file, '\n');
    assert.throws(() => forwarderOptions(loadConfig(env)), /no secret in it/);
    assert.throws(() => forwarderOptions(loadConfig({ ...env, FEDERATION_SECRET_FILE: join(dir, 'missing') })), /FEDERATION_SECRET_FILE=.*missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
