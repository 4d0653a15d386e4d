import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config';

test('defaults apply when nothing is set', () => {
  const c = loadConfig({});
  assert.equal(c.PORT, 3000);
  assert.equal(c.SIM, true);
  assert.equal(c.DATABASE_URL, undefined);
});

test('a bad value stops start-up with a message naming the variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty' }),
    (err: Error) => err instanceof ConfigError && /PORT="eighty"/.test(err.message),
  );
  assert.throws(() => loadConfig({ DATABASE_URL: 'not a url' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ SIM: 'maybe' }), /SIM/);
  assert.throws(() => loadConfig({ LIVE_TICK_MS: '5' }), /LIVE_TICK_MS/);
});

test('values are coerced from strings; empty strings count as unset', () => {
  const c = loadConfig({ PORT: '8080', SIM: '0', DATABASE_URL: '' });
  assert.equal(c.PORT, 8080);
  assert.equal(c.SIM, false);
  assert.equal(c.DATABASE_URL, undefined);
});

test('AIS_ALLOW: loopback by default; addresses and CIDRs of both families; a bad entry stops start-up naming AIS_ALLOW', () => {
  assert.equal(loadConfig({}).AIS_ALLOW, '127.0.0.0/8,::1');
  assert.equal(loadConfig({ AIS_ALLOW: '10.1.2.3, 192.168.0.0/16, fd00::/8' }).AIS_ALLOW, '10.1.2.3, 192.168.0.0/16, fd00::/8');
  for (const bad of ['10.1.2.300', '10.0.0.0/33', 'relay.example.com', '::1/129', '10.0.0.0/8/1', ',']) {
    assert.throws(
      () => loadConfig({ AIS_ALLOW: bad }),
      (err: Error) => err instanceof ConfigError && err.message.includes('AIS_ALLOW='),
      bad,
    );
  }
});
