import ipaddr from 'ipaddr.js';

import { usageError } from '../errors.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** The allow-list of a node that sets no wsallowip: this machine only. */
export const LOOPBACK_ONLY: readonly string[] = ['127.0.0.0/8', '::1'];

/**
 * The client addresses allowed to connect, as the node's `wsallowip` entries give them: single
 * addresses or CIDR ranges, IPv4 and IPv6. An IPv4 client reaching an IPv6 socket shows as
 * `::ffff:a.b.c.d` and is matched as the IPv4 address.
 */
export class AllowList {
  private constructor(
    private readonly ranges: readonly Range[],
    readonly entries: readonly string[],
  ) {}

  /** Parses each entry; throws a usage CscwsError naming the first that is neither an address nor a CIDR range. */
  static parse(entries: readonly string[]): AllowList {
    const ranges = entries.map((entry) => parseEntry(entry));
    return new AllowList(ranges, [...entries]);
  }

  allows(remoteAddress: string | undefined): boolean {
    if (remoteAddress === undefined || !ipaddr.isValid(remoteAddress)) {
      return false;
    }
    const address = ipaddr.process(remoteAddress);
    return this.ranges.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
  }
}

function parseEntry(entry: string): Range {
  const text = entry.trim();
  if (text.includes('/')) {
    if (ipaddr.isValidCIDR(text)) {
      const [range, bits] = ipaddr.parseCIDR(text);
      // A mapped IPv4 range is matched against the processed (IPv4) client address.
      return range.kind() === 'ipv6' && (range as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96
        ? [(range as ipaddr.IPv6).toIPv4Address(), bits - 96]
        : [range, bits];
    }
  } else if (ipaddr.isValid(text)) {
    const address = ipaddr.process(text);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  throw usageError(
    `allowed address "${entry}" is neither an IP address nor a CIDR range`,
    'write each wsallowip (or --allow-ip) as an address such as 192.168.1.10 or a range such as 192.168.1.0/24 or fd00::/8',
  );
}
