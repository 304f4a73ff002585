import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParamSpec, readSchema } from '../../scripts/proxmox-schema.js';
import { cloneVm, createSnapshot, type ProxmoxClient, startVm } from '../../src/index.js';
import type { PveSimulator } from '../../src/testing/index.js';
import { FAST_POLL, findSchema, simWithClient, TEMPLATE } from './fixtures.js';
import { mismatches } from './schema-shape.js';

const schemaPath = findSchema();

describe.skipIf(!schemaPath)("the simulator's answers match the schema's `returns`", () => {
  const { endpoints } = readSchema(schemaPath ? readFileSync(schemaPath, 'utf8') : '[]');
  const returnsOf = (key: string): ParamSpec => {
    const e = endpoints.find((x) => `${x.method} ${x.path}` === key);
    if (!e) throw new Error(`no endpoint ${key}`);
    return e.returns;
  };
  let sim: PveSimulator;
  let pve: ProxmoxClient;
  let close: () => Promise<void>;
  let vmid = 0;
  let upid = '';

  beforeAll(async () => {
    ({ sim, pve, close } = await simWithClient());
    const vm = await cloneVm(pve, { node: 'pve', template: TEMPLATE, name: 'shape', ...FAST_POLL });
    vmid = vm.vmid;
    await pve.call('PUT /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid, agent: '1', tags: 'a;b' });
    upid = (await startVm(pve, vm, FAST_POLL)).upid;
  });
  afterAll(() => close());

  const cases: Array<[string, () => Promise<unknown>]> = [
    ['GET /version', () => pve.call('GET /version')],
    ['GET /nodes', () => pve.call('GET /nodes')],
    ['GET /cluster/nextid', () => pve.call('GET /cluster/nextid')],
    ['GET /cluster/resources', () => pve.call('GET /cluster/resources')],
    ['GET /nodes/{node}/qemu', () => pve.call('GET /nodes/{node}/qemu', { node: 'pve' })],
    [
      'GET /nodes/{node}/qemu/{vmid}/config',
      () => pve.call('GET /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid }),
    ],
    [
      'GET /nodes/{node}/qemu/{vmid}/status/current',
      () => pve.call('GET /nodes/{node}/qemu/{vmid}/status/current', { node: 'pve', vmid }),
    ],
    [
      'GET /nodes/{node}/tasks/{upid}/status',
      () => pve.call('GET /nodes/{node}/tasks/{upid}/status', { node: 'pve', upid }),
    ],
    [
      'GET /nodes/{node}/tasks/{upid}/log',
      () => pve.call('GET /nodes/{node}/tasks/{upid}/log', { node: 'pve', upid }),
    ],
    [
      'GET /nodes/{node}/qemu/{vmid}/snapshot',
      async () => {
        await createSnapshot(pve, { node: 'pve', vmid }, 'shape', { vmstate: true, ...FAST_POLL });
        return pve.call('GET /nodes/{node}/qemu/{vmid}/snapshot', { node: 'pve', vmid });
      },
    ],
    [
      'POST /access/ticket',
      async () => {
        const res = await fetch(`${sim.url}/api2/json/access/ticket`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'username=root%40pam&password=secret',
        });
        return ((await res.json()) as { data: unknown }).data;
      },
    ],
  ];

  it.each(cases)('%s', async (key, run) => {
    const out: string[] = [];
    mismatches(await run(), returnsOf(key), 'data', out);
    expect(out).toEqual([]);
  });
});
