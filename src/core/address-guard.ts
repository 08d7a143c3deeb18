import { cidrContains, parseCidr, parseIp, type Cidr, type IpBytes } from './ip-address.js';

/**
 * Outbound safety (SSRF): a webhook URL is chosen by a merchant, so without this guard it could
 * reach the operator's own network — the database, an admin port, the cloud metadata service.
 * Checked on every resolved address at connect time (so DNS rebinding cannot slip past a check
 * made earlier), and on literal addresses when an endpoint is saved. IPv6 forms that embed an
 * IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the address they carry.
 *
 * @example
 *   isForbiddenAddress('10.1.2.3', [])               // true (private)
 *   isForbiddenAddress('::ffff:169.254.169.254', []) // true (metadata, IPv4-mapped)
 *   isForbiddenAddress('127.0.0.1', ['127.0.0.0/8'])    // false (allowed by the operator)
 */
const FORBIDDEN_V4 = [
  '0.0.0.0/8', // "this network", unspecified
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, including the 169.254.169.254 metadata service
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation
  '203.0.113.0/24', // documentation
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, including broadcast 255.255.255.255
].map(parseCidr);

const FORBIDDEN_V6 = [
  '::/128', // unspecified
  '::1/128', // loopback
  '100::/64', // discard
  '2001::/23', // IETF protocol assignments (Teredo, ORCHID, …)
  '2001:db8::/32', // documentation
  '64:ff9b:1::/48', // local-use NAT64
  'fc00::/7', // unique local, including the fd00:ec2::254 metadata service
  'fe80::/10', // link-local
  'fec0::/10', // site-local (deprecated, still routed by some stacks)
  'ff00::/8', // multicast
].map(parseCidr);

/** IPv6 ranges whose low 32 bits (or, for 6to4, bits 16..48) are an IPv4 address. */
const EMBEDDED_V4: Array<{ range: Cidr; offset: number }> = [
  { range: parseCidr('::ffff:0:0/96'), offset: 12 }, // IPv4-mapped
  { range: parseCidr('::/96'), offset: 12 }, // IPv4-compatible (deprecated)
  { range: parseCidr('64:ff9b::/96'), offset: 12 }, // NAT64
  { range: parseCidr('2002::/16'), offset: 2 }, // 6to4
];

/** The operator's allow-list, parsed once (config.delivery.allowDestinations). */
export function allowList(cidrs: readonly string[]): Cidr[] {
  return cidrs.map(parseCidr);
}

/** The IPv4 address an IPv6 address stands for, when it embeds one. */
function embeddedV4(address: IpBytes): IpBytes | null {
  if (address.length !== 16) return null;
  for (const { range, offset } of EMBEDDED_V4) {
    // `::` and `::1` sit inside ::/96 but are IPv6's own unspecified and loopback addresses.
    if (offset === 12 && range.bits === 96 && address.slice(0, 15).every((b) => b === 0) && address[15] <= 1) continue;
    if (cidrContains(range, address)) return address.slice(offset, offset + 4);
  }
  return null;
}

/**
 * True when a webhook must not be sent to `ip`. Anything that is not an IP literal is forbidden
 * too: the guard only ever sees resolved addresses, so a name here means something is wrong.
 */
export function isForbiddenAddress(ip: string, allowed: ReadonlyArray<Cidr | string> = []): boolean {
  const parsed = parseIp(ip);
  if (!parsed) return true;
  const address = embeddedV4(parsed) ?? parsed;
  const ranges = allowed.map((range) => (typeof range === 'string' ? parseCidr(range) : range));
  if (ranges.some((range) => cidrContains(range, address) || cidrContains(range, parsed))) return false;
  const forbidden = address.length === 4 ? FORBIDDEN_V4 : FORBIDDEN_V6;
  return forbidden.some((range) => cidrContains(range, address));
}
