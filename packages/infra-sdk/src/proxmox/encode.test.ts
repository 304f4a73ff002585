import { describe, expect, it } from 'vitest';
import { encodeRequest } from './encode.js';

describe('encodeRequest', () => {
  it('fills path placeholders, URL-encoded, and form-encodes the rest with booleans as 0/1', () => {
    const { path, form } = encodeRequest('/nodes/{node}/tasks/{upid}/status', {
      node: 'pve1',
      upid: 'UPID:pve1:1:2:3:qmclone:9000:root@pam:',
      full: true,
      skip: false,
      nothing: undefined,
    });
    expect(path).toBe('/nodes/pve1/tasks/UPID%3Apve1%3A1%3A2%3A3%3Aqmclone%3A9000%3Aroot%40pam%3A/status');
    expect(form).toBe('full=1&skip=0');
  });

  it('sends arrays as repeated keys', () => {
    expect(encodeRequest('/x', { vms: [100, 101] }).form).toBe('vms=100&vms=101');
  });

  it('double-encodes an already URL-encoded value (sshkeys)', () => {
    expect(encodeRequest('/x', { sshkeys: 'ssh-ed25519%20AAAA%2B' }).form).toBe(
      'sshkeys=ssh-ed25519%2520AAAA%252B',
    );
  });

  it('refuses a missing path parameter', () => {
    expect(() => encodeRequest('/nodes/{node}', {})).toThrow(/missing path parameter 'node'/);
  });
});
