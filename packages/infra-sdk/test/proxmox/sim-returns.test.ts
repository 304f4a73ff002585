import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParamSpec, readSchema } from '../../scripts/proxmox-schema.js';
import { cloneVm, createSnapshot, type ProxmoxClient, startVm } from '../../src/index.js';
import type { PveSimulator } from '../../src/testing/index.js';
import { FAST_POLL, findSchema, simWithClient, TEMPLATE } from './fixtures.js';

/** Differences between a value and the schema's `returns`: missing required keys, wrong types. */
function mismatches(value: unknown, spec: ParamSpec, at: string, out: string[]): void {
  if (value === null || value === undefined) {
    if (spec.type !== 'null' && spec.type !== 'any')
      out.push(`${at}: ${String(value)} where ${spec.type} is due`);
    return;
  }
  switch (spec.type) {
    case 'integer':
      if (!Number.isInteger(value)) out.push(`${at}: ${JSON.stringify(value)} is not an integer`);
      return;
    case 'number':
      if (typeof value !== 'number') out.push(`${at}: ${JSON.stringify(value)} is not a number`);
      return;
    case 'boolean':
      if (value !== 0 && value !== 1 && typeof value !== 'boolean')
        out.push(`${at}: ${JSON.stringify(value)} is not a boolean`);
      return;
    case 'string':
      if (typeof value !== 'string') out.push(`${at}: ${JSON.stringify(value)} is not a string`);
      else if (spec.enum && !spec.enum.includes(value))
        out.push(`${at}: '${value}' is not one of ${spec.enum.join(', ')}`);
      return;
    case 'array':
      if (!Array.isArray(value)) out.push(`${at}: not an array`);
      else if (spec.items) {
        for (const [i, v] of value.entries()) mismatches(v, spec.items, `${at}[${i}]`, out);
      }
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) {
        out.push(`${at}: not an object`);
        return;
      }
      for (const [k, p] of Object.entries(spec.properties ?? {})) {
        if (p.index) continue;
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) {
          if (!p.optional) out.push(`${at}.${k}: required, missing`);
        } else mismatches(v, p, `${at}.${k}`, out);
      }
      return;
    default:
  }
}

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
