import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
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
/** Where the schema is looked for; shown in the error when CI cannot find it. */
export const SCHEMA_SEARCH = `$PVE_API_SCHEMA, or data/proxmox/${SCHEMA_FILE} in a folder beside the checkout`;

/**
 * The official Proxmox VE API schema (pve-docs' `api-viewer/apidata.js`, as JSON), which is not
 * in the repository: the path in `PVE_API_SCHEMA`, or `data/proxmox/<file>` in any folder beside
 * the checkout (beside the main checkout too, for a git worktree that sits elsewhere).
 */
export function findSchema(): string | undefined {
  const fromEnv = process.env.PVE_API_SCHEMA;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const roots = [REPO_ROOT];
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    roots.push(dirname(common));
  } catch {
    // not a git checkout: only the checkout itself
  }
  for (const root of roots) {
    const parent = dirname(root);
    for (const sibling of safeReaddir(parent)) {
      const candidate = join(parent, sibling, 'data/proxmox', SCHEMA_FILE);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
