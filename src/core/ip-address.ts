import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP addresses as bytes (4 for IPv4, 16 for IPv6) and CIDR ranges over them, so the address guard
 * can compare prefixes without string tricks. Zone ids (`fe80::1%eth0`) are dropped.
 */
export type IpBytes = Uint8Array;

export interface Cidr {
  bytes: IpBytes;
  bits: number;
}

function parseIPv4(text: string): IpBytes {
  return Uint8Array.from(text.split('.').map(Number));
}

function parseIPv6(text: string): IpBytes {
  // A trailing dotted quad (`::ffff:1.2.3.4`) is two hex words written another way.
  const body = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const words = (part: string) => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const [head, rest] = body.includes('::') ? body.split('::') : [body, null];
  const left = words(head);
  const right = rest === null ? [] : words(rest);
  const all = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const out = new Uint8Array(16);
  all.forEach((word, i) => { out[i * 2] = word >> 8; out[i * 2 + 1] = word & 0xff; });
  return out;
}

/** The bytes of an IP literal, or null when `text` is not one. Brackets (`[::1]`) are accepted. */
export function parseIp(text: string): IpBytes | null {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return parseIPv4(bare);
  if (isIPv6(bare)) return parseIPv6(bare);
  return null;
}

/** `10.0.0.0/8`, `::1/128`, or a bare address (a /32 or /128). Throws with the bad text. */
export function parseCidr(text: string): Cidr {
  const [address, prefix] = text.trim().split('/');
  const bytes = parseIp(address);
  if (!bytes) throw new Error(`"${text}" is not a CIDR range (example: 10.0.0.0/8)`);
  const bits = prefix === undefined ? bytes.length * 8 : Number(prefix);
  if (!Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) throw new Error(`"${text}" has a bad prefix length`);
  return { bytes, bits };
}

export function cidrContains(range: Cidr, address: IpBytes): boolean {
  if (range.bytes.length !== address.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((range.bytes[i] & mask) !== (address[i] & mask)) return false;
  }
  return true;
}
