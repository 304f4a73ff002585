import { LifecycleTimeoutError, SetupFailedError, TeardownFailedError } from '../errors.js';
import type { MetricsSnapshot } from '../metrics/types.js';
import type { TestPlan } from '../options/plan.js';
import { Runtime } from '../vu/runtime.js';
import { Vu } from '../vu/vu.js';
import type { ScenarioModule } from '../worker/load-scenario.js';

/** `export function setup(vu)`: runs once before the VUs; its JSON-able result goes to them. */
export type SetupFn = (vu: Vu) => unknown;
/** `export function teardown(data, vu)`: runs once after the VUs, with setup()'s data. */
export type TeardownFn = (data: unknown, vu: Vu) => unknown;

/**
 * setup() and teardown() of a scenario, run once in the main thread as k6 runs them once (not per
 * worker). Each gets a VU of its own (id 0, scenario `setup`/`teardown`) so it can log in over
 * HTTP or WebSocket with the same clients. Each runs inside a group of its name, so its samples
 * carry `group: '::setup'` or `'::teardown'` (k6's tags; groups it opens nest below) and count in
 * the test's metrics, as in k6, and its run time is in `group_duration`.
 */
export class Lifecycle {
  readonly #mod: ScenarioModule;
  readonly #plan: TestPlan;
  readonly #runtime: Runtime;

  constructor(mod: ScenarioModule, plan: TestPlan, trackedSeries: readonly string[]) {
    this.#mod = mod;
    this.#plan = plan;
    this.#runtime = new Runtime(
      trackedSeries,
      plan.localAddresses,
      10,
      plan.maxTagSetsPerMetric,
      plan.maxConnecting,
    );
  }

  get hasSetup(): boolean {
    return typeof this.#mod.setup === 'function';
  }

  /**
   * Runs setup() within setupTimeout and returns its data after a JSON round trip (k6 passes
   * setup data as JSON, so every VU gets its own copy and what JSON drops is dropped here too,
   * where the user sees it, not in a worker). Throws SetupFailedError or LifecycleTimeoutError.
   */
  async setup(): Promise<unknown> {
    const fn = this.#mod.setup;
    if (typeof fn !== 'function') return undefined;
    const vu = this.#vu('setup');
    let result: unknown;
    try {
      result = await withTimeout(
        vu.group('setup', () => (fn as SetupFn)(vu)),
        this.#plan.setupTimeoutMs,
        'setup',
      );
    } catch (e) {
      if (e instanceof LifecycleTimeoutError) throw e;
      throw new SetupFailedError(e instanceof Error ? e.message : String(e), e);
    } finally {
      vu.closeSessions(true);
    }
    if (result === undefined) return undefined;
    try {
      return JSON.parse(JSON.stringify(result)) as unknown;
    } catch (e) {
      throw new SetupFailedError(`its data is not JSON: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }

  /** Runs teardown(data) within teardownTimeout; throws TeardownFailedError or LifecycleTimeoutError. */
  async teardown(data: unknown): Promise<void> {
    const fn = this.#mod.teardown;
    if (typeof fn !== 'function') return;
    const vu = this.#vu('teardown');
    try {
      await withTimeout(
        vu.group('teardown', () => (fn as TeardownFn)(data, vu)),
        this.#plan.teardownTimeoutMs,
        'teardown',
      );
    } catch (e) {
      if (e instanceof LifecycleTimeoutError) throw e;
      throw new TeardownFailedError(e instanceof Error ? e.message : String(e), e);
    } finally {
      vu.closeSessions(true);
    }
  }

  /**
   * The samples setup() and teardown() recorded since the last call, without the `vus` gauges:
   * the lifecycle VU is not one of the test's VUs.
   */
  takeMetrics(): MetricsSnapshot {
    const snap = this.#runtime.registry.snapshot();
    for (const key of Object.keys(snap)) if (snap[key]?.type === 'gauge') delete snap[key];
    return snap;
  }

  takeErrors(): Record<string, number> {
    return this.#runtime.takeErrors();
  }

  close(): Promise<void> {
    return this.#runtime.close();
  }

  #vu(phase: 'setup' | 'teardown'): Vu {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    return new Vu(this.#runtime, 0, phase, Object.freeze({ ...this.#plan.tags }), Object.freeze(env));
  }
}

/** Resolves as `work` does, or rejects with LifecycleTimeoutError after `ms` (the work is left running). */
function withTimeout<T>(work: Promise<T>, ms: number, phase: 'setup' | 'teardown'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LifecycleTimeoutError(phase, ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
