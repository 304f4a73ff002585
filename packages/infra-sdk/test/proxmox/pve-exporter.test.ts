import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@leviathan/test-support';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveExporter, ProxmoxClient, type PveExporter } from '../../src/index.js';
import { PveSimulator } from '../../src/testing/index.js';
import { TOKEN_ID, TOKEN_SECRET } from './fixtures.js';

/** One sample of the text format: name, labels, value. */
interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the one sample with this name whose labels include `labels`. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length > 1) throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return hits[0]?.value;
}

async function scrape(url: string): Promise<{ status: number; type: string; samples: Sample[] }> {
  const res = await request(`${url}/metrics`);
  const text = await res.body.text();
  return { status: res.statusCode, type: String(res.headers['content-type']), samples: parseSamples(text) };
}

const GiB = 2 ** 30;

describe('Proxmox exporter against the simulator', () => {
  let sim: PveSimulator;
  let client: ProxmoxClient;
  let exporter: PveExporter;
  const logs: string[] = [];

  beforeAll(async () => {
    sim = await PveSimulator.start({
      nodes: ['pve1', 'pve2', 'pve3'],
      vms: [
        { vmid: 100, node: 'pve1', name: 'game-1', status: 'running' },
        { vmid: 101, node: 'pve2', name: 'game-2', status: 'stopped' },
        { vmid: 9000, node: 'pve1', name: 'template', template: true },
      ],
    });
    client = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { type: 'token', tokenId: TOKEN_ID, secret: TOKEN_SECRET },
      retry: { attempts: 1 },
    });
    exporter = await createPveExporter({ client, port: 0, log: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await exporter.close();
    await client.close();
    await sim.close();
  });

  it('serves the simulated figures in the text format', async () => {
    sim.cluster.setNodeLoad('pve1', { cpu: 0.42, mem: 12 * GiB, maxmem: 64 * GiB, maxcpu: 16 });
    sim.cluster.setStorageUsage('pve1', 'local-lvm', { used: 87 * GiB, total: 100 * GiB });
    sim.cluster.setGuestLoad(100, { cpu: 0.3, mem: 3 * GiB, uptime: 120 });

    const { status, type, samples } = await scrape(exporter.url);
    expect(status).toBe(200);
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(value(samples, 'pve_scrape_success')).toBe(1);
    expect(value(samples, 'pve_scrape_duration_seconds')).toBeGreaterThan(0);
    expect(value(samples, 'pve_cluster_quorate', { cluster: 'leviathan-sim' })).toBe(1);
    expect(value(samples, 'pve_cluster_nodes')).toBe(3);
    expect(value(samples, 'pve_up', { id: 'node/pve1', type: 'node', node: 'pve1' })).toBe(1);
    expect(value(samples, 'pve_node_cpu_ratio', { node: 'pve1' })).toBe(0.42);
    expect(value(samples, 'pve_node_cpus', { node: 'pve1' })).toBe(16);
    expect(value(samples, 'pve_node_memory_used_bytes', { node: 'pve1' })).toBe(12 * GiB);
    expect(value(samples, 'pve_node_memory_total_bytes', { node: 'pve1' })).toBe(64 * GiB);
    const store = { node: 'pve1', storage: 'local-lvm' };
    expect(value(samples, 'pve_storage_used_bytes', store)).toBe(87 * GiB);
    expect(value(samples, 'pve_storage_size_bytes', store)).toBe(100 * GiB);
    expect(value(samples, 'pve_storage_shared', store)).toBe(0);
    const game1 = { vmid: '100', name: 'game-1', node: 'pve1', type: 'qemu' };
    expect(value(samples, 'pve_guest_running', game1)).toBe(1);
    expect(value(samples, 'pve_guest_cpu_ratio', game1)).toBe(0.3);
    expect(value(samples, 'pve_guest_memory_bytes', game1)).toBe(3 * GiB);
    expect(value(samples, 'pve_guest_uptime_seconds', game1)).toBe(120);
    expect(value(samples, 'pve_guest_running', { vmid: '101' })).toBe(0);
    // Templates are disk images, not workloads.
    expect(samples.filter((s) => s.labels.vmid === '9000')).toEqual([]);
  });

  it('reads a node taken offline as pve_up 0, without figures, and its guests as not running', async () => {
    sim.cluster.setNodeOnline('pve2', false);
    try {
      const { samples } = await scrape(exporter.url);
      expect(value(samples, 'pve_scrape_success')).toBe(1);
      expect(value(samples, 'pve_up', { id: 'node/pve2' })).toBe(0);
      expect(value(samples, 'pve_up', { id: 'node/pve1' })).toBe(1);
      expect(value(samples, 'pve_node_cpu_ratio', { node: 'pve2' })).toBeUndefined();
      expect(value(samples, 'pve_up', { id: 'storage/pve2/local-lvm' })).toBe(0);
      expect(value(samples, 'pve_storage_used_bytes', { node: 'pve2' })).toBeUndefined();
      expect(value(samples, 'pve_cluster_quorate')).toBe(1); // 2 of 3

      sim.cluster.setNodeOnline('pve3', false);
      const lost = await scrape(exporter.url);
      expect(value(lost.samples, 'pve_cluster_quorate')).toBe(0);
    } finally {
      sim.cluster.setNodeOnline('pve2', true);
      sim.cluster.setNodeOnline('pve3', true);
    }
  });

  it('answers /healthz, and 404 elsewhere', async () => {
    const health = await request(`${exporter.url}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.text()).toBe('ok\n');
    const other = await request(`${exporter.url}/`);
    expect(other.statusCode).toBe(404);
    await other.body.dump();
  });

  it('answers 200 with pve_scrape_success 0 and logs once when Proxmox is unreachable', async () => {
    const port = await freePort(); // nothing listens there
    const lost = new ProxmoxClient({
      baseUrl: `http://127.0.0.1:${port}`,
      auth: { type: 'token', tokenId: TOKEN_ID, secret: TOKEN_SECRET },
      retry: { attempts: 1 },
    });
    const lines: string[] = [];
    const dark = await createPveExporter({ client: lost, port: 0, log: (l) => lines.push(l) });
    try {
      for (let i = 0; i < 2; i++) {
        const { status, samples } = await scrape(dark.url);
        expect(status).toBe(200);
        expect(value(samples, 'pve_scrape_success')).toBe(0);
        expect(samples.filter((s) => s.name === 'pve_up')).toEqual([]);
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^pve-exporter: reading the Proxmox API failed: GET \/cluster\/\w+/);
    } finally {
      await dark.close();
      await lost.close();
    }
  });

  it('gives up within the scrape timeout Prometheus announces when Proxmox hangs', async () => {
    const fault = sim.injectFault({ match: 'GET /cluster/resources', delayMs: 3000, times: 1 });
    try {
      const res = await request(`${exporter.url}/metrics`, {
        headers: { 'x-prometheus-scrape-timeout-seconds': '1.5' },
      });
      const samples = parseSamples(await res.body.text());
      // Had it waited out the 3 s hang, the read would have succeeded: 0 is the timeout at work.
      expect(value(samples, 'pve_scrape_success')).toBe(0);
      expect(logs.some((l) => l.includes('timed out') || l.includes('failed'))).toBe(true);
    } finally {
      fault.remove();
    }
  });
});

describe('leviathan-pve-exporter (the bin, from its sources)', () => {
  const BIN = fileURLToPath(new URL('../../src/bin/pve-exporter.ts', import.meta.url));
  let sim: PveSimulator;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    sim = await PveSimulator.start({ nodes: ['pve1'] });
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await sim.close();
  });

  it('starts from flags and the token in the environment, serves /metrics and stops on SIGTERM', async () => {
    const port = await freePort();
    child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', BIN, '--pve-url', sim.url, '--listen', `127.0.0.1:${port}`],
      {
        env: { ...process.env, PROXMOX_VE_API_TOKEN: `${TOKEN_ID}=${TOKEN_SECRET}` },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!stderr.includes('serving')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(stderr).toContain(`serving http://127.0.0.1:${port}/metrics`);
    expect(stderr).not.toContain(TOKEN_SECRET);
    const { samples } = await scrape(`http://127.0.0.1:${port}`);
    expect(value(samples, 'pve_up', { id: 'node/pve1' })).toBe(1);
    expect(value(samples, 'pve_cluster_quorate')).toBeUndefined(); // standalone: no quorum to report
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 2 with the usage when the token is missing', async () => {
    const env = { ...process.env };
    delete env.PROXMOX_VE_API_TOKEN;
    const run = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', BIN, '--pve-url', sim.url],
      {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    run.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => run.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain('PROXMOX_VE_API_TOKEN must be set');
    expect(stderr).toContain('Usage: leviathan-pve-exporter');
  });
});
