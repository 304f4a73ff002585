import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProxmoxInventory, type ProxmoxVmInfo } from '@leviathan/infra-sdk';
import { hasTool } from '@leviathan/test-support';
import { describe, expect, it } from 'vitest';
import { TERRAFORM_DIR } from './repo-paths.js';

const ENVIRONMENTS = ['development', 'staging', 'production'];

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.tf'))
    .map((e) => join(e.parentPath, e.name));
}

/** Each `variable "name" { ... }` block of a file, by name (blocks never nest other variables). */
function variableBlocks(source: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of source.matchAll(/^variable "([^"]+)" \{\n([\s\S]*?)^\}/gm))
    blocks.set(m[1] ?? '', m[2] ?? '');
  return blocks;
}

describe.skipIf(!hasTool('terraform'))('terraform', () => {
  it('is formatted (terraform fmt -check)', () => {
    const res = spawnSync('terraform', ['fmt', '-check', '-recursive', '-diff', TERRAFORM_DIR], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    expect(res.stdout, 'run `terraform fmt -recursive infrastructure/terraform`').toBe('');
    expect(res.status).toBe(0);
  });
});

describe('terraform sources', () => {
  it('describe every variable and mark secrets sensitive', () => {
    const files = tfFiles(TERRAFORM_DIR);
    expect(files.length).toBeGreaterThan(10);
    let count = 0;
    for (const file of files) {
      for (const [name, body] of variableBlocks(readFileSync(file, 'utf8'))) {
        count++;
        expect(body, `${file}: variable ${name} has no description`).toMatch(/description\s*=/);
        if (/token|password|secret|ssh_public_keys/.test(name)) {
          expect(body, `${file}: variable ${name} must be sensitive`).toMatch(/sensitive\s*=\s*true/);
        }
      }
    }
    expect(count).toBeGreaterThan(20);
  });

  it('pins one provider version everywhere', () => {
    const versions = new Set<string>();
    for (const file of tfFiles(TERRAFORM_DIR)) {
      for (const m of readFileSync(file, 'utf8').matchAll(
        /source\s*=\s*"([^"]+)"\s*\n\s*version\s*=\s*"([^"]+)"/g,
      )) {
        versions.add(`${m[1]}@${m[2]}`);
      }
    }
    expect([...versions]).toEqual(['bpg/proxmox@0.111.1']);
  });

  it.each(ENVIRONMENTS)(
    'environment %s uses the proxmox-vm module and outputs hosts for the inventory',
    (env) => {
      const dir = join(TERRAFORM_DIR, 'environments', env);
      const main = readFileSync(join(dir, 'main.tf'), 'utf8');
      expect(main).toContain('source = "../../modules/proxmox-vm"');
      expect(main).toContain(`environment      = "${env}"`);
      const outputs = readFileSync(join(dir, 'outputs.tf'), 'utf8');
      expect(outputs).toMatch(/output "hosts"/);
      expect(outputs).toMatch(/output "vm_ids"/);
    },
  );

  it("outputs hosts in the shape of the infra-sdk's ProxmoxVmInfo, which builds the inventory", () => {
    const outputs = readFileSync(join(TERRAFORM_DIR, 'modules/proxmox-vm/outputs.tf'), 'utf8');
    const body = /output "hosts" \{[\s\S]*?: \{\n([\s\S]*?)\n\s*\}\n\s*\]/.exec(outputs)?.[1] ?? '';
    const keys = [...body.matchAll(/^\s{6}(\w+)\s*=/gm)].map((m) => m[1]);
    expect(keys.sort()).toEqual(['ipAddresses', 'name', 'node', 'tags', 'vmid']);

    // What `terraform output -json hosts` prints for one VM, read as the SDK reads it.
    const hosts: ProxmoxVmInfo[] = JSON.parse(
      JSON.stringify([
        {
          name: 'leviathan-staging-1',
          vmid: 120,
          node: 'pve',
          tags: ['environment-staging', 'project-leviathan', 'type-gameserver'],
          ipAddresses: ['10.20.0.20', '10.20.0.20'],
        },
      ]),
    );
    const { inventory, skipped } = buildProxmoxInventory(hosts, { group: 'game_servers' });
    expect(skipped).toEqual([]);
    expect(inventory.hosts['leviathan-staging-1']?.ansible_host).toBe('10.20.0.20');
    expect(inventory.groups.game_servers?.hosts).toEqual(['leviathan-staging-1']);
  });
});
