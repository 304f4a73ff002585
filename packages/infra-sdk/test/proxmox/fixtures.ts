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
