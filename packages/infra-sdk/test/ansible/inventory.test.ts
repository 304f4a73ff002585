import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { InventoryInvalidError, InventoryParseError } from '../../src/ansible/errors.js';
import {
  formatInventory,
  type Inventory,
  InventoryBuilder,
  type InventoryFormat,
  parseInventory,
  readInventory,
  writeInventory,
} from '../../src/ansible/index.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'leviathan-inventory-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What the real Ansible reads from a file: `ansible-inventory --list --export`, in our model. */
function ansibleReads(path: string): Inventory {
  const res = spawnSync('ansible-inventory', ['--list', '--export', '-i', path], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_INVENTORY_UNPARSED_FAILED: '1', ANSIBLE_NOCOLOR: '1' },
  });
  if (res.status !== 0) throw new Error(`ansible-inventory failed: ${res.stderr}`);
  return parseInventory(res.stdout, 'list');
}

/** Order of hosts and children within a group carries no meaning. */
function normalise(inv: Inventory): Inventory {
  const groups = Object.fromEntries(
    Object.entries(inv.groups)
      .filter(([name, g]) => name !== 'ungrouped' || g.hosts.length > 0 || Object.keys(g.vars).length > 0)
      .map(([name, g]) => [
        name,
        { hosts: [...g.hosts].sort(), children: [...g.children].sort(), vars: g.vars },
      ])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
  const hosts = Object.fromEntries(Object.entries(inv.hosts).sort(([a], [b]) => a.localeCompare(b)));
  return { hosts, groups, vars: inv.vars };
}

const tricky = new InventoryBuilder()
  .group('all', { ntp: 'pool.ntp.org', retries: 3 })
  .host(
    'engine-1',
    {
      ansible_host: '10.0.0.5',
      port_as_text: '22',
      port: 22,
      yes_as_text: 'yes',
      on_as_text: 'on',
      flag: true,
      nothing: null,
      empty: '',
      ratio: 0.25,
      negative: -7,
      spaced: 'two words',
      hash: 'a#b ; c',
      quotes: `it's "quoted"`,
      backslash: 'C:\\path\\n',
      newline: 'line one\nline two',
      unicode: 'é ✓ 🐉',
      jinja_like: '{{ not a template }}',
      list: [1, 'two', [3], { four: 4 }],
      dict: { nested: { deep: ['x'] }, 'key with space': 'v' },
      // Regressions found by inventory-values.test.ts: PyYAML reads a plain `=` as its value tag,
      // `1e+21` and `5e-324` as strings, and NEL / U+2028 as line breaks (so does splitlines()).
      pyyaml: { '=': 'value tag', '<<': 'merge key', big: 1e21, tiny: 5e-324, breaks: 'a\u0085b\u2028c' },
    },
    ['engines', 'eu'],
  )
  .host('engine-2', { ansible_host: '10.0.0.6' }, ['engines'])
  .host('bastion', {})
  .group('engines', { http_port: 8080, motto: 'keep "calm"', version: '1.10' })
  .group('fleet', { region: 'eu-west' }, ['engines', 'eu'])
  .build();

describe.skipIf(!hasTool('ansible-inventory', 'ansible'))(
  'inventories as the real Ansible reads them',
  () => {
    for (const format of ['ini', 'yaml', 'json'] as const satisfies readonly InventoryFormat[]) {
      it(`writes ${format} that Ansible reads back to the same hosts, groups and typed variables`, async () => {
        const path = join(
          scratch,
          `tricky.${format === 'yaml' ? 'yml' : format === 'json' ? 'json' : 'ini'}`,
        );
        await writeInventory(path, tricky);
        expect(statSync(path).mode & 0o777).toBe(0o600);
        expect(normalise(ansibleReads(path))).toEqual(normalise(tricky));
        expect(normalise(await readInventory(path))).toEqual(normalise(tricky));
      });
    }

    it('reads an INI file with ranges, ports, literals and comments exactly as Ansible does', async () => {
      const path = join(fixtures, 'ranges.ini');
      const ours = await readInventory(path);
      expect(normalise(ours)).toEqual(normalise(ansibleReads(path)));
      expect(ours.hosts['web-b.example.com']).toEqual({
        ansible_port: 2222,
        weight: 5,
        ratio: 0.5,
        enabled: true,
        tags: ['a', 'b'],
        note: 'its',
      });
      expect(ours.hosts.db1?.port_text).toBe('5432');
      expect(ours.groups.web?.hosts).toEqual([
        'web01.example.com',
        'web02.example.com',
        'web03.example.com',
        'web-a.example.com',
        'web-b.example.com',
      ]);
    });

    it('reads a YAML file (YAML 1.1, as PyYAML) exactly as Ansible does', async () => {
      const path = join(fixtures, 'groups.yml');
      const ours = await readInventory(path);
      expect(normalise(ours)).toEqual(normalise(ansibleReads(path)));
      expect(ours.groups.engines?.vars).toEqual({ enabled: true, version: '1.10', literal_yes: 'yes' });
      expect(ours.groups.edge?.children).toEqual(['engines']);
    });

    it('writes the dynamic inventory script format that Ansible runs', async () => {
      const script = join(scratch, 'inventory.sh');
      const json = formatInventory(tricky, 'list');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(script, `#!/bin/sh\ncat <<'LEVIATHAN_EOF'\n${json}LEVIATHAN_EOF\n`, { mode: 0o755 });
      expect(normalise(ansibleReads(script))).toEqual(normalise(tricky));
    });
  },
);

describe('inventory errors', () => {
  it('names the line of an INI syntax error', () => {
    expect(() => parseInventory('[web]\nhost1 novalue\n', 'ini')).toThrow(InventoryParseError);
    try {
      parseInventory('ok\n[web]\nhost1 novalue\n', 'ini');
    } catch (error) {
      expect((error as InventoryParseError).line).toBe(3);
      expect((error as InventoryParseError).code).toBe('LEV_ERR_ANSIBLE_INVENTORY_PARSE');
    }
  });

  it('names the file and line when reading a file', async () => {
    const path = join(scratch, 'broken.ini');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, '# ok\n[web]\nweb1 port\n');
    const error = await readInventory(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryParseError);
    expect(error).toMatchObject({ file: path, line: 3 });
    expect((error as Error).message).toBe(`${path}, line 3: expected key=value host variable, got port`);
  });

  it('rejects children and vars of groups never declared, as Ansible does', () => {
    expect(() => parseInventory('[all:children]\nghosts\n', 'ini')).toThrow(/never declared/);
    expect(() => parseInventory('[ghosts:vars]\na = 1\n', 'ini')).toThrow(/never declared/);
    expect(parseInventory('[web:vars]\na = 1\n[web]\nh\n', 'ini').groups.web?.vars).toEqual({ a: 1 });
  });

  it('rejects YAML with unexpected keys and wrong shapes', () => {
    expect(() => parseInventory('all:\n  host:\n    a:\n', 'yaml')).toThrow(/unexpected key "host"/);
    expect(() => parseInventory('all:\n  hosts: [a, b]\n', 'yaml')).toThrow(/must be a mapping/);
    expect(() => parseInventory('all: [\n', 'yaml')).toThrow(InventoryParseError);
  });

  it('refuses to write what Ansible would misread', () => {
    const bad = (inv: Inventory) => () => formatInventory(inv, 'yaml');
    expect(bad(new InventoryBuilder().host('a b').build())).toThrow(InventoryInvalidError);
    expect(bad(new InventoryBuilder().host('a', {}, ['my-group']).build())).toThrow(/safeGroupName/);
    expect(bad(new InventoryBuilder().host('a', { 'bad-var': 1 }).build())).toThrow(/variable name/);
    expect(() => formatInventory(new InventoryBuilder().host('a', { x: Number.NaN }).build(), 'ini')).toThrow(
      InventoryInvalidError,
    );
    for (const format of ['ini', 'yaml', 'json', 'list'] as const) {
      expect(() =>
        formatInventory(new InventoryBuilder().host('a', { x: 'lone \ud800' }).build(), format),
      ).toThrow(/unpaired surrogate/);
      expect(() =>
        formatInventory(new InventoryBuilder().host('a', { x: [Number.NaN] }).build(), format),
      ).toThrow(/NaN cannot be written/);
    }
  });

  it('writes atomically: a failed format leaves the old file in place', async () => {
    const path = join(scratch, 'keep.ini');
    await writeInventory(path, new InventoryBuilder().host('kept').build());
    await expect(
      writeInventory(path, new InventoryBuilder().host('x', { y: Number.NaN }).build()),
    ).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('kept\n');
  });
});
