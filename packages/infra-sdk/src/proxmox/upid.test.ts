import { describe, expect, it } from 'vitest';
import { formatUpid, parseUpid } from './upid.js';

describe('UPID', () => {
  it('parses a real qemu-server UPID', () => {
    expect(parseUpid('UPID:pve1:00012A3B:0049F2C1:6745A1B2:qmclone:9000:root@pam!deploy:')).toEqual({
      node: 'pve1',
      pid: 0x12a3b,
      pstart: 0x49f2c1,
      starttime: 0x6745a1b2,
      type: 'qmclone',
      id: '9000',
      user: 'root@pam!deploy',
    });
  });

  it('round-trips through formatUpid', () => {
    const u = {
      node: 'n-2',
      pid: 7,
      pstart: 99,
      starttime: 1_700_000_000,
      type: 'qmstart',
      id: '101',
      user: 'a@pve',
    };
    expect(parseUpid(formatUpid(u))).toEqual(u);
  });

  it('rejects what is not a UPID', () => {
    expect(() => parseUpid('UPID:pve1:zz')).toThrow(/not a Proxmox UPID/);
    expect(() => parseUpid('')).toThrow(/LEV|UPID/);
  });
});
