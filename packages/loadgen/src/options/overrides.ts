import type { Duration, Options } from './types.js';

/**
 * Command-line settings (`--vus`, `--duration`, `--iterations`, `--local-ips`), k6's highest
 * precedence.
 */
export interface ExecutionOverrides {
  vus?: number;
  duration?: Duration;
  iterations?: number;
  /** `--local-ips`, expanded (cli/local-ips.ts): replaces the scenario's `localAddresses`. */
  localAddresses?: string[];
}

/**
 * Applies command-line overrides to a scenario's options as k6 does. `--local-ips` replaces the
 * source addresses, whatever the execution. `--duration` or `--iterations` replaces `scenarios`
 * and `stages` with the shortcut they make (constant-vus, or shared-iterations, whose maxDuration
 * a `--duration` then is), taking `--vus` or else the script's `vus`. `--vus` alone changes the script's own shortcut (`vus` with its `duration`,
 * `iterations` or `stages`); with `scenarios` it has nothing to change, and k6 ignores it with a
 * warning, which `warn` receives.
 */
export function applyOverrides(
  options: Options | undefined,
  overrides: ExecutionOverrides,
  warn: (message: string) => void,
): Options {
  const o: Options = { ...(options ?? {}) };
  const { vus, duration, iterations, localAddresses } = overrides;
  if (localAddresses !== undefined) o.localAddresses = localAddresses;
  if (duration !== undefined || iterations !== undefined) {
    delete o.scenarios;
    delete o.stages;
    delete o.duration;
    delete o.iterations;
    if (duration !== undefined) o.duration = duration;
    if (iterations !== undefined) o.iterations = iterations;
    if (vus !== undefined) o.vus = vus;
    return o;
  }
  if (vus !== undefined) {
    if (o.scenarios !== undefined) {
      warn('--vus is ignored: the scenario defines `scenarios`; give --duration or --iterations too');
    } else {
      o.vus = vus;
    }
  }
  return o;
}
