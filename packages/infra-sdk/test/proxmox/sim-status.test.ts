import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../scripts/proxmox-schema.js';
import { type ProxmoxClient, PveApiError } from '../../src/index.js';
import type { PveSimulator } from '../../src/testing/index.js';
import { findSchema, simWithClient } from './fixtures.js';
import { mismatches } from './schema-shape.js';

/** The simulator's status reads: figures a test sets come back, offline nodes read as Proxmox reports them. */
describe('simulator status reads', () => {
  let sim: PveSimulator;
  let pve: ProxmoxClient;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ sim, pve, close } = await simWithClient(
      {
        nodes: ['pve1', 'pve2', 'pve3'],
        vms: [
          { vmid: 100, node: 'pve1', name: 'game-1', status: 'running' },
          { vmid: 101, node: 'pve2', name: 'game-2', status: 'running' },
        ],
      },
      { retry: { attempts: 1 } },
    ));
  });
  afterAll(() => close());

  it('reports the load figures a test sets', async () => {
    sim.cluster.setNodeLoad('pve1', { cpu: 0.5, mem: 10 * 2 ** 30, maxmem: 64 * 2 ** 30 });
    sim.cluster.setStorageUsage('pve1', 'local-lvm', { used: 90 * 2 ** 30, total: 100 * 2 ** 30 });
    sim.cluster.setGuestLoad(100, { cpu: 0.25, mem: 2 ** 30 });

    const status = await pve.call('GET /nodes/{node}/status', { node: 'pve1' });
    expect(status.cpu).toBe(0.5);
    expect(status.memory).toMatchObject({ used: 10 * 2 ** 30, total: 64 * 2 ** 30 });
    const storage = await pve.call('GET /nodes/{node}/storage', { node: 'pve1', storage: 'local-lvm' });
    expect(storage).toHaveLength(1);
    expect(storage[0]).toMatchObject({ used: 90 * 2 ** 30, total: 100 * 2 ** 30, used_fraction: 0.9 });
    const resources = await pve.call('GET /cluster/resources', {});
    expect(resources.find((r) => r.id === 'node/pve1')).toMatchObject({ cpu: 0.5, mem: 10 * 2 ** 30 });
    expect(resources.find((r) => r.id === 'storage/pve1/local-lvm')).toMatchObject({ disk: 90 * 2 ** 30 });
    expect(resources.find((r) => r.id === 'qemu/100')).toMatchObject({ cpu: 0.25, mem: 2 ** 30 });
  });

  it('filters storages by content', async () => {
    sim.cluster.setStorageUsage('pve1', 'iso', { content: 'iso,vztmpl', used: 1, total: 2 });
    const images = await pve.call('GET /nodes/{node}/storage', { node: 'pve1', content: 'images' });
    expect(images.map((s) => s.storage)).toEqual(['local-lvm']);
  });

  it('takes an offline node out of the membership, keeps quorum with 2 of 3 and loses it with 1', async () => {
    sim.cluster.setNodeOnline('pve3', false);
    try {
      const status = await pve.call('GET /cluster/status', {});
      expect(status.find((s) => s.type === 'cluster')).toMatchObject({ quorate: 1, nodes: 3 });
      expect(status.find((s) => s.id === 'node/pve3')).toMatchObject({ online: 0 });
      const nodes = await pve.call('GET /nodes', {});
      const pve3 = nodes.find((n) => n.node === 'pve3');
      expect(pve3?.status).toBe('offline');
      expect(pve3?.cpu).toBeUndefined(); // extract_node_stats: no figures from an offline node

      // pveproxy cannot forward to it.
      const err = await pve.call('GET /nodes/{node}/status', { node: 'pve3' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PveApiError);
      expect((err as PveApiError).status).toBe(595);

      sim.cluster.setNodeOnline('pve2', false);
      const lost = await pve.call('GET /cluster/status', {});
      expect(lost.find((s) => s.type === 'cluster')?.quorate).toBe(0);
      const vm = (await pve.call('GET /cluster/resources', { type: 'vm' })).find((r) => r.vmid === 101);
      expect(vm?.status).toBe('unknown');
    } finally {
      sim.cluster.setNodeOnline('pve2', true);
      sim.cluster.setNodeOnline('pve3', true);
    }
  });

  const schemaPath = findSchema();
  describe.skipIf(!schemaPath)("answers match the schema's `returns`, offline nodes included", () => {
    const { endpoints } = readSchema(schemaPath ? readFileSync(schemaPath, 'utf8') : '[]');
    const returnsOf = (key: string) => {
      const e = endpoints.find((x) => `${x.method} ${x.path}` === key);
      if (!e) throw new Error(`no endpoint ${key}`);
      return e.returns;
    };
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['GET /nodes', () => pve.call('GET /nodes', {})],
      ['GET /cluster/status', () => pve.call('GET /cluster/status', {})],
      ['GET /cluster/resources', () => pve.call('GET /cluster/resources', {})],
      ['GET /nodes/{node}/status', () => pve.call('GET /nodes/{node}/status', { node: 'pve1' })],
      ['GET /nodes/{node}/storage', () => pve.call('GET /nodes/{node}/storage', { node: 'pve1' })],
    ];
    it.each(cases)('%s', async (key, run) => {
      sim.cluster.setNodeOnline('pve3', false);
      try {
        const out: string[] = [];
        mismatches(await run(), returnsOf(key), 'data', out);
        expect(out).toEqual([]);
      } finally {
        sim.cluster.setNodeOnline('pve3', true);
      }
    });
  });
});
