import { spawn } from 'node:child_process';

/**
 * Instructions executed by `node <flags> <script> ...args`, counted by valgrind (cachegrind
 * without cache simulation: the cheapest tool that reports `I refs`). The flags make V8
 * repeatable: --predictable and --single-threaded keep it from compiling and collecting garbage
 * on background threads (whose interleaving varies), --predictable-gc-schedule fixes heap growth,
 * and fixed hash and random seeds make string and property hash tables probe the same way.
 * Measured on the busy 2-core machine: without those three flags (and without the collection
 * before the measured region, probe.ts), two runs' per-operation counts differed by 12–20 %
 * (JSON.parse: 5552 vs 4378 instructions); with them, by 0.02 % (2 instructions in 9927).
 */
export function countInstructions(script: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'valgrind',
      [
        '--tool=cachegrind',
        '--cache-sim=no',
        '--cachegrind-out-file=/dev/null',
        'node',
        '--predictable',
        '--single-threaded',
        '--predictable-gc-schedule',
        '--hash-seed=1',
        '--random-seed=1',
        '--expose-gc',
        script,
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (err) =>
      reject(new Error('cannot run valgrind (apt-get install valgrind)', { cause: err })),
    );
    child.on('close', (code) => {
      const match = /I\s+refs:\s+([\d,]+)/.exec(stderr);
      if (code !== 0 || match === null) {
        reject(
          new Error(
            `counting ${args.join(' ') || 'the baseline'} failed (exit ${code}):\n${stdout}${stderr.slice(-2000)}`,
          ),
        );
        return;
      }
      resolve(Number((match[1] as string).replaceAll(',', '')));
    });
  });
}

/** Runs `tasks` with at most `limit` at a time, keeping their order in the result. */
export async function inParallel<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
