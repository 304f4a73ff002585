import { FORWARDED_HEADER } from '@leviathan/protocol';

/** The header a loopback proxy (a telnet bridge) tells its client's address in; see @leviathan/protocol. */
export { FORWARDED_HEADER };

/** An IPv4 or IPv6 address as text: digits, hex, dots and colons, bounded. */
const ADDRESS = /^[0-9a-fA-F:.]{2,45}$/;

/**
 * Whether an address (as uWS or Node prints it) is loopback: 127.0.0.0/8 and ::1, plain or
 * IPv4-mapped, short or fully expanded (uWS prints `0000:…:ffff:7f00:0001`).
 */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase();
  if (a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.')) return true;
  if (a === '0000:0000:0000:0000:0000:0000:0000:0001') return true;
  return a.startsWith('0000:0000:0000:0000:0000:ffff:7f');
}

/**
 * The client's address for a connection from `peer`: the forwarded one when the peer is loopback
 * (a proxy on this machine) and the header holds a well-formed address; else the peer itself. A
 * remote client cannot choose its address by sending the header.
 */
export function forwardedAddress(peer: string, header: string): string {
  if (header.length === 0 || !isLoopbackAddress(peer) || !ADDRESS.test(header)) return peer;
  return header;
}
