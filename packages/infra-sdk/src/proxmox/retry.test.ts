import { describe, expect, it } from 'vitest';
import { PveApiError, PveAuthError, PveNetworkError, PveTlsError } from './errors.js';
import { isTransient } from './retry.js';

const api = (status: number, pveMessage: string) =>
  new PveApiError({ status, pveMessage, request: 'POST /x' });
const net = (code: string) =>
  new PveNetworkError('POST /x', { cause: Object.assign(new Error(code), { code }) });

describe('isTransient', () => {
  it('retries gateway failures and pveproxy 595/596', () => {
    for (const s of [502, 503, 504, 595, 596]) expect(isTransient(api(s, 'x'), false)).toBe(true);
  });

  it('retries a 500 only when it is a config-lock timeout', () => {
    expect(
      isTransient(api(500, "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout"), false),
    ).toBe(true);
    expect(isTransient(api(500, "VM 100 already exists on node 'pve'"), false)).toBe(false);
  });

  it('never retries 4xx or TLS failures', () => {
    expect(isTransient(new PveAuthError({ status: 401, pveMessage: 'x', request: 'GET /x' }), true)).toBe(
      false,
    );
    expect(isTransient(api(400, 'Parameter verification failed.'), true)).toBe(false);
    expect(isTransient(new PveTlsError('pin mismatch'), true)).toBe(false);
  });

  it('retries network failures of writes only when nothing was sent, unless idempotent', () => {
    expect(isTransient(net('ECONNREFUSED'), false)).toBe(true);
    expect(isTransient(net('ECONNRESET'), false)).toBe(false);
    expect(isTransient(net('ECONNRESET'), true)).toBe(true);
  });
});
