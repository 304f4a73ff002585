import { isIPv4, isIPv6 } from 'node:net';
import { UsageError } from '../errors.js';

/**
 * Most addresses `--local-ips` may expand to: as many as `localAddresses.loopbackSpread` allows.
 * Each source address is a list entry here (k6 walks its pool lazily), so a `/8` would be 16
 * million strings; past a few thousand addresses no test has the VUs to use them anyway.
 */
export const MAX_LOCAL_IPS = 65_000;

/**
 * `--local-ips` (k6's flag and syntax): a comma-separated list of IP addresses, ranges `A-B`
 * (both ends included, same family) and CIDRs, IPv4 or IPv6, expanded in order into the source
 * addresses the VUs bind their sockets to (the `localAddresses` option, VU id modulo their
 * count). As in k6, an IPv4 CIDR of more than two addresses leaves out its network and broadcast
 * addresses. Throws UsageError naming the part that does not parse.
 */
export function parseLocalIps(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const part = raw.trim();
    if (part === '')
      throw new UsageError(`--local-ips ${value}: an empty entry (two commas, or one at an end)`);
    const { first, count, family } = block(part);
    if (out.length + Number(count) > MAX_LOCAL_IPS) {
      throw new UsageError(`--local-ips ${value}: more than ${MAX_LOCAL_IPS} addresses`);
    }
    for (let i = 0n; i < count; i++) out.push(format(first + i, family));
  }
  return out;
}

type Family = 4 | 6;
interface Block {
  first: bigint;
  count: bigint;
  family: Family;
}

function block(part: string): Block {
  const dash = part.indexOf('-');
  if (dash >= 0) {
    const [a, b] = [part.slice(0, dash).trim(), part.slice(dash + 1).trim()];
    const from = address(a, part);
    const to = address(b, part);
    if (from.family !== to.family) throw bad(part, 'a range mixes IPv4 and IPv6');
    if (to.value < from.value) throw bad(part, 'a range must go from the lower address to the higher');
    return { first: from.value, count: to.value - from.value + 1n, family: from.family };
  }
  const slash = part.indexOf('/');
  if (slash >= 0) {
    const { value, family } = address(part.slice(0, slash), part);
    const bits = family === 4 ? 32 : 128;
    const prefixText = part.slice(slash + 1);
    const prefix = Number(prefixText);
    if (!/^\d+$/.test(prefixText) || prefix > bits) throw bad(part, `the prefix length must be 0 to ${bits}`);
    const size = 1n << BigInt(bits - prefix);
    const network = value - (value % size);
    // k6 (lib/types/ipblock.go): an IPv4 network's first and last addresses are not hosts'.
    if (family === 4 && size > 2n) return { first: network + 1n, count: size - 2n, family };
    return { first: network, count: size, family };
  }
  const { value, family } = address(part, part);
  return { first: value, count: 1n, family };
}

function address(text: string, part: string): { value: bigint; family: Family } {
  if (isIPv4(text)) {
    return { value: text.split('.').reduce((n, octet) => (n << 8n) | BigInt(octet), 0n), family: 4 };
  }
  // A zone (fe80::1%eth0) names an interface, not an address that can be counted.
  if (isIPv6(text) && !text.includes('%')) return { value: ipv6Value(text), family: 6 };
  throw bad(part, `${JSON.stringify(text)} is not an IP address`);
}

/** An IPv6 address (already validated by node:net) as a 128-bit number. */
function ipv6Value(text: string): bigint {
  let groups = text;
  // An embedded IPv4 tail (::ffff:10.0.0.1) is the last two 16-bit groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups);
  if (v4 !== null) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [number, number, number, number];
    groups = `${groups.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = groups.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(missing).fill('0'), ...right];
  return all.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

function format(value: bigint, family: Family): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  }
  // Full form without leading zeros: valid for bind(), and unambiguous in messages.
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(':');
}

function bad(part: string, why: string): UsageError {
  return new UsageError(
    `--local-ips: ${part}: ${why} (expected addresses, ranges A-B or CIDRs, comma-separated)`,
  );
}
