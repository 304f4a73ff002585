import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InventoryBuilder, parseInventory, writeInventory } from '../../src/ansible/index.js';

const dir = mkdtempSync(join(tmpdir(), 'leviathan-inventory-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Property check against the real reader, kept cheap: many random values go into one inventory
 * (one host each), so each format costs one `ansible-inventory` run. The seed is fixed so that a
 * failure reproduces; change it to explore.
 */
const values = [
  ...fc.sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 300, seed: 20261126 }),
  // Any Unicode text, not only ASCII.
  ...fc.sample(fc.jsonValue({ maxDepth: 2, stringUnit: 'grapheme' }), { numRuns: 100, seed: 20261126 }),
];
const inventory = (() => {
  const b = new InventoryBuilder();
  for (const [i, value] of values.entries()) b.host(`h${i}`, { v: value }, ['random']);
  return b.build();
})();

describe.skipIf(!hasTool('ansible-inventory', 'ansible'))(
  'random variable values as Ansible reads them',
  () => {
    for (const ext of ['ini', 'yml', 'json'] as const) {
      it(`survive a ${ext} inventory unchanged`, async () => {
        const path = join(dir, `random.${ext}`);
        await writeInventory(path, inventory);
        const res = spawnSync('ansible-inventory', ['--list', '--export', '-i', path], {
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, ANSIBLE_INVENTORY_UNPARSED_FAILED: '1' },
        });
        expect(res.status, res.stderr).toBe(0);
        const read = parseInventory(res.stdout, 'list');
        for (const [i, value] of values.entries()) {
          expect({ host: i, v: read.hosts[`h${i}`]?.v }).toEqual({ host: i, v: value });
        }
      });
    }
  },
);
