import { InvalidDurationError, InvalidOptionsError } from '../errors.js';
import { parseDuration } from './duration.js';
import type { PlanStage, ScenarioPlan, TestPlan, ThresholdPlan } from './plan.js';
import type { Options, Scenario, Stage, ThresholdSpec } from './types.js';

const DEFAULT_GRACEFUL_STOP_MS = 30_000;
const DEFAULT_MAX_DURATION_MS = 600_000;
/** k6's setupTimeout and teardownTimeout default. */
const DEFAULT_LIFECYCLE_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_TAG_SETS = 1000;
/**
 * WebSocket opens in flight per generator process at most (client/connect-slots.ts says why).
 * Measured (`pnpm bench loadgen`'s memory case: marginal RSS per idle VU from 1,000 to 5,000 VUs
 * that all start at once, one worker, 2 runs each, same session): 20.0-20.4 KB with no bound
 * (heap in use 49 MB at 5,000 VUs), 3.4-4.7 KB with 100 (32 MB), 5.5-5.9 KB with 25.
 */
export const DEFAULT_MAX_CONNECTING = 100;
const EXECUTORS = new Set([
  'ramping-vus',
  'constant-vus',
  'per-vu-iterations',
  'shared-iterations',
  'constant-arrival-rate',
  'ramping-arrival-rate',
]);

/**
 * Validates a scenario's `options` and turns it into a TestPlan in milliseconds. Throws
 * InvalidOptionsError naming the path at fault; never returns a half-valid plan.
 */
export function normalizeOptions(options: unknown): TestPlan {
  const o = (options ?? {}) as Options;
  if (typeof o !== 'object' || Array.isArray(o)) throw new InvalidOptionsError('', 'must be an object');
  let scenarios: Record<string, Scenario>;
  if (o.scenarios !== undefined) {
    if (
      o.stages !== undefined ||
      o.vus !== undefined ||
      o.iterations !== undefined ||
      o.duration !== undefined
    ) {
      throw new InvalidOptionsError(
        'scenarios',
        'give either scenarios or the stages/vus/duration/iterations shortcut, not both',
      );
    }
    if (typeof o.scenarios !== 'object' || o.scenarios === null)
      throw new InvalidOptionsError('scenarios', 'must be an object');
    scenarios = o.scenarios;
  } else if (o.stages !== undefined) {
    scenarios = { default: { executor: 'ramping-vus', stages: o.stages, startVUs: o.vus ?? 0 } };
  } else if (o.duration !== undefined && o.iterations !== undefined) {
    // k6: iterations with a duration is shared-iterations, the duration its maxDuration.
    scenarios = {
      default: {
        executor: 'shared-iterations',
        vus: o.vus ?? 1,
        iterations: o.iterations,
        maxDuration: o.duration,
      },
    };
  } else if (o.duration !== undefined) {
    scenarios = { default: { executor: 'constant-vus', vus: o.vus ?? 1, duration: o.duration } };
  } else {
    scenarios = {
      default: { executor: 'shared-iterations', vus: o.vus ?? 1, iterations: o.iterations ?? 1 },
    };
  }
  const names = Object.keys(scenarios);
  if (names.length === 0) throw new InvalidOptionsError('scenarios', 'needs at least one scenario');
  const plans: ScenarioPlan[] = [];
  let vuIdBase = 0;
  for (const name of names) {
    const plan = normalizeScenario(name, scenarios[name] as Scenario, vuIdBase);
    vuIdBase += plan.maxVus;
    plans.push(plan);
  }
  return {
    scenarios: plans,
    thresholds: normalizeThresholds(o.thresholds),
    tags: stringRecord(o.tags, 'tags'),
    localAddresses: normalizeLocalAddresses(o.localAddresses),
    setupTimeoutMs: duration(o.setupTimeout ?? DEFAULT_LIFECYCLE_TIMEOUT_MS, 'setupTimeout'),
    teardownTimeoutMs: duration(o.teardownTimeout ?? DEFAULT_LIFECYCLE_TIMEOUT_MS, 'teardownTimeout'),
    maxTagSetsPerMetric: count(o.maxTagSetsPerMetric ?? DEFAULT_MAX_TAG_SETS, 'maxTagSetsPerMetric', 1),
    maxConnecting:
      o.maxConnecting === null ? null : count(o.maxConnecting ?? DEFAULT_MAX_CONNECTING, 'maxConnecting', 1),
    maxEndMs: Math.max(...plans.map((p) => p.startMs + p.durationMs + p.gracefulStopMs)),
  };
}

function normalizeScenario(name: string, s: Scenario, vuIdBase: number): ScenarioPlan {
  const at = `scenarios.${name}`;
  if (typeof s !== 'object' || s === null) throw new InvalidOptionsError(at, 'must be an object');
  if (!EXECUTORS.has(s.executor)) {
    throw new InvalidOptionsError(
      `${at}.executor`,
      `unknown executor ${JSON.stringify(s.executor)}; one of ${[...EXECUTORS].join(', ')}`,
    );
  }
  const base = {
    name,
    startMs: duration(s.startTime ?? 0, `${at}.startTime`),
    gracefulStopMs: duration(s.gracefulStop ?? DEFAULT_GRACEFUL_STOP_MS, `${at}.gracefulStop`),
    exec: s.exec ?? 'default',
    tags: stringRecord(s.tags, `${at}.tags`),
    env: stringRecord(s.env, `${at}.env`),
    vuIdBase,
  };
  switch (s.executor) {
    case 'ramping-vus': {
      const stages = normalizeStages(s.stages, `${at}.stages`);
      const startVus = count(s.startVUs ?? 0, `${at}.startVUs`);
      return {
        ...base,
        executor: s.executor,
        startVus,
        stages,
        gracefulRampDownMs: duration(
          s.gracefulRampDown ?? DEFAULT_GRACEFUL_STOP_MS,
          `${at}.gracefulRampDown`,
        ),
        maxVus: Math.max(startVus, ...stages.map((st) => st.target)),
        durationMs: sum(stages),
      };
    }
    case 'constant-vus': {
      const vus = count(s.vus, `${at}.vus`, 1);
      return {
        ...base,
        executor: s.executor,
        vus,
        maxVus: vus,
        durationMs: duration(s.duration, `${at}.duration`),
      };
    }
    case 'per-vu-iterations':
    case 'shared-iterations': {
      const vus = count(s.vus, `${at}.vus`, 1);
      const iterations = count(s.iterations, `${at}.iterations`, 1);
      return {
        ...base,
        executor: s.executor,
        vus: s.executor === 'shared-iterations' ? Math.min(vus, iterations) : vus,
        iterations,
        maxVus: s.executor === 'shared-iterations' ? Math.min(vus, iterations) : vus,
        durationMs: duration(s.maxDuration ?? DEFAULT_MAX_DURATION_MS, `${at}.maxDuration`),
      };
    }
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const timeUnitMs = duration(s.timeUnit ?? 1000, `${at}.timeUnit`);
      if (timeUnitMs <= 0) throw new InvalidOptionsError(`${at}.timeUnit`, 'must be more than 0');
      const preAllocatedVus = count(s.preAllocatedVUs, `${at}.preAllocatedVUs`, 1);
      const maxVus = count(s.maxVUs ?? preAllocatedVus, `${at}.maxVUs`);
      if (maxVus < preAllocatedVus)
        throw new InvalidOptionsError(`${at}.maxVUs`, 'must be at least preAllocatedVUs');
      let startRate: number;
      let stages: PlanStage[];
      if (s.executor === 'constant-arrival-rate') {
        const rate = positive(s.rate, `${at}.rate`);
        startRate = rate;
        stages = [{ durationMs: duration(s.duration, `${at}.duration`), target: rate }];
      } else {
        startRate = positive(s.startRate ?? 0, `${at}.startRate`, true);
        stages = normalizeStages(s.stages, `${at}.stages`, true);
      }
      return {
        ...base,
        executor: s.executor,
        timeUnitMs,
        startRate,
        stages,
        preAllocatedVus,
        maxVus,
        durationMs: sum(stages),
      };
    }
  }
}

function normalizeStages(stages: Stage[] | undefined, at: string, fractional = false): PlanStage[] {
  if (!Array.isArray(stages) || stages.length === 0)
    throw new InvalidOptionsError(at, 'needs at least one stage');
  return stages.map((st, i) => ({
    durationMs: duration(st?.duration, `${at}[${i}].duration`),
    target: fractional
      ? positive(st?.target, `${at}[${i}].target`, true)
      : count(st?.target, `${at}[${i}].target`),
  }));
}

function normalizeThresholds(thresholds: Options['thresholds']): ThresholdPlan[] {
  if (thresholds === undefined) return [];
  if (typeof thresholds !== 'object' || thresholds === null)
    throw new InvalidOptionsError('thresholds', 'must be an object');
  const out: ThresholdPlan[] = [];
  for (const [metric, specs] of Object.entries(thresholds)) {
    const list: ThresholdSpec[] = Array.isArray(specs) ? specs : [specs];
    list.forEach((spec, i) => {
      const at = `thresholds["${metric}"][${i}]`;
      if (typeof spec === 'string') {
        out.push({ metric, expression: spec, abortOnFail: false, delayAbortEvalMs: 0 });
      } else if (spec !== null && typeof spec === 'object' && typeof spec.threshold === 'string') {
        out.push({
          metric,
          expression: spec.threshold,
          abortOnFail: spec.abortOnFail === true,
          delayAbortEvalMs: duration(spec.delayAbortEval ?? 0, `${at}.delayAbortEval`),
        });
      } else {
        throw new InvalidOptionsError(at, 'must be a string or { threshold, abortOnFail?, delayAbortEval? }');
      }
    });
  }
  return out;
}

function normalizeLocalAddresses(value: Options['localAddresses']): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    for (const [i, a] of value.entries()) {
      if (typeof a !== 'string' || a.length === 0)
        throw new InvalidOptionsError(`localAddresses[${i}]`, 'must be an IP address');
    }
    return value;
  }
  const n = value?.loopbackSpread;
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 65_000) {
    throw new InvalidOptionsError('localAddresses.loopbackSpread', 'must be an integer from 1 to 65000');
  }
  return loopbackAddresses(n as number);
}

/**
 * `n` distinct source addresses in 127.0.0.0/8 (127.0.1.1, 127.0.1.2, ...). Each source address
 * has its own ~28k ephemeral ports towards one server address, so n addresses
 * allow about n × 28k connections to one server port. Linux routes all of 127/8 to `lo`: no setup.
 */
export function loopbackAddresses(n: number): string[] {
  const out: string[] = [];
  // Octets 1..254 only: .0 and .255 read as network and broadcast addresses to some tools.
  for (let i = 0; i < n; i++) {
    out.push(`127.${Math.floor(i / (254 * 254))}.${(Math.floor(i / 254) % 254) + 1}.${(i % 254) + 1}`);
  }
  return out;
}

function duration(value: unknown, at: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    if (e instanceof InvalidDurationError) throw new InvalidOptionsError(at, e.message);
    throw e;
  }
}

function count(value: unknown, at: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionsError(at, `must be an integer of at least ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function positive(value: unknown, at: string, zeroOk = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!zeroOk && value === 0)) {
    throw new InvalidOptionsError(
      at,
      `must be a number ${zeroOk ? '>= 0' : '> 0'}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function stringRecord(value: unknown, at: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidOptionsError(at, 'must be an object of strings');
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new InvalidOptionsError(`${at}.${k}`, 'must be a string');
  }
  return { ...(value as Record<string, string>) };
}

function sum(stages: PlanStage[]): number {
  let t = 0;
  for (const s of stages) t += s.durationMs;
  return t;
}
