import { describe, expect, it } from 'vitest';
import type { HttpRequestInfo } from '../gateway/transport/transport.js';
import { bearerMatches, dashboardAccess, tokenDigest } from './dashboard-access.js';

const request = (peer: string, extra: Partial<HttpRequestInfo> = {}): HttpRequestInfo => ({
  authorization: '',
  peer,
  proxied: false,
  ...extra,
});

describe('dashboardAccess', () => {
  it('without a token, grants this machine only, in every way a transport prints loopback', () => {
    for (const peer of [
      '127.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
      '0000:0000:0000:0000:0000:0000:0000:0001',
      '0000:0000:0000:0000:0000:ffff:7f00:0001',
    ]) {
      expect(dashboardAccess(undefined, request(peer)), peer).toBe('granted');
    }
    for (const peer of ['192.0.2.2', '10.0.0.1', 'fd00::2', '::ffff:10.0.0.1', '']) {
      expect(dashboardAccess(undefined, request(peer)), peer).toBe('local-only');
    }
  });

  it('does not count a loopback proxy that forwards a client as this machine', () => {
    expect(dashboardAccess(undefined, request('127.0.0.1', { proxied: true }))).toBe('local-only');
  });

  it('with a token, needs it from anywhere, loopback included', () => {
    const digest = tokenDigest('s3cret-token');
    expect(dashboardAccess(digest, request('127.0.0.1'))).toBe('token-needed');
    expect(dashboardAccess(digest, request('192.0.2.2', { authorization: 'Bearer wrong' }))).toBe(
      'token-needed',
    );
    expect(dashboardAccess(digest, request('192.0.2.2', { authorization: 'Bearer s3cret-token' }))).toBe(
      'granted',
    );
    expect(
      dashboardAccess(digest, request('127.0.0.1', { proxied: true, authorization: 'Bearer s3cret-token' })),
    ).toBe('granted');
  });
});

describe('bearerMatches', () => {
  const digest = tokenDigest('abc.DEF-123');
  it('takes the Bearer scheme in any case, and only the exact token', () => {
    expect(bearerMatches('Bearer abc.DEF-123', digest)).toBe(true);
    expect(bearerMatches('bearer   abc.DEF-123 ', digest)).toBe(true);
    for (const header of [
      '',
      'abc.DEF-123',
      'Basic abc.DEF-123',
      'Bearer abc.DEF-12',
      'Bearer abc.DEF-1234',
      'Bearer abc.def-123',
      'Bearer abc.DEF-123 extra',
    ]) {
      expect(bearerMatches(header, digest), header).toBe(false);
    }
  });
});
