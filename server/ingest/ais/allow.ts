// Who may feed the AIS listeners: AIS is unauthenticated radio, so the only thing that says a
// line came from our own receivers or relays is the address it arrives from. AIS_ALLOW lists
// addresses and CIDR blocks, IPv4 and IPv6 (default: this host only). An IPv4 address seen as
// IPv4-mapped IPv6 (::ffff:a.b.c.d, a dual-stack socket) matches its IPv4 entries.
import { BlockList, isIP } from 'node:net';

export const AIS_ALLOW_DEFAULT = '127.0.0.0/8,::1';

export interface AddressAllow {
  /** Whether a sender at `address` (as a socket reports it) may feed the listener. */
  allows(address: string | undefined): boolean;
  /** The entries, as given. */
  readonly entries: readonly string[];
}

export class AllowListError extends Error {}

/** Parses "a.b.c.d, a.b.c.0/24, ::1, fd00::/8"; throws AllowListError naming the first bad entry. */
export function parseAddressAllow(text: string): AddressAllow {
  const list = new BlockList();
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new AllowListError('no address or CIDR given');
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || extra !== undefined) throw new AllowListError(`not an IP address or CIDR: "${entry}"`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(address!, type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) throw new AllowListError(`bad prefix length in "${entry}" (IPv${family}: 0 to ${family === 4 ? 32 : 128})`);
    list.addSubnet(address!, bits, type);
  }
  return {
    entries,
    allows(raw) {
      if (!raw) return false;
      const address = raw.split('%')[0]!; // a link-local address's zone (fe80::1%eth0)
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
