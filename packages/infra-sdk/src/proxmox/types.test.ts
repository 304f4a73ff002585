import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ProxmoxClient } from './client.js';
import type { PveEndpoint, PveParams, PveReturns } from './types.js';

/**
 * Compile-time checks: `pnpm typecheck` fails if a @ts-expect-error below stops being an error,
 * that is, if the generated types stop catching these mistakes.
 */
function mistakes(pve: ProxmoxClient): void {
  const node = 'pve';
  // @ts-expect-error an endpoint that does not exist
  void pve.call('POST /nodes/{node}/qemu/{vmid}/explode', {});
  // @ts-expect-error newid is required for a clone
  void pve.call('POST /nodes/{node}/qemu/{vmid}/clone', { node: 'pve', vmid: 9000 });
  // @ts-expect-error 'vhd' is not in the format enum
  void pve.call('POST /nodes/{node}/qemu/{vmid}/clone', { node, vmid: 9000, newid: 100, format: 'vhd' });
  // @ts-expect-error net32 is past the range of net[n]
  void pve.call('PUT /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid: 100, net32: 'virtio' });
  // @ts-expect-error scsi31 is past the range of scsi[n] (0 to 30)
  void pve.call('PUT /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid: 100, scsi31: 'local-lvm:1' });
  // @ts-expect-error vmid is a number
  void pve.call('GET /nodes/{node}/qemu/{vmid}/status/current', { node: 'pve', vmid: '100' });
  // Allowed: the last index of each range, and no params where none are required.
  void pve.call('PUT /nodes/{node}/qemu/{vmid}/config', {
    node: 'pve',
    vmid: 100,
    net31: 'virtio',
    scsi30: 'x',
    ipconfig31: 'ip=dhcp',
  });
  void pve.call('GET /cluster/nextid');
}

describe('generated endpoint types', () => {
  it('type params and answers from the schema', () => {
    expectTypeOf<PveReturns<'GET /cluster/nextid'>>().toEqualTypeOf<number>();
    expectTypeOf<PveReturns<'POST /nodes/{node}/qemu/{vmid}/clone'>>().toEqualTypeOf<string>();
    expectTypeOf<PveParams<'GET /nodes/{node}/tasks/{upid}/status'>>().toEqualTypeOf<{
      node: string;
      upid: string;
    }>();
    expectTypeOf<PveReturns<'GET /nodes/{node}/tasks/{upid}/status'>['status']>().toEqualTypeOf<
      'running' | 'stopped'
    >();
    expectTypeOf<'GET /version'>().toExtend<PveEndpoint>();
    expect(typeof mistakes).toBe('function');
  });
});
