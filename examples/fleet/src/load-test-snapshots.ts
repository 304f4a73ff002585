/**
 * Runs a load test between a snapshot and a rollback of its target VMs, so that every run starts
 * from the same state (no players, saves or logs left by the previous one):
 *
 *   PVE_URL=https://pve1.example.com:8006 PVE_TOKEN_ID='fleet@pve!deploy' PVE_TOKEN_SECRET=... \
 *   PVE_FINGERPRINT=AB:CD:... LOAD_TEST_VMS=pve1:101,pve1:102 \
 *   pnpm --filter @leviathan/example-fleet load-test:snapshots -- \
 *     ansible-playbook -i inventory infrastructure/ansible/playbooks/load-test.yml
 *
 * The command after `--` is the load test (the playbook above, or `bash scripts/load-test-ci.sh`);
 * its exit code becomes this one's (the load generator's 99 for breached thresholds included).
 * `ROLLBACK=on-failure` keeps what a passing run did; `SNAPSHOT_NAME` defaults to `load_test`.
 * The rollback runs from here, the controller, through the Proxmox API: the playbook itself runs
 * on the load generators and knows nothing of Proxmox.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { type ProxmoxClient, type SnapshotGuardEvent, type VmRef, withSnapshots } from '@leviathan/infra-sdk';
import { env, proxmoxFromEnv } from './env-client.js';

export interface SnapshotLoadTestOptions {
  readonly pve: ProxmoxClient;
  readonly targets: readonly VmRef[];
  /** The load test's argv. */
  readonly command: readonly string[];
  /** @default 'load_test' */
  readonly name?: string;
  /** @default 'always' */
  readonly rollback?: 'always' | 'on-failure';
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** The load test exited with a non-zero code: the snapshots are rolled back as for any failure. */
export class LoadTestExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`the load test exited with code ${exitCode}`);
  }
}

/** Snapshots the targets, runs the command, rolls them back; resolves with the command's exit code. */
export async function runLoadTestWithSnapshots(opts: SnapshotLoadTestOptions): Promise<number> {
  const log = opts.log ?? (() => {});
  const progress = (e: SnapshotGuardEvent): void => {
    log(
      `[snapshots] ${e.step}${'vm' in e ? ` VM ${e.vm.vmid}` : ''}: ${e.state}${e.error ? ` (${e.error.message})` : ''}`,
    );
  };
  try {
    await withSnapshots(
      opts.pve,
      opts.targets,
      opts.name ?? 'load_test',
      async () => {
        const [cmd, ...args] = opts.command;
        if (!cmd) throw new Error('no load-test command given');
        const child = spawn(cmd, args, { stdio: 'inherit', signal: opts.signal });
        const [code] = (await once(child, 'exit')) as [number | null];
        if (code !== 0) throw new LoadTestExitError(code ?? 1);
      },
      {
        rollback: opts.rollback ?? 'always',
        onProgress: progress,
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
    return 0;
  } catch (err) {
    if (err instanceof LoadTestExitError) return err.exitCode;
    throw err;
  }
}

async function main(): Promise<void> {
  const pve = proxmoxFromEnv();
  const targets = env('LOAD_TEST_VMS')
    .split(',')
    .map((t) => {
      const [node, vmid] = t.trim().split(':');
      if (!node || !vmid) throw new Error(`LOAD_TEST_VMS: '${t}' is not node:vmid`);
      return { node, vmid: Number(vmid) };
    });
  const rollback = env('ROLLBACK', 'always');
  if (rollback !== 'always' && rollback !== 'on-failure') throw new Error('ROLLBACK: always or on-failure');
  const sep = process.argv.indexOf('--');
  const command = sep < 0 ? process.argv.slice(2) : process.argv.slice(sep + 1);
  try {
    process.exitCode = await runLoadTestWithSnapshots({
      pve,
      targets,
      command,
      name: env('SNAPSHOT_NAME', 'load_test'),
      rollback,
      log: (line) => console.error(line),
    });
  } finally {
    await pve.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
