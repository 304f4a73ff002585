import type { ExecutorName } from './types.js';

/** A stage in milliseconds. */
export interface PlanStage {
  durationMs: number;
  target: number;
}

interface PlanBase {
  name: string;
  executor: ExecutorName;
  startMs: number;
  gracefulStopMs: number;
  /** The exported function each iteration calls. */
  exec: string;
  tags: Record<string, string>;
  env: Record<string, string>;
  /** Most VUs this scenario can have at once, over all workers and processes. */
  maxVus: number;
  /** VU ids of this scenario are `vuIdBase + 1 ... vuIdBase + maxVus`. */
  vuIdBase: number;
  /** Scheduled length, from startMs, without gracefulStop. */
  durationMs: number;
}

export interface RampingVusPlan extends PlanBase {
  executor: 'ramping-vus';
  startVus: number;
  stages: PlanStage[];
  gracefulRampDownMs: number;
}
export interface ConstantVusPlan extends PlanBase {
  executor: 'constant-vus';
  vus: number;
}
export interface IterationsPlan extends PlanBase {
  executor: 'per-vu-iterations' | 'shared-iterations';
  vus: number;
  iterations: number;
}
export interface ArrivalRatePlan extends PlanBase {
  executor: 'constant-arrival-rate' | 'ramping-arrival-rate';
  timeUnitMs: number;
  startRate: number;
  /** constant-arrival-rate is one stage at `rate` from startRate `rate`. */
  stages: PlanStage[];
  preAllocatedVus: number;
}

export type ScenarioPlan = RampingVusPlan | ConstantVusPlan | IterationsPlan | ArrivalRatePlan;

/** A threshold after parsing the options (the expression is parsed by thresholds/parse.ts). */
export interface ThresholdPlan {
  metric: string;
  expression: string;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

/** What a test runs: normalized, validated, serializable (it is sent to every worker). */
export interface TestPlan {
  scenarios: ScenarioPlan[];
  thresholds: ThresholdPlan[];
  tags: Record<string, string>;
  localAddresses: string[];
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  /** @see Options.maxTagSetsPerMetric */
  maxTagSetsPerMetric: number;
  /** @see Options.maxConnecting; null for no bound. */
  maxConnecting: number | null;
  /** Scheduled end of the last scenario, plus its gracefulStop. */
  maxEndMs: number;
}
