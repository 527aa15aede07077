/**
 * IPv4 ranges the public internet never includes, and the arithmetic to compare CIDRs.
 *
 * Source: the IANA IPv4 Special-Purpose Address Registry (RFC 6890, the registry
 * `iana-ipv4-special-registry`, with the entries added since: RFC 7450, 7526, 7534, 7535), plus
 * multicast from the IANA IPv4 Address Space Registry (RFC 5771). Blocks nested in a listed one
 * (192.0.0.0/29 DS-Lite, 192.0.0.170/32 NAT64 discovery, 255.255.255.255/32 limited broadcast in
 * 240.0.0.0/4, ...) are covered by it.
 */

/** One special-purpose block. */
export interface SpecialRange {
  readonly cidr: string;
  readonly name: string;
  readonly rfc: string;
  /** Reaches the pod's own node, network or cloud (private, shared, loopback, link-local and metadata): never opened without a waiver. */
  readonly internal: boolean;
}

/** Every block "the internet" excludes, in address order. */
export const SPECIAL_RANGES: readonly SpecialRange[] = [
  { cidr: '0.0.0.0/8', name: '"this network"', rfc: 'RFC 791, RFC 1122', internal: true },
  { cidr: '10.0.0.0/8', name: 'private-use', rfc: 'RFC 1918', internal: true },
  { cidr: '100.64.0.0/10', name: 'shared address space (carrier-grade NAT)', rfc: 'RFC 6598', internal: true },
  { cidr: '127.0.0.0/8', name: 'loopback', rfc: 'RFC 1122', internal: true },
  { cidr: '169.254.0.0/16', name: 'link-local (cloud metadata 169.254.169.254)', rfc: 'RFC 3927', internal: true },
  { cidr: '172.16.0.0/12', name: 'private-use', rfc: 'RFC 1918', internal: true },
  { cidr: '192.0.0.0/24', name: 'IETF protocol assignments', rfc: 'RFC 6890', internal: false },
  { cidr: '192.0.2.0/24', name: 'documentation (TEST-NET-1)', rfc: 'RFC 5737', internal: false },
  { cidr: '192.31.196.0/24', name: 'AS112-v4', rfc: 'RFC 7535', internal: false },
  { cidr: '192.52.193.0/24', name: 'AMT', rfc: 'RFC 7450', internal: false },
  { cidr: '192.88.99.0/24', name: 'deprecated 6to4 relay anycast', rfc: 'RFC 7526', internal: false },
  { cidr: '192.168.0.0/16', name: 'private-use', rfc: 'RFC 1918', internal: true },
  { cidr: '192.175.48.0/24', name: 'direct delegation AS112 service', rfc: 'RFC 7534', internal: false },
  { cidr: '198.18.0.0/15', name: 'benchmarking', rfc: 'RFC 2544', internal: false },
  { cidr: '198.51.100.0/24', name: 'documentation (TEST-NET-2)', rfc: 'RFC 5737', internal: false },
  { cidr: '203.0.113.0/24', name: 'documentation (TEST-NET-3)', rfc: 'RFC 5737', internal: false },
  { cidr: '224.0.0.0/4', name: 'multicast', rfc: 'RFC 5771', internal: false },
  { cidr: '240.0.0.0/4', name: 'reserved, with limited broadcast 255.255.255.255', rfc: 'RFC 1112, RFC 919', internal: false },
];

/** An address range as numbers: first and last address, inclusive. */
export interface Range {
  readonly first: number;
  readonly last: number;
}

/** The range of an IPv4 CIDR (`a.b.c.d/n`), or undefined when it is not one. */
export function rangeOf(cidr: string): Range | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(String(cidr));
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(address / size) * size;
  return { first, last: first + size - 1 };
}

/**
 * The special-purpose blocks that a CIDR minus its `except` list still reaches, or [] when it
 * reaches none of them. `only` narrows the blocks considered (e.g. the internal ones).
 */
export function specialRangesReached(cidr: string, except: readonly string[] = [], only: (r: SpecialRange) => boolean = () => true): SpecialRange[] {
  const range = rangeOf(cidr);
  if (!range) return [];
  const holes = except.map(rangeOf).filter((r): r is Range => r !== undefined);
  return SPECIAL_RANGES.filter((s) => {
    if (!only(s)) return false;
    const r = rangeOf(s.cidr)!;
    // Reached unless the excepted holes cover all of the block's part inside `cidr` (a block
    // outside `cidr` leaves an empty part, which counts as covered).
    const part = { first: Math.max(r.first, range.first), last: Math.min(r.last, range.last) };
    return !covered(part, holes);
  });
}

/** Whether `holes` together cover every address of `r`. */
function covered(r: Range, holes: readonly Range[]): boolean {
  let next = r.first;
  for (const h of [...holes].sort((a, b) => a.first - b.first)) {
    if (h.first > next) break;
    next = Math.max(next, h.last + 1);
  }
  return next > r.last;
}
