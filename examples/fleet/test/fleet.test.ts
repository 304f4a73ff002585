import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeSshKeys,
  engineScrapeConfig,
  formatPrometheusConfig,
  PrometheusClient,
  ProxmoxClient,
} from '@leviathan/infra-sdk';
import { PveSimulator } from '@leviathan/infra-sdk/testing';
import { freePort, hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleet } from '../src/fleet.js';

const PLAYBOOK = fileURLToPath(new URL('../playbooks/deploy.yml', import.meta.url));
const COUNT = 3;
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFleetTestKey+/= fleet@ci';

/** An engine stand-in per VM: /metrics on loopback (tests never leave 127.0.0.0/8). */
async function metricsServer(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE leviathan_connections gauge\nleviathan_connections{node="${name}"} 0\n`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

const haveTools = hasTool('ansible-playbook', 'ansible') && hasTool('prometheus');

describe.skipIf(!haveTools)(
  'examples/fleet against the Proxmox simulator, real Ansible and real Prometheus',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'leviathan-fleet-'));
    const fileSdPath = join(dir, 'file_sd', 'leviathan.json');
    const servers: Server[] = [];
    const ports = new Map<string, number>();
    let sim: PveSimulator;
    let pve: ProxmoxClient;
    let prom: PrometheusClient;
    let prometheus: ChildProcess | undefined;

    beforeAll(async () => {
      sim = await PveSimulator.start({
        nodes: ['pve1'],
        vms: [
          {
            vmid: 9000,
            node: 'pve1',
            name: 'ubuntu-2404-cloud',
            template: true,
            config: { ide2: 'local-lvm:vm-9000-cloudinit,media=cdrom' },
          },
        ],
        taskDurationMs: 30,
      });
      pve = new ProxmoxClient({
        baseUrl: sim.url,
        auth: { type: 'token', tokenId: 'root@pam!sdk', secret: '00000000-0000-4000-8000-000000000000' },
        concurrencyPerNode: 2,
      });
      for (let i = 0; i < COUNT; i++) {
        const m = await metricsServer(`game-${i}`);
        servers.push(m.server);
        ports.set(`game-${i}`, m.port);
      }
      const config = join(dir, 'prometheus.yml');
      writeFileSync(
        config,
        formatPrometheusConfig({
          scrapeIntervalSeconds: 1,
          scrapeConfigs: [
            engineScrapeConfig({
              fileSdFiles: [fileSdPath],
              scrapeIntervalSeconds: 1,
              fileSdRefreshSeconds: 1,
            }),
          ],
        }),
      );
      const port = await freePort();
      prometheus = spawn(
        'prometheus',
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: 'ignore' },
      );
      prom = new PrometheusClient({ url: `http://127.0.0.1:${port}` });
      const deadline = Date.now() + 30_000;
      while (!(await prom.ready().catch(() => false))) {
        if (Date.now() > deadline) throw new Error('Prometheus did not become ready');
        await new Promise((r) => setTimeout(r, 100));
      }
    }, 60_000);

    afterAll(async () => {
      prometheus?.kill('SIGTERM');
      if (prometheus && prometheus.exitCode === null) await once(prometheus, 'exit');
      await prom?.close();
      await pve?.close();
      await sim?.close();
      for (const s of servers) s.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('clones, configures, starts, deploys, registers and reads back the health of the fleet', async () => {
      const lines: string[] = [];
      const result = await runFleet({
        pve,
        prometheus: prom,
        node: 'pve1',
        template: 9000,
        count: COUNT,
        cloudInit: {
          user: 'leviathan',
          sshKeys: [SSH_KEY],
          nameservers: ['10.77.0.1'],
          address: (i) => ({ ip: `10.77.0.${11 + i}/24`, gw: '10.77.0.1' }),
        },
        growDisk: '+10G',
        playbook: PLAYBOOK,
        // The "VMs" are simulated: Ansible works on this machine, into a scratch directory.
        hostVars: { ansible_connection: 'local', ansible_python_interpreter: 'auto_silent' },
        extraVars: { deploy_root: join(dir, 'deploy') },
        fileSdPath,
        metricsTarget: (name) => ({ host: '127.0.0.1', port: ports.get(name)! }),
        waitTimeoutMs: 60_000,
        log: (l) => lines.push(l),
      });

      // Proxmox: three linked clones of the template, configured and running.
      expect(result.vms.map((v) => v.vmid).sort()).toEqual([100, 101, 102]);
      for (const [i, vm] of result.vms.entries()) {
        const sv = sim.vm(vm.vmid)!;
        expect(sv.status).toBe('running');
        expect(sv.config.name).toBe(`game-${i}`);
        expect(sv.config.ipconfig0).toBe(`ip=10.77.0.${11 + i}/24,gw=10.77.0.1`);
        expect(decodeSshKeys(String(sv.config.sshkeys))).toEqual([SSH_KEY]);
        expect(sv.config.scsi0).toMatch(/base-9000-disk-0\/vm-\d+-disk-0.*size=20G/);
      }
      expect(sim.maxInFlight('pve1')).toBeLessThanOrEqual(2);

      // Ansible: the inventory came from Proxmox, and the playbook ran on every host.
      expect(Object.keys(result.inventory.hosts).sort()).toEqual(['game-0', 'game-1', 'game-2']);
      expect(result.inventory.hosts['game-1']).toMatchObject({ ansible_host: '10.77.0.12' });
      expect(result.deploy.failedHosts).toEqual([]);
      expect(Object.keys(result.deploy.stats).sort()).toEqual(['game-0', 'game-1', 'game-2']);
      const env = readFileSync(join(dir, 'deploy', 'game-2', 'leviathan.env'), 'utf8');
      expect(env).toContain('LEVIATHAN_PUBLIC_ADDRESS=10.77.0.13');
      expect(env).toMatch(/LEVIATHAN_PROXMOX_VMID=10\d/);

      // Prometheus: the file_sd targets are scraped and every node is up.
      const sd = JSON.parse(readFileSync(fileSdPath, 'utf8')) as Array<{ labels: { node: string } }>;
      expect(sd.map((g) => g.labels.node).sort()).toEqual(['game-0', 'game-1', 'game-2']);
      expect(result.health).toEqual({ 'game-0': true, 'game-1': true, 'game-2': true });
      expect(lines.some((l) => l.startsWith('ansible: write the engine environment'))).toBe(true);
    }, 120_000);
  },
);
