import { afterEach, describe, expect, it } from 'vitest';
import {
  ProxmoxClient,
  PveAbortedError,
  PveApiError,
  PveAuthError,
  PveForbiddenError,
  PveInvalidParamsError,
  PveInvalidResponseError,
  PveNetworkError,
  PveNotFoundError,
  PveTimeoutError,
  waitForTask,
} from '../../src/index.js';
import { PveSimulator, TICKET_LIFETIME_MS } from '../../src/testing/index.js';
import { simWithClient, TEMPLATE } from './fixtures.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function setup(...args: Parameters<typeof simWithClient>) {
  const s = await simWithClient(...args);
  cleanup.push(s.close);
  return s;
}

describe('ProxmoxClient: typed calls', () => {
  it('calls endpoints by key with typed params and answers', async () => {
    const { pve } = await setup();
    const id: number = await pve.call('GET /cluster/nextid');
    expect(id).toBe(100);
    const nodes = await pve.call('GET /nodes');
    expect(nodes.map((n) => n.node)).toEqual(['pve']);
    const config = await pve.call('GET /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid: TEMPLATE });
    expect(config.template).toBe(1);
  });

  it('carries status, Proxmox message and per-parameter errors on a 400', async () => {
    const { pve } = await setup();
    const err = await pve
      .call('POST /nodes/{node}/qemu/{vmid}/clone', { node: 'pve', vmid: TEMPLATE, newid: 42 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveInvalidParamsError);
    const e = err as PveInvalidParamsError;
    expect(e.code).toBe('LEV_ERR_PVE_INVALID_PARAMS');
    expect(e.status).toBe(400);
    expect(e.pveMessage).toBe('Parameter verification failed.');
    expect(e.paramErrors).toEqual({ newid: 'value must have a minimum value of 100' });
    expect(e.request).toBe(`POST /nodes/pve/qemu/${TEMPLATE}/clone`);
  });

  it('maps an endpoint the server does not implement to PveNotFoundError', async () => {
    const { pve } = await setup();
    const err = await pve.call('GET /nodes/{node}/lxc', { node: 'pve' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveNotFoundError);
    expect((err as PveNotFoundError).status).toBe(501);
  });

  it('creates a VM with POST /nodes/{node}/qemu and sees it in the list', async () => {
    const { pve, sim } = await setup();
    sim.tasks.hold(); // the create task waits for release(): no race with its duration
    const upid = await pve.call('POST /nodes/{node}/qemu', {
      node: 'pve',
      vmid: 700,
      name: 'scratch',
      memory: '4096',
      cores: 4,
      scsi0: 'local-lvm:16',
      net0: 'virtio,bridge=vmbr0',
    });
    expect(sim.vm(700)?.lock).toBe('create');
    sim.tasks.hold(false);
    sim.tasks.release();
    await waitForTask(pve, upid, { pollMinMs: 5, pollMaxMs: 20 });
    const list = await pve.call('GET /nodes/{node}/qemu', { node: 'pve' });
    expect(list.find((v) => v.vmid === 700)).toMatchObject({ name: 'scratch', status: 'stopped' });
    expect(sim.vm(700)?.config.cores).toBe(4);
    expect(sim.vm(700)?.lock).toBeUndefined();
  });

  it('throws PveForbiddenError when the token may not write', async () => {
    const { pve } = await setup({ readOnly: ['root@pam!sdk'] });
    expect(await pve.call('GET /nodes')).toHaveLength(1);
    const err = await pve
      .call('PUT /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid: TEMPLATE, description: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveForbiddenError);
    expect((err as PveForbiddenError).code).toBe('LEV_ERR_PVE_FORBIDDEN');
    expect((err as PveForbiddenError).status).toBe(403);
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    const { pve } = await setup({}, { maxResponseBytes: 200 });
    expect(await pve.call('GET /cluster/nextid')).toBe(100);
    const err = await pve.call('GET /cluster/resources').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveInvalidResponseError);
    expect((err as Error).message).toMatch(/maxResponseBytes/);
  });

  it('rejects a call with a missing path parameter before sending anything', async () => {
    const { pve, sim } = await setup();
    // @ts-expect-error vmid is required
    await expect(pve.call('GET /nodes/{node}/qemu/{vmid}/config', { node: 'pve' })).rejects.toThrow(
      /missing path parameter 'vmid'/,
    );
    expect(sim.requests).toHaveLength(0);
  });
});

describe('ProxmoxClient: ticket auth', () => {
  it('logs in, sends the CSRF token on writes and renews the ticket before two hours', async () => {
    let now = Date.UTC(2026, 0, 1);
    const sim = await PveSimulator.start({
      vms: [{ vmid: TEMPLATE, template: true }],
      users: { 'fleet@pve': 'pw' },
      now: () => now,
    });
    const pve = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { type: 'ticket', username: 'fleet@pve', password: 'pw' },
      now: () => now,
    });
    cleanup.push(async () => {
      await pve.close();
      await sim.close();
    });
    await pve.call('GET /nodes');
    // A write: the simulator refuses it without a valid CSRFPreventionToken.
    await pve.call('PUT /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid: TEMPLATE, description: 'x' });
    expect(sim.auth.issued).toBe(1);
    now += 100 * 60 * 1000; // past the 90-minute renewal age, still inside the two hours
    await pve.call('GET /nodes');
    expect(sim.auth.issued).toBe(2);
    expect(sim.count('POST /access/ticket')).toBe(2);
    // The renewed ticket outlives the first one's two hours.
    now += 30 * 60 * 1000;
    await pve.call('GET /nodes');
    expect(sim.auth.issued).toBe(2);
  });

  it('logs in again with the password after a ticket expired unnoticed', async () => {
    let simNow = Date.UTC(2026, 0, 1);
    const sim = await PveSimulator.start({ users: { 'fleet@pve': 'pw' }, now: () => simNow });
    // The client's clock lags: it believes the ticket is fresh; the server says 401.
    const pve = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { type: 'ticket', username: 'fleet@pve', password: 'pw' },
      now: () => 0,
    });
    cleanup.push(async () => {
      await pve.close();
      await sim.close();
    });
    await pve.call('GET /nodes');
    simNow += TICKET_LIFETIME_MS + 1000;
    await pve.call('GET /nodes');
    expect(sim.auth.issued).toBe(2);
  });

  it('logs in once for many concurrent first calls', async () => {
    const { sim } = await setup({ users: { 'fleet@pve': 'pw' } });
    const pve = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { type: 'ticket', username: 'fleet', realm: 'pve', password: 'pw' },
    });
    cleanup.push(() => pve.close());
    await Promise.all(Array.from({ length: 8 }, () => pve.call('GET /nodes')));
    expect(sim.count('POST /access/ticket')).toBe(1);
  });

  it('one caller aborting during the shared login does not fail the others', async () => {
    const { sim } = await setup({ users: { 'fleet@pve': 'pw' } });
    const pve = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { type: 'ticket', username: 'fleet@pve', password: 'pw' },
    });
    cleanup.push(() => pve.close());
    sim.injectFault({ match: 'POST /access/ticket', delayMs: 300 });
    const controller = new AbortController();
    const first = pve.call('GET /nodes', {}, { signal: controller.signal });
    const second = pve.call('GET /nodes');
    controller.abort();
    await expect(first).rejects.toBeInstanceOf(PveAbortedError);
    expect(await second).toHaveLength(1);
    expect(sim.count('POST /access/ticket')).toBe(1);
  });

  it('fails with PveAuthError on a wrong password', async () => {
    const { sim } = await setup({ users: { 'fleet@pve': 'pw' } });
    const pve = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { type: 'ticket', username: 'fleet@pve', password: 'nope' },
    });
    cleanup.push(() => pve.close());
    const err = await pve.call('GET /nodes').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveAuthError);
    expect((err as PveAuthError).code).toBe('LEV_ERR_PVE_AUTH_FAILED');
  });
});

describe('ProxmoxClient: retries', () => {
  it('retries 503 and lock timeouts with backoff, then succeeds', async () => {
    const { pve, sim } = await setup();
    const retries: number[] = [];
    pve.onRetry = (e) => retries.push(e.attempt);
    sim.injectFault({ match: 'GET /cluster/nextid', status: 503, message: 'Service Unavailable', times: 2 });
    expect(await pve.call('GET /cluster/nextid')).toBe(100);
    expect(retries).toEqual([1, 2]);
    sim.injectFault({
      match: 'PUT /nodes/{node}/qemu/{vmid}/config',
      status: 500,
      message: "can't lock file '/var/lock/qemu-server/lock-9000.conf' - got timeout",
    });
    await pve.call('PUT /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid: TEMPLATE, description: 'y' });
    expect(sim.vm(TEMPLATE)?.config.description).toBe('y');
  });

  it('does not retry a permanent 500', async () => {
    const { pve, sim } = await setup();
    const err = await pve
      .call('POST /nodes/{node}/qemu/{vmid}/status/start', { node: 'pve', vmid: TEMPLATE })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveApiError);
    expect((err as PveApiError).pveMessage).toBe("you can't start a vm if it's a template");
    expect(sim.count('POST /nodes/{node}/qemu/{vmid}/status/start')).toBe(1);
  });

  it('gives up after the configured attempts and throws the last error', async () => {
    const { pve, sim } = await setup({}, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    sim.injectFault({ match: 'GET /nodes', status: 502, message: 'Bad Gateway', times: 10 });
    const err = await pve.call('GET /nodes').catch((e: unknown) => e);
    expect((err as PveApiError).status).toBe(502);
    expect(sim.count('GET /nodes')).toBe(3);
  });

  it('retries a GET after a dropped connection, but not a POST that may have run', async () => {
    const { pve, sim } = await setup();
    sim.injectFault({ match: 'GET /nodes', drop: true });
    expect(await pve.call('GET /nodes')).toHaveLength(1);
    sim.injectFault({ match: 'POST /nodes/{node}/qemu/{vmid}/clone', drop: true, afterHandling: true });
    const err = await pve
      .call('POST /nodes/{node}/qemu/{vmid}/clone', { node: 'pve', vmid: TEMPLATE, newid: 200 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveNetworkError);
    expect(sim.count('POST /nodes/{node}/qemu/{vmid}/clone')).toBe(1);
    expect(sim.vm(200)).toBeDefined(); // it ran: retrying blindly would have been wrong
  });

  it('full jitter: delays stay within the doubling cap', async () => {
    const { backoffDelay } = await import('../../src/index.js');
    const opts = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, opts, () => 0.999)).toBe(99);
    expect(backoffDelay(3, opts, () => 0.999)).toBe(399);
    expect(backoffDelay(6, opts, () => 0.999)).toBe(999);
    expect(backoffDelay(3, opts, () => 0)).toBe(0);
  });
});

describe('ProxmoxClient: limits, abort, timeouts', () => {
  it('keeps at most concurrencyPerNode calls in flight per node', async () => {
    const { pve, sim } = await setup({ nodes: ['pve', 'pve2'] }, { concurrencyPerNode: 2 });
    sim.injectFault({ match: 'GET /nodes/{node}/qemu', delayMs: 150, times: 12 });
    await Promise.all([
      ...Array.from({ length: 6 }, () => pve.call('GET /nodes/{node}/qemu', { node: 'pve' })),
      ...Array.from({ length: 6 }, () => pve.call('GET /nodes/{node}/qemu', { node: 'pve2' })),
    ]);
    expect(sim.maxInFlight('pve')).toBe(2);
    expect(sim.maxInFlight('pve2')).toBe(2);
    expect(pve.activeCalls('pve')).toBe(0);
  });

  it('stops a call when its AbortSignal fires', async () => {
    const { pve, sim } = await setup();
    sim.injectFault({ match: 'GET /nodes', delayMs: 5_000 });
    const controller = new AbortController();
    const pending = pve.call('GET /nodes', {}, { signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toBeInstanceOf(PveAbortedError);
  });

  it('times a call out, retries included', async () => {
    const { pve, sim } = await setup();
    sim.injectFault({ match: 'GET /nodes', delayMs: 5_000 });
    const err = await pve.call('GET /nodes', {}, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveTimeoutError);
    expect((err as PveTimeoutError).code).toBe('LEV_ERR_PVE_TIMEOUT');
  });
});
