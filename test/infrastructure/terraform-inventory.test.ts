/**
 * The inventories and the Terraform that makes their VMs agree, and Terraform's output feeds the
 * inventory with no hand step. `terraform plan` cannot run here (no provider download), so the
 * VMs each environment plans are read from its main.tf (module blocks: role, count, address
 * offset) and compared with what `ansible-inventory` reads from the environment's folder; then a
 * stand-in `terraform` prints a `hosts` output, as `terraform output -json hosts` would after an
 * apply, and the folder's terraform.py must put those VMs, at those addresses, in their groups.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { ANSIBLE_DIR, TERRAFORM_DIR } from './repo-paths.js';

const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
const GROUPS_BY_ROLE: Record<string, string[]> = {
  gameserver: ['game_servers'],
  db: ['databases', 'redis'],
  monitoring: ['monitoring'],
  loadgen: ['load_generators'],
  controller: ['controllers'],
};

interface PlannedVm {
  name: string;
  address: string;
  roles: string[];
}

/** The VMs an environment's main.tf plans, with the tfvars example's ipv4_base. */
function plannedVms(environment: string): PlannedVm[] {
  const dir = join(TERRAFORM_DIR, 'environments', environment);
  const main = readFileSync(join(dir, 'main.tf'), 'utf8');
  const variables = readFileSync(join(dir, 'variables.tf'), 'utf8');
  const base = /ipv4_base\s*=\s*"([^"]+)"/.exec(
    readFileSync(join(dir, 'terraform.tfvars.example'), 'utf8'),
  )?.[1];
  const defaultCount = Number(/variable "instance_count" \{[^}]*default\s*=\s*(\d+)/.exec(variables)?.[1]);
  const vms: PlannedVm[] = [];
  for (const block of main.matchAll(/^module "\w+" \{\n([\s\S]*?)^\}/gm)) {
    const body = block[1] ?? '';
    const field = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*(.+)$`, 'm').exec(body)?.[1]?.trim();
    const role = field('role')?.replaceAll('"', '') ?? 'gameserver';
    const countText = field('instance_count') ?? 'var.instance_count';
    const count = countText === 'var.instance_count' ? defaultCount : Number(countText);
    const offset = Number(field('ipv4_host_offset'));
    const extraRoles = [...(field('tags') ?? '').matchAll(/"type-(\w+)"/g)].map((m) => m[1] ?? '');
    const nameBase = role === 'gameserver' ? `leviathan-${environment}` : `leviathan-${environment}-${role}`;
    for (let i = 0; i < count; i++) {
      vms.push({
        name: role !== 'gameserver' && count === 1 ? nameBase : `${nameBase}-${i + 1}`,
        address: `${base}${offset + i}`,
        roles: [role, ...extraRoles],
      });
    }
  }
  return vms;
}

interface InventoryList {
  _meta: { hostvars: Record<string, { ansible_host?: string }> };
  [group: string]: { hosts?: string[]; children?: string[] } | InventoryList['_meta'];
}

function inventoryList(environment: string, terraform: string): { list: InventoryList; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lev-inv-'));
  try {
    const stderrFile = join(dir, 'stderr');
    const stdout = execFileSync(
      'sh',
      [
        '-c',
        `ansible-inventory -i "$1" --list 2>"$2"`,
        'sh',
        join(ANSIBLE_DIR, 'inventories', environment),
        stderrFile,
      ],
      {
        encoding: 'utf8',
        // The group_vars need the vault's variables to template; --list only reads, so none are set.
        env: { ...process.env, LEVIATHAN_TERRAFORM: terraform, ANSIBLE_NOCOLOR: '1' },
      },
    );
    return { list: JSON.parse(stdout) as InventoryList, stderr: readFileSync(stderrFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function groupHosts(list: InventoryList, group: string): string[] {
  const entry = list[group] as { hosts?: string[] } | undefined;
  return [...(entry?.hosts ?? [])].sort();
}

describe('terraform sources: the whole fleet', () => {
  it.each(['staging', 'production'])('%s makes every role its own VM', (environment) => {
    const roles = new Set(plannedVms(environment).flatMap((vm) => vm.roles));
    expect([...roles].sort()).toEqual(Object.keys(GROUPS_BY_ROLE).sort());
  });

  it('gives no two VMs of the shared /24 one address', () => {
    const addresses = ENVIRONMENTS.flatMap((environment) => plannedVms(environment).map((vm) => vm.address));
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  it('lets the API token come from PROXMOX_VE_API_TOKEN: the variable is optional, so plan never prompts', () => {
    for (const environment of ENVIRONMENTS) {
      const variables = readFileSync(
        join(TERRAFORM_DIR, 'environments', environment, 'variables.tf'),
        'utf8',
      );
      const token = /variable "proxmox_api_token" \{([\s\S]*?)\n\}/.exec(variables)?.[1] ?? '';
      expect(token, environment).toMatch(/default\s*=\s*null/);
    }
  });

  it("never makes the engine's service user the login user", () => {
    const variables = readFileSync(join(TERRAFORM_DIR, 'modules/proxmox-vm/variables.tf'), 'utf8');
    const ciUser = /variable "ci_user" \{[\s\S]*?default\s*=\s*"([^"]+)"/.exec(variables)?.[1];
    const roleUser = /^leviathan_user: (\S+)$/m.exec(
      readFileSync(join(ANSIBLE_DIR, 'roles/leviathan-engine/defaults/main.yml'), 'utf8'),
    )?.[1];
    const ansibleUser = /^ansible_user: (\S+)$/m.exec(
      readFileSync(join(ANSIBLE_DIR, 'group_vars/all.yml'), 'utf8'),
    )?.[1];
    expect(ciUser).toBe(ansibleUser);
    expect(roleUser).toBeDefined();
    expect(ciUser).not.toBe(roleUser);
  });
});

describe.skipIf(!hasTool('ansible-inventory', 'ansible'))('inventories from Terraform', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lev-fake-tf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in for terraform: prints `hosts` as `output -json hosts` would, checking its arguments. */
  function fakeTerraform(environment: string, hosts: unknown): string {
    const path = join(dir, `terraform-${environment}`);
    const json = join(dir, `hosts-${environment}.json`);
    writeFileSync(json, JSON.stringify(hosts));
    writeFileSync(
      path,
      [
        '#!/bin/sh',
        `case "$1" in -chdir=*/terraform/environments/${environment}) ;; *) echo "bad chdir $1" >&2; exit 3;; esac`,
        '[ "$2 $3 $4 $5" = "output -no-color -json hosts" ] || { echo "bad args $*" >&2; exit 3; }',
        `cat '${json}'`,
        '',
      ].join('\n'),
    );
    chmodSync(path, 0o755);
    return path;
  }

  it.each(ENVIRONMENTS)(
    '%s: hosts.yml holds what Terraform plans, and without state the script adds nothing, quietly',
    (environment) => {
      const { list, stderr } = inventoryList(environment, join(dir, 'no-such-terraform'));
      const planned = plannedVms(environment);
      for (const vm of planned) {
        expect(list._meta.hostvars[vm.name]?.ansible_host, vm.name).toBe(vm.address);
      }
      for (const [role, groups] of Object.entries(GROUPS_BY_ROLE)) {
        for (const group of groups) {
          const expected = planned.filter((vm) => vm.roles.includes(role)).map((vm) => vm.name);
          if (expected.length > 0)
            expect(groupHosts(list, group), `${environment} ${group}`).toEqual(expected.sort());
        }
      }
      expect(stderr).toBe('');
    },
  );

  it('puts what Terraform reports in the groups its tags name, at the addresses it reports', () => {
    const planned = plannedVms('staging');
    // After an apply with DHCP: other addresses, and a fourth game server.
    const hosts = [
      ...planned,
      { name: 'leviathan-staging-4', address: '10.20.0.23', roles: ['gameserver'] },
    ].map((vm, i) => ({
      name: vm.name,
      vmid: 200 + i,
      node: 'pve',
      tags: ['environment-staging', 'project-leviathan', ...vm.roles.map((role) => `type-${role}`)],
      ipAddresses: ['127.0.0.1', `10.20.1.${10 + i}`],
    }));
    const { list, stderr } = inventoryList('staging', fakeTerraform('staging', hosts));
    expect(stderr).toBe('');
    for (const [i, vm] of hosts.entries()) {
      expect(list._meta.hostvars[vm.name]?.ansible_host, vm.name).toBe(`10.20.1.${10 + i}`);
    }
    expect(groupHosts(list, 'game_servers')).toEqual([
      'leviathan-staging-1',
      'leviathan-staging-2',
      'leviathan-staging-3',
      'leviathan-staging-4',
    ]);
    expect(groupHosts(list, 'redis')).toEqual(['leviathan-staging-db']);
    expect(groupHosts(list, 'controllers')).toEqual(['leviathan-staging-controller']);
  });

  it('leaves out a VM that reports no usable address yet, and says so', () => {
    const hosts = [
      {
        name: 'leviathan-staging-9',
        vmid: 9,
        node: 'pve',
        tags: ['type-gameserver'],
        ipAddresses: ['127.0.0.1'],
      },
    ];
    const { list, stderr } = inventoryList('staging', fakeTerraform('staging', hosts));
    expect(list._meta.hostvars['leviathan-staging-9']).toBeUndefined();
    expect(stderr).toContain('leviathan-staging-9 has no usable IPv4 address yet');
  });
});
