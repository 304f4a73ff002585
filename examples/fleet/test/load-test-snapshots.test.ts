import { ProxmoxClient } from '@leviathan/infra-sdk';
import { PveSimulator } from '@leviathan/infra-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLoadTestWithSnapshots } from '../src/load-test-snapshots.js';

const TARGETS = [
  { node: 'pve', vmid: 101 },
  { node: 'pve', vmid: 102 },
];

let sim: PveSimulator;
let pve: ProxmoxClient;
beforeEach(async () => {
  sim = await PveSimulator.start({ vms: TARGETS.map((t) => ({ ...t, status: 'running' as const })) });
  pve = new ProxmoxClient({
    baseUrl: sim.url,
    auth: { type: 'token', tokenId: 'root@pam!sdk', secret: '00000000-0000-4000-8000-000000000000' },
  });
});
afterEach(async () => {
  await pve.close();
  await sim.close();
});

describe('a load test between a snapshot and a rollback', () => {
  it('runs the command while the snapshots exist, then rolls back, restarts and cleans up', async () => {
    const lines: string[] = [];
    // The command stands in for the load test: it fails unless it finds the snapshot in place.
    const check = `fetch('${sim.url}/api2/json/nodes/pve/qemu/101/snapshot', { headers: { authorization:
      'PVEAPIToken=root@pam!sdk=00000000-0000-4000-8000-000000000000' } })
      .then((r) => r.json()).then(({ data }) => process.exit(data.some((s) => s.name === 'load_test') ? 0 : 3))`;
    const code = await runLoadTestWithSnapshots({
      pve,
      targets: TARGETS,
      command: [process.execPath, '-e', check],
      log: (l) => lines.push(l),
    });
    expect(code).toBe(0);
    for (const { vmid } of TARGETS) {
      expect(sim.vm(vmid)?.snapshots.size).toBe(0);
      expect(sim.vm(vmid)?.status).toBe('running');
      expect(sim.vm(vmid)?.config.parent).toBeUndefined();
    }
    expect(lines).toContain('[snapshots] rollback VM 102: done');
    expect(lines.indexOf('[snapshots] run: started')).toBeGreaterThan(
      lines.indexOf('[snapshots] snapshot VM 101: done'),
    );
  });

  it("passes the load generator's exit code through, after the rollback", async () => {
    const code = await runLoadTestWithSnapshots({
      pve,
      targets: TARGETS,
      command: [process.execPath, '-e', 'process.exit(99)'],
      rollback: 'on-failure',
    });
    expect(code).toBe(99);
    const types = sim.tasks.all().map((t) => t.type);
    expect(types.filter((t) => t === 'qmrollback')).toHaveLength(2);
  });
});
