import { Agent } from 'undici';
import { ConnectSlots } from '../client/connect-slots.js';
import { DeadlineSweeper } from '../client/deadline-sweeper.js';
import { HttpMetrics } from '../client/http-client.js';
import { WsMetrics } from '../client/ws-metrics.js';
import type { Counter, Gauge, Rate, Trend } from '../metrics/registry.js';
import { Registry } from '../metrics/registry.js';

/** Most distinct error messages kept per interval, so a storm of failures cannot flood memory. */
const MAX_ERROR_KINDS = 50;

/**
 * Everything a worker's VUs share: the metrics registry with its built-in metrics (created once,
 * at setup, never per iteration), the HTTP agent, the source addresses, the connect slots, the
 * error tally.
 */
export class Runtime {
  readonly registry: Registry;
  readonly ws: WsMetrics;
  readonly http: HttpMetrics;
  readonly agent: Agent;
  readonly sweeper = new DeadlineSweeper();
  /** Bounds this thread's WebSocket opens in flight; undefined for no bound. */
  readonly connectSlots: ConnectSlots | undefined;
  readonly localAddresses: readonly string[];
  readonly iterations: Counter;
  readonly iterationDuration: Trend;
  readonly iterationErrors: Counter;
  readonly droppedIterations: Counter;
  readonly lateIterations: Counter;
  readonly interruptedIterations: Counter;
  readonly startDelay: Trend;
  readonly checks: Rate;
  readonly groupDuration: Trend;
  readonly vus: Gauge;
  readonly vusMax: Gauge;
  /** Iterations starting later than this after their scheduled time count as late. @default 10 (ms) */
  readonly lateStartMs: number;
  /** Error message → occurrences in this interval. */
  readonly errors = new Map<string, number>();
  #activeVus = 0;
  #allocatedVus = 0;

  constructor(
    trackedSeries: readonly string[],
    localAddresses: readonly string[],
    lateStartMs = 10,
    maxTagSetsPerMetric = 1000,
    maxConnecting: number | null = null,
  ) {
    this.connectSlots = maxConnecting === null ? undefined : new ConnectSlots(maxConnecting);
    this.registry = new Registry(trackedSeries, maxTagSetsPerMetric);
    this.ws = new WsMetrics(this.registry);
    this.http = new HttpMetrics(this.registry);
    this.agent = new Agent({ keepAliveTimeout: 10_000, connections: null });
    this.localAddresses = localAddresses;
    this.iterations = this.registry.counter('iterations');
    this.iterationDuration = this.registry.trend('iteration_duration');
    this.iterationErrors = this.registry.counter('iteration_errors');
    this.droppedIterations = this.registry.counter('dropped_iterations');
    this.lateIterations = this.registry.counter('late_iterations');
    this.interruptedIterations = this.registry.counter('interrupted_iterations');
    this.startDelay = this.registry.trend('iteration_start_delay');
    this.checks = this.registry.rate('checks');
    this.groupDuration = this.registry.trend('group_duration');
    this.vus = this.registry.gauge('vus');
    this.vusMax = this.registry.gauge('vus_max');
    this.vus.set(0);
    this.vusMax.set(0);
    this.lateStartMs = lateStartMs;
  }

  /** A VU started (+1) or stopped (−1) running iterations. */
  activeDelta(d: number): void {
    this.#activeVus += d;
    this.vus.set(this.#activeVus);
  }

  allocatedDelta(d: number): void {
    this.#allocatedVus += d;
    this.vusMax.set(this.#allocatedVus);
  }

  recordError(err: unknown): void {
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const n = this.errors.get(msg);
    if (n !== undefined) this.errors.set(msg, n + 1);
    else if (this.errors.size < MAX_ERROR_KINDS) this.errors.set(msg, 1);
  }

  takeErrors(): Record<string, number> {
    const out = Object.fromEntries(this.errors);
    this.errors.clear();
    return out;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
