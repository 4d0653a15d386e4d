// AIS_ALLOW parsing and matching (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AIS_ALLOW_DEFAULT, AllowListError, parseAddressAllow } from './allow';

test('the default lets this host in (IPv4 loopback block, ::1, IPv4-mapped loopback) and nobody else', () => {
  const allow = parseAddressAllow(AIS_ALLOW_DEFAULT);
  for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.equal(allow.allows(a), true, a);
  for (const a of ['10.0.0.1', '192.168.1.20', '::2', 'fe80::1', '::ffff:10.0.0.1', '0.0.0.0', '', undefined, 'localhost']) assert.equal(allow.allows(a), false, String(a));
});

test("single addresses and CIDR blocks of both families; a dual-stack socket's ::ffff: form matches the IPv4 entry; zone ids are ignored", () => {
  const allow = parseAddressAllow(' 203.0.113.7 , 198.51.100.0/24,2001:db8::/32, fe80::1 ');
  assert.deepEqual(allow.entries, ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32', 'fe80::1']);
  for (const a of ['203.0.113.7', '::ffff:203.0.113.7', '198.51.100.0', '198.51.100.255', '2001:db8::1', '2001:db8:ffff::9', 'fe80::1%eth0'])
    assert.equal(allow.allows(a), true, a);
  for (const a of ['203.0.113.8', '198.51.101.1', '2001:db9::1', '127.0.0.1', '::1']) assert.equal(allow.allows(a), false, a);
});

test('bad entries are named', () => {
  for (const [text, msg] of [
    ['10.0.0.256', /not an IP address or CIDR: "10.0.0.256"/],
    ['10.0.0.0/33', /prefix length/],
    ['::/200', /prefix length/],
    ['10.0.0.0/x', /prefix length/],
    ['host.example', /not an IP/],
    ['', /no address/],
    ['1.2.3.4/8/9', /not an IP/],
  ] as const) {
    assert.throws(
      () => parseAddressAllow(text),
      (err: Error) => err instanceof AllowListError && msg.test(err.message),
      text,
    );
  }
});
