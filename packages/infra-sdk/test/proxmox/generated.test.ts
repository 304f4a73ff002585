import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  GENERATED_TABLE_PATH,
  GENERATED_TYPES_PATH,
  generateProxmoxApi,
} from '../../scripts/generate-proxmox-api.js';
import { parseIndexRange, readSchema } from '../../scripts/proxmox-schema.js';
import { findSchema, SCHEMA_FILE, SCHEMA_SEARCH } from './fixtures.js';

const PKG_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const schemaPath = findSchema();
if (!schemaPath && process.env.CI) {
  throw new Error(`CI=true and the Proxmox schema is missing: looked for ${SCHEMA_SEARCH}`);
}
if (!schemaPath)
  console.warn(`[test] ${SCHEMA_FILE} not found (${SCHEMA_SEARCH}): skipping the staleness check`);

describe.skipIf(!schemaPath)('generated Proxmox API', () => {
  const text = schemaPath ? readFileSync(schemaPath, 'utf8') : '';

  it('is up to date with the schema (regenerate: npx tsx packages/infra-sdk/scripts/generate-proxmox-api.ts <schema>)', () => {
    const fresh = generateProxmoxApi(text, SCHEMA_FILE);
    expect(
      readFileSync(join(PKG_ROOT, GENERATED_TYPES_PATH), 'utf8') === fresh.types,
      `${GENERATED_TYPES_PATH} is stale`,
    ).toBe(true);
    expect(
      readFileSync(join(PKG_ROOT, GENERATED_TABLE_PATH), 'utf8') === fresh.table,
      `${GENERATED_TABLE_PATH} is stale`,
    ).toBe(true);
    expect(fresh.endpointCount).toBe(649);
  });

  it('stays under 1 MiB and says what made it', () => {
    const types = readFileSync(join(PKG_ROOT, GENERATED_TYPES_PATH), 'utf8');
    expect(Buffer.byteLength(types)).toBeLessThan(1 << 20);
    expect(types.split('\n')[0]).toContain('Made by packages/infra-sdk/scripts/generate-proxmox-api.ts');
  });

  it('expands indexed parameters to their full ranges', () => {
    const types = readFileSync(join(PKG_ROOT, GENERATED_TYPES_PATH), 'utf8');
    for (const key of [
      'scsi0?',
      'scsi30?',
      'net0?',
      'net31?',
      'ipconfig31?',
      'virtio15?',
      'usb14?',
      'unused255?',
    ]) {
      expect(types, key).toContain(` ${key}:`);
    }
    for (const key of ['scsi31?', 'net32?', 'ipconfig32?', 'virtio16?'])
      expect(types, key).not.toContain(` ${key}:`);
    const { ranges } = readSchema(text);
    expect(ranges.get('scsi')).toEqual({ family: 'scsi', range: [0, 30], source: 'schema' });
    expect(ranges.get('net')?.source).toBe('upstream');
  });

  it('agrees with the disk enum of the resize endpoint (a second source in the schema)', () => {
    const { endpoints, ranges } = readSchema(text);
    const resize = endpoints.find(
      (e) => e.method === 'PUT' && e.path === '/nodes/{node}/qemu/{vmid}/resize',
    )!;
    const disks = resize.params.disk!.enum!;
    for (const family of ['ide', 'sata', 'scsi', 'virtio']) {
      const indices = disks
        .filter((d) => new RegExp(`^${family}\\d+$`).test(d))
        .map((d) => Number(d.slice(family.length)));
      expect([Math.min(...indices), Math.max(...indices)], family).toEqual(ranges.get(family)?.range);
    }
  });

  it('reads the range from the description, not from a table', () => {
    expect(
      parseIndexRange('scsi', { description: 'Use volume as SCSI hard disk or CD-ROM (n is 0 to 30).' }),
    ).toEqual([0, 30]);
    expect(
      parseIndexRange('usb', {
        description:
          'Configure an USB device (n is 0 to 4, for machine version >= 7.1 and ostype l26 or windows > 7, n can be up to 14).',
      }),
    ).toEqual([0, 14]);
    expect(
      parseIndexRange('link', { description: 'corosync link. (up to 8 links supported; link0..link7)' }),
    ).toEqual([0, 7]);
    expect(parseIndexRange('net', { description: 'Specify network devices.' })).toBeUndefined();
  });

  it('fails on an indexed parameter with no known range', () => {
    const schema = JSON.stringify([
      {
        path: '/x',
        info: {
          GET: {
            name: 'x',
            description: '',
            parameters: { properties: { 'wibble[n]': { type: 'string', description: 'no range' } } },
            returns: {},
          },
        },
      },
    ]);
    expect(() => readSchema(schema)).toThrow(/wibble\[n\] has no range/);
  });

  it('takes names, types, enums and required flags from the schema', () => {
    const { endpoints } = readSchema(text);
    const clone = endpoints.find((e) => e.method === 'POST' && e.path === '/nodes/{node}/qemu/{vmid}/clone')!;
    expect(clone.params.newid).toMatchObject({
      type: 'integer',
      optional: false,
      minimum: 100,
      maximum: 999999999,
    });
    expect(clone.params.format).toMatchObject({
      type: 'string',
      optional: true,
      enum: ['raw', 'qcow2', 'vmdk'],
    });
    const types = readFileSync(join(PKG_ROOT, GENERATED_TYPES_PATH), 'utf8');
    expect(types).toContain(
      '"POST /nodes/{node}/qemu/{vmid}/clone": { params: { bwlimit?: number; description?: string; format?: "raw" | "qcow2" | "vmdk"; full?: PveBoolean; name?: string; newid: number; node: string;',
    );
  });
});
