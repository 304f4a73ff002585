import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { MAX_LOCAL_IPS, parseLocalIps } from './local-ips.js';

describe('--local-ips (k6 syntax)', () => {
  it('takes addresses, ranges and CIDRs, comma-separated, in order', () => {
    expect(parseLocalIps('127.0.0.2,127.0.0.3')).toEqual(['127.0.0.2', '127.0.0.3']);
    expect(parseLocalIps('10.0.0.254-10.0.1.1')).toEqual([
      '10.0.0.254',
      '10.0.0.255',
      '10.0.1.0',
      '10.0.1.1',
    ]);
    expect(parseLocalIps(' 192.168.0.9 , 192.168.0.10 - 192.168.0.11')).toEqual([
      '192.168.0.9',
      '192.168.0.10',
      '192.168.0.11',
    ]);
  });

  it('leaves out the network and broadcast addresses of an IPv4 CIDR, as k6 does', () => {
    expect(parseLocalIps('192.168.220.0/30')).toEqual(['192.168.220.1', '192.168.220.2']);
    const hosts = parseLocalIps('10.1.2.3/24');
    expect(hosts).toHaveLength(254);
    expect([hosts[0], hosts.at(-1)]).toEqual(['10.1.2.1', '10.1.2.254']);
    // /31 and /32 have no network or broadcast address to leave out.
    expect(parseLocalIps('10.0.0.4/31')).toEqual(['10.0.0.4', '10.0.0.5']);
    expect(parseLocalIps('10.0.0.4/32')).toEqual(['10.0.0.4']);
  });

  it('takes IPv6 addresses, ranges and CIDRs (all of a v6 block: it has no broadcast)', () => {
    expect(parseLocalIps('::1')).toEqual(['0:0:0:0:0:0:0:1']);
    expect(parseLocalIps('fd00::fffe-fd00::1:1')).toEqual([
      'fd00:0:0:0:0:0:0:fffe',
      'fd00:0:0:0:0:0:0:ffff',
      'fd00:0:0:0:0:0:1:0',
      'fd00:0:0:0:0:0:1:1',
    ]);
    expect(parseLocalIps('fd:1::/126')).toEqual([
      'fd:1:0:0:0:0:0:0',
      'fd:1:0:0:0:0:0:1',
      'fd:1:0:0:0:0:0:2',
      'fd:1:0:0:0:0:0:3',
    ]);
    expect(parseLocalIps('::ffff:10.0.0.1')).toEqual(['0:0:0:0:0:ffff:a00:1']);
    for (const a of parseLocalIps('2001:db8::/125,::1')) expect(isIP(a)).toBe(6);
  });

  it.each([
    ['', /empty entry/],
    ['127.0.0.1,', /empty entry/],
    ['localhost', /"localhost" is not an IP address/],
    ['10.0.0.256', /is not an IP address/],
    ['10.0.0.9-10.0.0.1', /from the lower address to the higher/],
    ['10.0.0.1-::1', /mixes IPv4 and IPv6/],
    ['10.0.0.0/33', /prefix length must be 0 to 32/],
    ['10.0.0.0/x', /prefix length/],
    ['fe80::1%eth0', /not an IP address/],
    ['10.0.0.0/8', new RegExp(`more than ${MAX_LOCAL_IPS} addresses`)],
    ['::/0', /more than/],
  ])('refuses %j with a usage error', (value, message) => {
    expect(() => parseLocalIps(value)).toThrow(UsageError);
    expect(() => parseLocalIps(value)).toThrow(message);
  });
});
