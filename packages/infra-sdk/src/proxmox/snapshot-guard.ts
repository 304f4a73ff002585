import type { ProxmoxClient } from './client.js';
import { PveSnapshotGuardError, type SnapshotGuardFailure } from './errors.js';
import { assertSnapshotName, createSnapshot, deleteSnapshot, rollbackSnapshot } from './snapshots.js';
import { type VmRef, vmStatus } from './vm-ops.js';
import type { PveWaitOptions } from './wait-options.js';

/** What `withSnapshots` reports as it goes: each VM's steps, and the guarded run. */
export type SnapshotGuardEvent =
  | {
      readonly step: 'snapshot' | 'rollback' | 'delete';
      readonly vm: VmRef;
      readonly state: 'started' | 'done' | 'failed';
      readonly error?: Error;
    }
  | { readonly step: 'run'; readonly state: 'started' | 'done' | 'failed'; readonly error?: Error };

export interface SnapshotGuardOptions extends PveWaitOptions {
  /**
   * When to roll the VMs back: after every run (a load test that must leave no trace), or only
   * when the guarded function throws (keep what a successful run did).
   * @default 'always'
   */
  readonly rollback?: 'always' | 'on-failure';
  /** Description of the snapshots. */
  readonly description?: string;
  /**
   * Save the RAM of running VMs, so that a rollback resumes them where they were.
   * @default false
   */
  readonly vmstate?: boolean;
  /**
   * After rolling back to a snapshot without RAM (which leaves a VM stopped), start again the
   * VMs that were running when the snapshot was taken.
   * @default true
   */
  readonly restart?: boolean;
  /**
   * Keep the snapshots afterwards instead of deleting them.
   * @default false
   */
  readonly keep?: boolean;
  readonly onProgress?: (event: SnapshotGuardEvent) => void;
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * Snapshots every VM, runs `fn`, then rolls every VM back to the snapshot (per `rollback`) and
 * deletes it. Every VM is rolled back even when others fail; the failures are reported together
 * in a PveSnapshotGuardError (with `fn`'s error as its `cause`, if `fn` failed too), and a VM
 * whose rollback failed keeps its snapshot for another try. When a snapshot fails, `fn` does not
 * run and the snapshots already taken are deleted. Resolves with `fn`'s result.
 *
 * `signal` stops the snapshot step and the run's start, never the rollback: a load test that is
 * cancelled must still leave its targets as it found them.
 */
export async function withSnapshots<T>(
  client: ProxmoxClient,
  vms: readonly VmRef[],
  name: string,
  fn: () => Promise<T> | T,
  opts: SnapshotGuardOptions = {},
): Promise<T> {
  assertSnapshotName(name);
  const report = opts.onProgress ?? (() => {});
  const wait: PveWaitOptions = {
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.pollMinMs !== undefined ? { pollMinMs: opts.pollMinMs } : {}),
    ...(opts.pollMaxMs !== undefined ? { pollMaxMs: opts.pollMaxMs } : {}),
  };
  const failures: SnapshotGuardFailure[] = [];

  /** Runs one step on every VM at once (the client bounds the calls per node); the VMs it did. */
  const each = async (
    step: SnapshotGuardFailure['step'],
    targets: readonly VmRef[],
    run: (vm: VmRef) => Promise<unknown>,
  ): Promise<VmRef[]> => {
    const results = await Promise.allSettled(
      targets.map(async (vm) => {
        report({ step, vm, state: 'started' });
        try {
          await run(vm);
        } catch (err) {
          const error = asError(err);
          failures.push({ vm, step, error });
          report({ step, vm, state: 'failed', error });
          throw error;
        }
        report({ step, vm, state: 'done' });
      }),
    );
    return targets.filter((_, i) => results[i]!.status === 'fulfilled');
  };

  const running = new Set<number>();
  const taken = await each('snapshot', vms, async (vm) => {
    if ((await vmStatus(client, vm, { signal: opts.signal })).status === 'running') running.add(vm.vmid);
    await createSnapshot(client, vm, name, {
      ...wait,
      signal: opts.signal,
      ...(opts.description !== undefined ? { description: opts.description } : {}),
      ...(opts.vmstate !== undefined ? { vmstate: opts.vmstate } : {}),
    });
  });
  if (failures.length > 0) {
    // Nothing ran yet: the VMs are as they were, only the snapshots taken must go again.
    await each('delete', taken, (vm) => deleteSnapshot(client, vm, name, wait));
    throw new PveSnapshotGuardError(name, failures);
  }

  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  report({ step: 'run', state: 'started' });
  try {
    opts.signal?.throwIfAborted();
    outcome = { ok: true, value: await fn() };
    report({ step: 'run', state: 'done' });
  } catch (error) {
    outcome = { ok: false, error };
    report({ step: 'run', state: 'failed', error: asError(error) });
  }

  let kept: readonly VmRef[] = taken;
  if (!outcome.ok || (opts.rollback ?? 'always') === 'always') {
    const restart = opts.restart ?? true;
    kept = await each('rollback', taken, (vm) =>
      rollbackSnapshot(client, vm, name, { ...wait, start: restart && running.has(vm.vmid) }),
    );
  }
  if (!opts.keep) await each('delete', kept, (vm) => deleteSnapshot(client, vm, name, wait));

  if (failures.length > 0) {
    throw new PveSnapshotGuardError(name, failures, outcome.ok ? undefined : { cause: outcome.error });
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
