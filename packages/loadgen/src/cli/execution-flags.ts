import { UsageError } from '../errors.js';
import { parseDuration } from '../options/duration.js';
import type { ExecutionOverrides } from '../options/overrides.js';

/** `--vus`, `--duration`, `--iterations` as overrides (options/overrides.ts applies them). */
export function executionOverrides(values: {
  vus?: string | undefined;
  duration?: string | undefined;
  iterations?: string | undefined;
}): ExecutionOverrides {
  const out: ExecutionOverrides = {};
  if (values.vus !== undefined) out.vus = positiveInt(values.vus, '--vus');
  if (values.iterations !== undefined) out.iterations = positiveInt(values.iterations, '--iterations');
  if (values.duration !== undefined) {
    try {
      parseDuration(values.duration);
    } catch {
      throw new UsageError(`--duration ${values.duration}: expected a duration such as 30s, 2m, 1h30m`);
    }
    out.duration = values.duration;
  }
  return out;
}

/** `-e K=V` values → an object; the value may contain `=` (k6 splits at the first). */
export function parseEnvFlags(values: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env ${v}: expected KEY=VALUE`);
    env[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return env;
}

function positiveInt(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer`);
  return n;
}
