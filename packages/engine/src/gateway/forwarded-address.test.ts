import { describe, expect, it } from 'vitest';
import { forwardedAddress, isLoopbackAddress } from './forwarded-address.js';

describe('forwardedAddress', () => {
  it('trusts the header from loopback peers only', () => {
    expect(forwardedAddress('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(forwardedAddress('0000:0000:0000:0000:0000:ffff:7f00:0001', '2001:db8::1')).toBe('2001:db8::1');
    expect(forwardedAddress('::1', '198.51.100.7')).toBe('198.51.100.7');
    expect(forwardedAddress('203.0.113.5', '127.0.0.1')).toBe('203.0.113.5');
    expect(forwardedAddress('0000:0000:0000:0000:0000:ffff:cb00:7105', '10.0.0.1')).toBe(
      '0000:0000:0000:0000:0000:ffff:cb00:7105',
    );
  });

  it('ignores an empty or malformed header', () => {
    expect(forwardedAddress('127.0.0.1', '')).toBe('127.0.0.1');
    expect(forwardedAddress('127.0.0.1', 'evil<script>')).toBe('127.0.0.1');
    expect(forwardedAddress('127.0.0.1', '1'.repeat(60))).toBe('127.0.0.1');
  });

  it('knows loopback in its printed forms', () => {
    for (const a of [
      '127.0.0.1',
      '127.9.9.9',
      '::1',
      '::ffff:127.0.0.1',
      '0000:0000:0000:0000:0000:0000:0000:0001',
    ])
      expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '0000:0000:0000:0000:0000:ffff:0a00:0001', '1.127.0.0'])
      expect(isLoopbackAddress(a), a).toBe(false);
  });
});
