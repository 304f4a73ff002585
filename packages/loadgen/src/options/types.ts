/** A duration: milliseconds, or a k6 string such as `"30s"`, `"2m"`, `"1h30m"`, `"500ms"`. */
export type Duration = number | string;

/** One stage of a ramp: reach `target` (VUs, or iterations per timeUnit) linearly over `duration`. */
export interface Stage {
  duration: Duration;
  target: number;
}

interface ScenarioBase {
  /** When the scenario starts, counted from the start of the test. @default 0 */
  startTime?: Duration;
  /** How long running iterations may go on after the scenario's end before they are abandoned. @default "30s" */
  gracefulStop?: Duration;
  /** Name of the exported function to run instead of the default export. */
  exec?: string;
  /** Tags added to every sample of this scenario (the `scenario` tag is always set). */
  tags?: Record<string, string>;
  /** Values added to `vu.env` for this scenario's VUs (over the process environment and `--env`). */
  env?: Record<string, string>;
}

/** Closed model: a number of VUs that follows the stages, each looping over iterations. */
export interface RampingVusScenario extends ScenarioBase {
  executor: 'ramping-vus';
  /** VUs at the start. @default 0 */
  startVUs?: number;
  stages: Stage[];
  /**
   * How long a VU ramped down mid-iteration may finish it before the iteration counts as
   * interrupted and the VU's sessions are dropped (k6's gracefulRampDown). @default "30s"
   */
  gracefulRampDown?: Duration;
}

/** Closed model: `vus` VUs looping for `duration`. */
export interface ConstantVusScenario extends ScenarioBase {
  executor: 'constant-vus';
  vus: number;
  duration: Duration;
}

/** Closed model: each of `vus` VUs runs exactly `iterations` iterations. */
export interface PerVuIterationsScenario extends ScenarioBase {
  executor: 'per-vu-iterations';
  vus: number;
  iterations: number;
  /** Give up after this long. @default "10m" */
  maxDuration?: Duration;
}

/** Closed model: `vus` VUs share `iterations` iterations in all (a fast VU takes more). */
export interface SharedIterationsScenario extends ScenarioBase {
  executor: 'shared-iterations';
  vus: number;
  iterations: number;
  /** Give up after this long. @default "10m" */
  maxDuration?: Duration;
}

interface ArrivalRateBase extends ScenarioBase {
  /** The unit of `rate` and stage targets. @default "1s" */
  timeUnit?: Duration;
  /** VUs allocated before the start. */
  preAllocatedVUs: number;
  /** VUs that may be allocated when all are busy; past that, iterations are dropped (and counted). @default preAllocatedVUs */
  maxVUs?: number;
}

/** Open model: start `rate` iterations per `timeUnit`, whether or not earlier ones finished. */
export interface ConstantArrivalRateScenario extends ArrivalRateBase {
  executor: 'constant-arrival-rate';
  rate: number;
  duration: Duration;
}

/** Open model: an arrival rate that follows the stages (targets are iterations per timeUnit). */
export interface RampingArrivalRateScenario extends ArrivalRateBase {
  executor: 'ramping-arrival-rate';
  /** Iterations per timeUnit at the start. @default 0 */
  startRate?: number;
  stages: Stage[];
}

export type Scenario =
  | RampingVusScenario
  | ConstantVusScenario
  | PerVuIterationsScenario
  | SharedIterationsScenario
  | ConstantArrivalRateScenario
  | RampingArrivalRateScenario;
export type ExecutorName = Scenario['executor'];

/** A threshold: an expression, or an object with abort settings. */
export type ThresholdSpec =
  | string
  | {
      threshold: string;
      /** Stop the whole test as soon as this threshold fails. @default false */
      abortOnFail?: boolean;
      /** With abortOnFail, do not evaluate before this much of the test has run. @default 0 */
      delayAbortEval?: Duration;
    };

/** `export const options` of a scenario file: the k6 shape. */
export interface Options {
  /** Named scenarios, run in parallel (each from its startTime). */
  scenarios?: Record<string, Scenario>;
  /** Shortcut for one ramping-vus scenario named `default`. */
  stages?: Stage[];
  /** Shortcut: constant-vus with `duration`, or shared-iterations with `iterations`. */
  vus?: number;
  duration?: Duration;
  iterations?: number;
  /** Pass/fail criteria per metric, in k6 syntax: `{ ws_cmd_duration: ['p(95)<200'] }`. */
  thresholds?: Record<string, ThresholdSpec | ThresholdSpec[]>;
  /** Tags added to every sample. */
  tags?: Record<string, string>;
  /** Longest `setup()` may run before the test fails (exit 100, as k6). @default "60s" */
  setupTimeout?: Duration;
  /** Longest `teardown()` may run (exit 101, as k6). @default "60s" */
  teardownTimeout?: Duration;
  /**
   * Most distinct tag sets kept per metric in each worker thread. Past it, samples with a new tag
   * set go to one `metric{__overflow__:true}` series and a warning says so once: a tag with an
   * unbounded value (a user id, a URL with ids) would otherwise grow memory and every interval's
   * message without bound. @default 1000
   */
  maxTagSetsPerMetric?: number;
  /**
   * Most WebSocket opens (TCP connect and upgrade) in flight in one generator process, shared
   * among its worker threads; VUs past it wait their turn, and the wait counts in `ws_connecting`.
   * Keeps a crowd connecting at once from costing the generator memory and timeouts of its own
   * making; `null` for no bound. See docs/loadgen.md "Many connections". @default 100
   */
  maxConnecting?: number | null;
  /** Source addresses for connections; see docs/loadgen.md "Many connections". */
  localAddresses?: string[] | { loopbackSpread: number };
}
