// Where a webhook may be sent. A subscriber names a URL and this server calls it: without a check
// that is a way to make it call its own loopback, the private network or a cloud metadata service.
// Only http and https, no credentials in the URL; the host's addresses are checked when the
// subscription is saved and again at every delivery (DNS may change), and the delivery connects to
// the address that was checked (deliver.ts), so a rebinding name cannot slip past between the two.
// WEBHOOKS_ALLOW_PRIVATE=1 allows loopback and private ranges (tests, a lab); metadata never.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/** Cloud instance metadata endpoints: refused even where private addresses are allowed. */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200']);

export class UrlRefused extends Error {}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d), else the address. */
function unmap(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return { address: m[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** Why this address may not be called, or null. */
export function addressRefusal(address: string, allowPrivate: boolean): string | null {
  const a = unmap(address.replace(/^\[|\]$/g, ''));
  if (METADATA.has(a.address.toLowerCase())) return `${address} is a metadata address`;
  if (!allowPrivate && PRIVATE.check(a.address, a.family)) return `${address} is a loopback, private, link-local or reserved address`;
  return null;
}

/** Checks the URL's form (throws UrlRefused with the reason); the URL as parsed. */
export function checkUrlForm(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UrlRefused('url: not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefused('url: only http and https');
  if (url.username || url.password) throw new UrlRefused('url: no credentials in the URL (the deliveries are signed)');
  if (!url.hostname) throw new UrlRefused('url: no host');
  return url;
}

/** The host's addresses, each checked; throws UrlRefused when any is refused or none resolves. */
export async function resolveChecked(hostname: string, allowPrivate: boolean): Promise<{ address: string; family: 4 | 6 }[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const found = isIP(host) ? [{ address: host, family: isIP(host) as 4 | 6 }] : await lookup(host, { all: true, verbatim: true }).catch(() => []);
  if (!found.length) throw new UrlRefused(`url: ${hostname} does not resolve`);
  for (const f of found) {
    const why = addressRefusal(f.address, allowPrivate);
    if (why) throw new UrlRefused(`url: ${hostname}: ${why}`);
  }
  return found.map((f) => ({ address: f.address, family: f.family as 4 | 6 }));
}

/** The whole check done when a subscription is saved. */
export async function checkUrl(text: string, allowPrivate: boolean): Promise<URL> {
  const url = checkUrlForm(text);
  await resolveChecked(url.hostname, allowPrivate);
  return url;
}
