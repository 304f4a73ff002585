import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PveSimulator } from '../../src/testing/index.js';
import { TEMPLATE, TOKEN_ID, TOKEN_SECRET } from './fixtures.js';

describe('PveSimulator (raw HTTP, as Proxmox answers)', () => {
  let sim: PveSimulator;
  const auth = { authorization: `PVEAPIToken=${TOKEN_ID}=${TOKEN_SECRET}` };

  beforeAll(async () => {
    sim = await PveSimulator.start({ vms: [{ vmid: TEMPLATE, template: true }] });
  });
  afterAll(() => sim.close());

  const get = async (path: string, headers: Record<string, string> = auth) => {
    const res = await request(`${sim.url}/api2/json${path}`, { headers });
    return {
      status: res.statusCode,
      statusText: res.statusText,
      type: res.headers['content-type'],
      body: (await res.body.json()) as Record<string, unknown>,
    };
  };
  const post = async (path: string, form: Record<string, string>, method: 'POST' | 'PUT' = 'POST') => {
    const res = await request(`${sim.url}/api2/json${path}`, {
      method,
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return {
      status: res.statusCode,
      statusText: res.statusText,
      body: (await res.body.json()) as Record<string, unknown>,
    };
  };

  it('answers in the {"data": ...} envelope with a JSON content type', async () => {
    const r = await get('/cluster/nextid');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/json;charset=UTF-8');
    expect(r.body).toEqual({ data: 100 });
  });

  it('refuses requests without credentials with 401', async () => {
    const r = await get('/nodes', {});
    expect(r.status).toBe(401);
    expect(r.statusText).toBe('No ticket');
    expect(r.body.data).toBeNull();
  });

  it('refuses a wrong token secret', async () => {
    const r = await get('/nodes', { authorization: `PVEAPIToken=${TOKEN_ID}=wrong` });
    expect(r.status).toBe(401);
  });

  it('validates against the schema: missing, enum, type, bounds, unknown, each per parameter', async () => {
    const r = await post(`/nodes/pve/qemu/${TEMPLATE}/clone`, { full: 'maybe', format: 'vhd', bogus: '1' });
    expect(r.status).toBe(400);
    expect(r.statusText).toBe('Parameter verification failed.');
    expect(r.body.errors).toEqual({
      newid: 'property is missing and it is not optional',
      full: "type check ('boolean') failed - got 'maybe'",
      format: "value 'vhd' does not have a value in the enumeration 'raw, qcow2, vmdk'",
      bogus: 'property is not defined in schema and the schema does not allow additional properties',
    });
    const low = await post(`/nodes/pve/qemu/${TEMPLATE}/clone`, { newid: '99' });
    expect(low.body.errors).toEqual({ newid: 'value must have a minimum value of 100' });
    expect(sim.vm(99)).toBeUndefined();
  });

  it('checks patterns, lengths, named formats and array items', async () => {
    const resize = await post(`/nodes/pve/qemu/${TEMPLATE}/resize`, { disk: 'scsi0', size: 'big' }, 'PUT');
    expect(resize.body.errors).toEqual({ size: 'value does not match the regex pattern' });
    const clone = await post(`/nodes/pve/qemu/${TEMPLATE}/clone`, {
      newid: '160',
      name: 'not_a_dns_name!',
      snapname: 's'.repeat(41),
    });
    expect(clone.body.errors).toEqual({
      name: 'value does not look like a valid DNS name',
      snapname: 'value may only be 40 characters long',
    });
    // Array parameters come as repeated keys; each item is checked (`vms` items are VMIDs).
    const res = await request(`${sim.url}/api2/json/cluster/bulk-action/guest/start`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'vms=100&vms=7',
    });
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as { errors: unknown }).errors).toEqual({
      vms: 'value must have a minimum value of 100',
    });
  });

  it('knows the index range of indexed parameters: net31 is valid, net32 is not', async () => {
    const ok = await post(`/nodes/pve/qemu/${TEMPLATE}/config`, { net31: 'virtio,bridge=vmbr0' }, 'PUT');
    expect(ok.status).toBe(200);
    const bad = await post(
      `/nodes/pve/qemu/${TEMPLATE}/config`,
      { net32: 'virtio,bridge=vmbr0', scsi31: 'local-lvm:1' },
      'PUT',
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors as object).sort()).toEqual(['net32', 'scsi31']);
  });

  it('checks property strings against their format', async () => {
    const r = await post(
      `/nodes/pve/qemu/${TEMPLATE}/config`,
      { net0: 'virtio,bridge=vmbr0,colour=red' },
      'PUT',
    );
    expect(r.status).toBe(400);
    expect((r.body.errors as Record<string, string>).net0).toMatch(/colour: property is not defined/);
  });

  it('answers 501 for schema endpoints it does not model and 404 for paths outside the schema', async () => {
    const modelled = await get('/nodes/pve/lxc');
    expect(modelled.status).toBe(501);
    const unknown = await get('/no/such/path');
    expect(unknown.status).toBe(404);
  });

  it('answers malformed requests with an error and keeps serving', async () => {
    const bad = await request(`${sim.url}/api2/json/nodes/%E0%A4%A/qemu`, { headers: auth });
    expect(bad.statusCode).toBe(400);
    await bad.body.dump();
    expect((await get('/cluster/nextid')).status).toBe(200);
  });

  it('gives tasks UPIDs whose status runs then stops', async () => {
    sim.tasks.hold(); // the task runs until released: no race with its duration
    const r = await post(`/nodes/pve/qemu/${TEMPLATE}/clone`, { newid: '150', name: 'raw-clone' });
    expect(r.status).toBe(200);
    const upid = r.body.data as string;
    expect(upid).toMatch(/^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmclone:9000:root@pam:$/);
    const during = await get(`/nodes/pve/tasks/${encodeURIComponent(upid)}/status`);
    expect((during.body.data as { status: string }).status).toBe('running');
    expect(sim.vm(150)?.lock).toBe('clone');
    const locked = await post('/nodes/pve/qemu/150/config', { description: 'x' }, 'PUT');
    expect(locked.status).toBe(500);
    expect(locked.statusText).toBe('VM 150 is locked (clone)');
    sim.tasks.hold(false);
    sim.tasks.release(upid);
    const after = await get(`/nodes/pve/tasks/${encodeURIComponent(upid)}/status`);
    expect(after.body.data).toMatchObject({
      status: 'stopped',
      exitstatus: 'OK',
      type: 'qmclone',
      id: '9000',
    });
    expect(sim.vm(150)?.lock).toBeUndefined();
    const log = await get(`/nodes/pve/tasks/${encodeURIComponent(upid)}/log`);
    expect((log.body.data as Array<{ t: string }>).at(-1)).toEqual({ n: 3, t: 'TASK OK' });
    expect((log.body.data as Array<{ t: string }>)[1]?.t).toMatch(/^create linked clone of drive scsi0/);
  });

  it('requires the CSRF token on writes made with a ticket', async () => {
    const login = await request(`${sim.url}/api2/json/access/ticket`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=root%40pam&password=secret',
    });
    const grant = ((await login.body.json()) as { data: { ticket: string; CSRFPreventionToken: string } })
      .data;
    const cookie = `PVEAuthCookie=${encodeURIComponent(grant.ticket)}`;
    const put = (headers: Record<string, string>) =>
      request(`${sim.url}/api2/json/nodes/pve/qemu/${TEMPLATE}/config`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'description=csrf',
      });
    const without = await put({});
    expect(without.statusCode).toBe(401);
    expect(without.statusText).toBe('Permission denied - invalid csrf token');
    await without.body.dump();
    const withToken = await put({ csrfpreventiontoken: grant.CSRFPreventionToken });
    expect(withToken.statusCode).toBe(200);
    await withToken.body.dump();
    const read = await get('/nodes', { cookie });
    expect(read.status).toBe(200);
  });
});
