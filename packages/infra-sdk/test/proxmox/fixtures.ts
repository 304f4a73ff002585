import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProxmoxClient, type ProxmoxClientOptions } from '../../src/index.js';
import { PveSimulator, type PveSimulatorOptions } from '../../src/testing/index.js';

export const TOKEN_ID = 'root@pam!sdk';
export const TOKEN_SECRET = '00000000-0000-4000-8000-000000000000';
export const TEMPLATE = 9000;

/** A simulator with one template on node `pve`, and a token client for it. */
export async function simWithClient(
  simOptions: PveSimulatorOptions = {},
  clientOptions: Partial<ProxmoxClientOptions> = {},
): Promise<{ sim: PveSimulator; pve: ProxmoxClient; close: () => Promise<void> }> {
  const sim = await PveSimulator.start({
    vms: [
      {
        vmid: TEMPLATE,
        name: 'ubuntu-2204-ci',
        template: true,
        config: { ide2: 'local-lvm:vm-9000-cloudinit,media=cdrom' },
      },
    ],
    ...simOptions,
  });
  const pve = new ProxmoxClient({
    baseUrl: sim.url,
    auth: { type: 'token', tokenId: TOKEN_ID, secret: TOKEN_SECRET },
    // Retries fast in tests; the policy itself is what is under test, not its timing.
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...clientOptions,
  });
  return {
    sim,
    pve,
    close: async () => {
      await pve.close();
      await sim.close();
    },
  };
}

/** Fast polling for the wait helpers. */
export const FAST_POLL = { pollMinMs: 5, pollMaxMs: 20, timeoutMs: 20_000 } as const;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const SCHEMA_FILE = 'pve-api-schema-9.1.json';
/** Where CI puts the schema: `shared/` beside the checkout. */
export const SCHEMA_EXPECTED_AT = join(REPO_ROOT, '../shared/data/proxmox', SCHEMA_FILE);

/**
 * The Proxmox schema, which lives outside the repository in `../shared/data/proxmox/` beside
 * the checkout (as in CI). A git worktree sits elsewhere, so the main checkout's sibling is tried
 * as well.
 */
export function findSchema(): string | undefined {
  const candidates = [SCHEMA_EXPECTED_AT];
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    candidates.push(join(dirname(common), '../shared/data/proxmox', SCHEMA_FILE));
  } catch {
    // not a git checkout: only the first candidate
  }
  return candidates.find((c) => existsSync(c));
}
